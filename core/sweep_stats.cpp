#include "sweep_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <tuple>

namespace spiketail {
namespace {

// A group's key: optimizer, lr, param, value, the numbers by their bits (so a lookup is exact, also for NaN).
using GroupKey = std::tuple<std::string, std::uint64_t, std::string, std::uint64_t>;

std::uint64_t bits_of(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
}

bool counts(const SweepOutcome& o) { return o.status == "finished" && !o.steps.empty(); }

}  // namespace

MetricStats mean_std(const std::vector<double>& values) {
    MetricStats s;
    double sum = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++s.count;
        }
    if (s.count == 0) return s;
    s.mean = sum / s.count;
    double squares = 0;
    for (double v : values)
        if (std::isfinite(v)) squares += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(squares / s.count);
    return s;
}

const std::vector<std::string>& sweep_metrics() {
    static const std::vector<std::string> metrics = {"train_loss", "test_loss", "kta",
                                                     "sim_w_beta", "alpha_hill", "alpha_ks"};
    return metrics;
}

std::vector<SweepGroup> summarize_sweep(const std::vector<SweepOutcome>& outcomes) {
    std::vector<SweepGroup> groups;
    std::map<GroupKey, std::size_t> index;  // a sweep may have 100,000 runs: no linear search per run
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const SweepOutcome& o = outcomes[i];
        const std::string optimizer = o.optimizer == "sgd" ? "gd" : o.optimizer;
        const auto [slot, added] = index.emplace(GroupKey{optimizer, bits_of(o.lr), o.param, bits_of(o.value)},
                                                 groups.size());
        if (added) {
            SweepGroup g;
            g.optimizer = optimizer;
            g.lr = o.lr;
            g.param = o.param;
            g.value = o.value;
            groups.push_back(std::move(g));
        }
        SweepGroup& group = groups[slot->second];
        group.runs.push_back(static_cast<int>(i));
        (counts(o) ? group.finished : group.left_out).push_back(static_cast<int>(i));
    }

    const std::size_t num_metrics = sweep_metrics().size();
    auto metric_of = [&](int run, std::size_t probe, std::size_t m) {
        const std::vector<double>& row = outcomes[run].metrics[probe];
        return m < row.size() ? row[m] : NAN;
    };
    for (SweepGroup& g : groups) {
        for (std::size_t m = 0; m < num_metrics; ++m) {
            std::vector<double> last;
            for (int run : g.finished) last.push_back(metric_of(run, outcomes[run].steps.size() - 1, m));
            g.last.push_back(mean_std(last));
        }
        for (int run : g.finished) g.steps.insert(g.steps.end(), outcomes[run].steps.begin(), outcomes[run].steps.end());
        std::sort(g.steps.begin(), g.steps.end());
        g.steps.erase(std::unique(g.steps.begin(), g.steps.end()), g.steps.end());
        for (int step : g.steps) {
            std::vector<MetricStats> at_step;
            for (std::size_t m = 0; m < num_metrics; ++m) {
                std::vector<double> values;
                for (int run : g.finished) {
                    const std::vector<int>& steps = outcomes[run].steps;
                    const auto p = std::lower_bound(steps.begin(), steps.end(), step);
                    if (p != steps.end() && *p == step) values.push_back(metric_of(run, p - steps.begin(), m));
                }
                at_step.push_back(mean_std(values));
            }
            g.per_step.push_back(std::move(at_step));
        }
    }
    return groups;
}

}  // namespace spiketail
