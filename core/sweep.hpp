// The study's sweeps (docs/method.md §7): a grid of optimisers x learning rates, or a parameter study, with repeats.
//
// Sharing rule: every random stream of a run is keyed by (seed, repeat, purpose) (rng.hpp), so runs that
// share the base seed and the repeat index start from the same teacher, data and W0; a new repeat index
// draws fresh ones. expand_sweep therefore only sets config.repeat = r and never touches the seed:
//   - within a repeat every optimiser and lr starts from the same teacher, data and W0;
//   - reg_lambda and StepLR gamma studies share the data within a repeat (they do not enter the draws);
//   - n and label_noise_std studies get fresh data per repeat (as docs/method.md §7 asks); within a repeat a smaller
//     n is a prefix of a larger one and every rho scales the same noise draws (common random numbers).
//
// Order (repeat-major): for r in repeats, for value in vary values, for optimiser, for lr. A partial sweep
// (cancelled, or shown while it runs) then covers the whole grid once before it starts on the next repeat.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "config.hpp"

namespace spiketail {

// The parameters a study can vary, under their canonical names.
//   "n", "label_noise_std", "reg_lambda", "gamma" (StepLR gamma; also accepted as "lr_scheduler.gamma")
// Sweep documents (JSON) are read and written by io/sweep_json.hpp.
struct SweepSpec {
    Config base;                            // everything else, shared by every run
    std::vector<OptimizerKind> optimizers;  // empty: {base.optimizer}
    std::vector<double> lrs;                // empty: {base.lr}
    int repeats = 1;                        // number of repeats, >= 1
    std::string param;                      // empty: no parameter study
    std::vector<double> values;             // the values of param
};

struct SweepRun {
    Config config;          // complete: can be run on its own, anywhere
    std::string optimizer;  // "gd" or "adam"
    double lr = 0;
    int repeat = 0;
    std::string param;      // empty when the sweep varies no parameter
    double value = 0;       // the value of param in this run
};

// The study's learning-rate grid.
std::vector<double> study_lr_grid();

// The parameters that can be varied, as messages list them.
constexpr const char* k_sweep_params_allowed = "n, label_noise_std, reg_lambda, gamma (or lr_scheduler.gamma)";

// Canonical name of a varied parameter ("lr_scheduler.gamma" -> "gamma"); empty when it cannot be varied.
std::string canonical_sweep_param(const std::string& name);

// Applies one value of a varied parameter (for gamma also step_size 1 when it was 0, so that the
// schedule acts: the study's StepLR runs use step_size 1).
void apply_sweep_value(Config& config, const std::string& param, double value);

// The most runs a sweep may expand to unless the caller raises it (validate_sweep's max_runs, the CLI's
// `sweep --max-runs N`): 100,000. The study's grid is 90 runs; 10^5 runs of the smallest config take hours,
// and their expansion ~26 MB.
constexpr long long k_max_sweep_runs = 100000;
// The most `--max-runs` may raise it to: 10,000,000 (an expansion of ~2.6 GB before any result).
constexpr long long k_max_sweep_runs_raised = 10000000;
// The most entries of one sweep list (optimizer, lr, the values of vary): 10,000, checked before the entries
// are read, so that a document of 10^6 values is refused at once.
constexpr std::size_t k_max_sweep_list = 10000;

// The number of runs the spec expands to, from the list sizes alone (64 bits, saturating at LLONG_MAX).
long long count_sweep_runs(const SweepSpec& spec);

// Every run of a valid spec (validate_sweep first: it bounds their number).
std::vector<SweepRun> expand_sweep(const SweepSpec& spec);

// Every problem of the spec, each naming its field: lr[2], optimizer[0], vary.n[1], repeat, or a base
// config field. Checks every run the spec expands to (so e.g. memory is checked at the largest n), after
// checking from the list sizes that there are at most max_runs of them (then the field is the largest factor:
// repeat, lr, optimizer or vary.<param>).
std::vector<FieldError> validate_sweep(const SweepSpec& spec, long long max_runs = k_max_sweep_runs);

}  // namespace spiketail
