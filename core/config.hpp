// One run's configuration: a plain struct whose defaults are the study's single run
// (docs/method.md §7: n=2000, n_test=200, d=1000, h=1500, rho=0.3, lambda=0.01, Adam, lr=1, 10 steps),
// and the one function that validates it, naming the bad field and its allowed range.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "activation.hpp"

namespace spiketail {

enum class OptimizerKind { gd, adam };
enum class FeatureScale { sqrt_d, d };  // probe features phi(X W^T / sqrt(d)) or the reference's phi(X W^T / d)

struct LrScheduler {
    int step_size = 0;   // 0: constant learning rate; else StepLR every step_size optimiser steps
    double gamma = 1.0;  // multiplicative decay of StepLR
};

struct Config {
    // data (docs/method.md §2)
    int n = 2000;                   // train and probe samples
    int n_test = 200;               // test samples
    int d = 1000;                   // input dimension
    double label_noise_std = 0.3;   // rho
    Activation target_activation = Activation::softplus;  // sigma*
    // network (docs/method.md §3)
    int h = 1500;                   // hidden units
    Activation activation = Activation::tanh;             // phi
    bool fix_last_layer = true;     // train W only (the study's setting)
    // optimiser (docs/method.md §4)
    OptimizerKind optimizer = OptimizerKind::adam;
    double lr = 1.0;
    double momentum = 0.0;          // GD only
    double weight_decay = 0.0;
    double beta1 = 0.9;             // Adam
    double beta2 = 0.999;
    double eps = 1e-8;
    LrScheduler lr_scheduler;
    bool enable_weight_normalization = false;
    int num_steps = 10;
    // evaluation (docs/method.md §5-6)
    int probe_every = 1;
    double reg_lambda = 0.01;
    FeatureScale probe_feature_scale = FeatureScale::sqrt_d;
    int top_k = 8;                  // singular vectors in the update overlaps
    bool probe_update = true;       // compute the update analysis (M_t = W_t - W_{t-1})
    // randomness (rng.hpp)
    std::uint64_t seed = 0;
    int repeat = 0;                 // which repeat of a sweep: draws fresh teacher, data and W0
};

struct FieldError {
    std::string field;
    std::string message;
};

// Every problem with the config, each naming its field; empty when the config is valid.
std::vector<FieldError> validate(const Config& config);

// Bytes the run's arrays need (data sets, weights, optimiser state, activations, probe work space).
double estimate_memory_bytes(const Config& config);

// Refuse runs whose arrays would not fit a browser tab's 32-bit WebAssembly heap (4 GiB address space,
// of which we allow 2 GiB so that the page, the allocator's slack and a second figure buffer still fit).
constexpr double k_max_memory_bytes = 2.0 * 1024 * 1024 * 1024;
// "114 MB", "2.00 GB": a memory size as the messages say it.
std::string bytes_text(double bytes);

const char* to_string(OptimizerKind kind);
const char* to_string(FeatureScale kind);

}  // namespace spiketail
