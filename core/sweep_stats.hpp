// The statistics of a sweep as the study plots them (docs/method.md §7): for every (optimizer, lr, value) of
// the grid, mean ± standard deviation over its repeats of each metric, at the last probe and at every step.
//
// Only finished runs with probes count; diverged, failed and unfinished runs are left out and listed, so a
// figure can say what it does not show. The standard deviation is the population one (ddof 0, numpy's
// default, as the study's plots): over r repeats, sqrt(Σ (x − mean)² / r).
#pragma once
#include <string>
#include <vector>

namespace spiketail {

struct MetricStats {
    double mean = 0, std = 0;
    int count = 0;  // finite values that entered; 0: no value (mean and std are then meaningless)
};
// Mean and population standard deviation of the finite values.
MetricStats mean_std(const std::vector<double>& values);

// The metrics the study's sweep figures show.
const std::vector<std::string>& sweep_metrics();

// One run of a sweep and its probes' metric values (NaN where a probe has none), in sweep_metrics() order.
struct SweepOutcome {
    std::string optimizer;  // "gd" or "adam" ("sgd" is counted as "gd")
    double lr = 0;
    int repeat = 0;
    std::string param;      // empty: no parameter study
    double value = 0;
    std::string status;     // "finished", "diverged", "error", or empty while the run has not finished
    std::vector<int> steps;                     // probe steps, ascending
    std::vector<std::vector<double>> metrics;   // metrics[probe][metric]
};

struct SweepGroup {
    std::string optimizer;
    double lr = 0;
    std::string param;
    double value = 0;
    std::vector<int> runs;      // indices (into the outcomes) of every run of the group, by repeat
    std::vector<int> finished;  // those that count
    std::vector<int> left_out;  // those that do not (diverged, failed, not run yet)
    std::vector<MetricStats> last;                 // per metric, over the finished runs' last probes
    std::vector<int> steps;                        // every step some finished run probed, ascending
    std::vector<std::vector<MetricStats>> per_step;  // per_step[step index][metric]
};

// Groups in the order their first run appears; each group's runs in the outcomes' order.
std::vector<SweepGroup> summarize_sweep(const std::vector<SweepOutcome>& outcomes);

}  // namespace spiketail
