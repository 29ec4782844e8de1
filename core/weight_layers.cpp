#include "weight_layers.hpp"

#include <algorithm>
#include <cctype>

namespace spiketail {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_embedding_name(const std::string& name) {
    const std::string n = lower(name);
    return n.find("embed") != std::string::npos || n.find("embd") != std::string::npos || n.find("wte") != std::string::npos ||
           n.find("wpe") != std::string::npos;
}

}  // namespace

const char* to_string(LayerKind kind) {
    switch (kind) {
        case LayerKind::dense: return "dense";
        case LayerKind::conv2d: return "conv2d";
        case LayerKind::embedding: return "embedding";
        case LayerKind::bias: return "bias";
        case LayerKind::norm: return "norm";
        case LayerKind::other: break;
    }
    return "other";
}

LayerPlan plan_layer(const std::string& name, const std::vector<std::int64_t>& shape, const LayerOptions& options,
                     bool name_selected) {
    LayerPlan p;
    // An empty tensor is no layer; otherwise the products below are at most its element count (io caps it).
    const bool empty = std::any_of(shape.begin(), shape.end(), [](std::int64_t d) { return d <= 0; });
    if (empty && (shape.size() == 2 || shape.size() == 4)) {
        p.kind = shape.size() == 2 ? LayerKind::dense : LayerKind::conv2d;
        p.skip_reason = "an empty tensor";
        return p;
    }
    if (shape.size() == 2) {
        p.kind = is_embedding_name(name) ? LayerKind::embedding : LayerKind::dense;
        p.N = std::max(shape[0], shape[1]);
        p.M = std::min(shape[0], shape[1]);
        p.rf = 1;
    } else if (shape.size() == 4) {
        p.kind = LayerKind::conv2d;
        p.kernel_last = shape[0] + shape[1] >= shape[2] + shape[3];
        const std::int64_t r = p.kernel_last ? shape[0] : shape[2], c = p.kernel_last ? shape[1] : shape[3];
        p.N = std::max(r, c);
        p.M = std::min(r, c);
        p.rf = p.kernel_last ? shape[2] * shape[3] : shape[0] * shape[1];
        p.eigenvalue_scale = k_conv2d_eigenvalue_scale;
    } else {
        p.kind = shape.size() == 1 ? (ends_with(lower(name), "bias") ? LayerKind::bias : LayerKind::norm) : LayerKind::other;
        p.skip_reason = shape.size() == 1 ? "a vector (bias or norm), not a weight matrix"
                                          : std::to_string(shape.size()) + "-D tensor, not a weight matrix";
        return p;
    }
    p.num_evals = p.M * p.rf;
    if (!name_selected) p.skip_reason = "name not selected by the filter";
    else if (p.kind == LayerKind::embedding && options.skip_embeddings) p.skip_reason = "embedding (skipped by option)";
    else if (p.num_evals < options.min_evals)
        p.skip_reason = "num_evals " + std::to_string(p.num_evals) + " < min_evals " + std::to_string(options.min_evals);
    else if (options.max_evals > 0 && p.num_evals > options.max_evals)
        p.skip_reason = "num_evals " + std::to_string(p.num_evals) + " > max_evals " + std::to_string(options.max_evals);
    else if (options.max_n > 0 && p.N > options.max_n)
        p.skip_reason = "N " + std::to_string(p.N) + " > max_N " + std::to_string(options.max_n);
    else p.analyze = true;
    return p;
}

std::vector<MatrixF> layer_matrices(const LayerPlan& plan, const std::vector<std::int64_t>& shape, bool fortran_order,
                                    MatrixF&& values) {
    std::vector<MatrixF> out;
    if (shape.size() == 2) {
        // C order r x c read column-major is the c x r transpose; Fortran order is W itself. Resizing to the same
        // number of coefficients keeps the buffer (Eigen: no reallocation, values unchanged).
        const Eigen::Index r = shape[0], c = shape[1];
        out.push_back(std::move(values));
        if (fortran_order) out.back().resize(r, c);
        else out.back().resize(c, r);
        return out;
    }
    if (shape.size() != 4) return out;
    const std::int64_t a = shape[0], b = shape[1], c = shape[2], d = shape[3];
    // Linear index of W[i, j, k, l] in stored order.
    auto at = [&](std::int64_t i, std::int64_t j, std::int64_t k, std::int64_t l) -> float {
        const std::int64_t idx = fortran_order ? i + a * (j + b * (k + c * l)) : ((i * b + j) * c + k) * d + l;
        return values(static_cast<Eigen::Index>(idx));
    };
    out.reserve(static_cast<std::size_t>(plan.rf));
    if (plan.kernel_last) {
        for (std::int64_t k = 0; k < c; ++k)
            for (std::int64_t l = 0; l < d; ++l) {
                MatrixF s(a, b);
                for (std::int64_t j = 0; j < b; ++j)
                    for (std::int64_t i = 0; i < a; ++i) s(i, j) = at(i, j, k, l);
                out.push_back(std::move(s));
            }
    } else {
        for (std::int64_t i = 0; i < a; ++i)
            for (std::int64_t j = 0; j < b; ++j) {
                MatrixF s(c, d);
                for (std::int64_t l = 0; l < d; ++l)
                    for (std::int64_t k = 0; k < c; ++k) s(k, l) = at(i, j, k, l);
                out.push_back(std::move(s));
            }
    }
    values.resize(0, 0);
    return out;
}

}  // namespace spiketail
