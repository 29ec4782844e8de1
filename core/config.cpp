// Validation of a run's Config and the estimate of the memory its arrays need.
//
// Every check names the field and the allowed range, so the CLI, the page and the tests can show the
// message as it is. The ranges are the field table's (config_schema.cpp), as docs/schema.md lists them.
#include "config.hpp"

#include "config_schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace spiketail {

std::string bytes_text(double bytes) {
    char buffer[64];
    if (bytes >= 1024.0 * 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    else
        std::snprintf(buffer, sizeof buffer, "%.0f MB", bytes / (1024.0 * 1024));
    return buffer;
}

std::vector<FieldError> validate(const Config& c) {
    std::vector<FieldError> errors;
    // The ranges of the field table (config_schema.cpp), in the schema's order.
    for (const FieldSpec& field : config_fields())
        if (std::string message = range_error(field, c); !message.empty()) errors.push_back({field.key, message});

    // The memory estimate only means something once the sizes are valid.
    if (c.n >= 1 && c.n_test >= 1 && c.d >= 1 && c.h >= 1) {
        const double bytes = estimate_memory_bytes(c);
        if (bytes > k_max_memory_bytes)
            errors.push_back({"memory", "the run needs about " + bytes_text(bytes) + ", above the cap of " +
                                            bytes_text(k_max_memory_bytes) +
                                            " (reduce n, d or h)"});
    }
    return errors;
}

// An upper bound of the run's peak memory: every array that the session, the optimiser and a probe hold,
// summed as if they were all alive at once (the probe's work space is in fact freed between probes).
//   float32 (4 bytes):
//     data       X_train n x d, X_probe n x d, X_test n_test x d (labels are negligible)
//     weights    W, dW (which then holds the update M_t), W0 drawn again for a histogram: 3 h x d;
//                W_{t-1} as well with weight normalisation and the update analysis
//     optimiser  Adam m, v: 2 h x d; GD: the momentum buffer h x d when momentum > 0
//     training   the activations A, overwritten by dL/dZ in the backward pass: n x h
//     probe      features F (n x h) and F_test (n_test x h)
//   float64 (8 bytes):
//     ridge      the smaller Gram matrix min(n, h)^2, factorised in place
//     spectrum   Gram of W (or of M_t), the tridiagonalisation's copy and work: ~3 min(h, d)^2
double estimate_memory_bytes(const Config& c) {
    const double n = std::max(c.n, 0), n_test = std::max(c.n_test, 0);
    const double d = std::max(c.d, 0), h = std::max(c.h, 0);
    const double optimizer_copies = c.optimizer == OptimizerKind::adam ? 2.0 : (c.momentum > 0 ? 1.0 : 0.0);
    const double prev_copy = c.probe_update && c.enable_weight_normalization ? 1.0 : 0.0;

    const double floats = (2 * n + n_test) * d                        // data sets
                          + (3 + prev_copy + optimizer_copies) * h * d  // weights and optimiser state
                          + n * h                                      // A, then dL/dZ
                          + (n + n_test) * h;                          // probe features
    const double ridge = std::min(n, h);
    const double gram = std::min(h, d);
    const double doubles = ridge * ridge + 3.0 * gram * gram;
    return 4.0 * floats + 8.0 * doubles;
}

const char* to_string(OptimizerKind kind) {
    switch (kind) {
        case OptimizerKind::gd: return "gd";
        case OptimizerKind::adam: return "adam";
    }
    return "?";
}

const char* to_string(FeatureScale kind) {
    switch (kind) {
        case FeatureScale::sqrt_d: return "sqrt_d";
        case FeatureScale::d: return "d";
    }
    return "?";
}

}  // namespace spiketail
