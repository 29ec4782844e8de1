// Sweep specs: validation and expansion into independent runs (see sweep.hpp for the sharing rule).
#include "sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

namespace spiketail {
namespace {

// The varied parameter's field in Config, as validate() names it.
std::string config_field_of(const std::string& param) {
    return param == "gamma" ? "lr_scheduler.gamma" : param;
}

std::string indexed(const std::string& field, std::size_t i) { return field + "[" + std::to_string(i) + "]"; }

// A varied value in a message, as the sweep documents write numbers (JSON's form: the fewest digits that read
// back as the same double; 8000.0 for a whole number, 1e-07 below 1e-4), so a value reads the same in the
// message as in the written sweep.
std::string number_text(double x) {
    if (!std::isfinite(x)) return "null";
    if (x == 0) return std::signbit(x) ? "-0.0" : "0.0";
    char sci[32];  // "-d.ddde+XX" with as few digits as round-trip
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(sci, sizeof sci, "%.*e", digits - 1, x);
        if (std::strtod(sci, nullptr) == x) break;
    }
    std::string text = sci;
    std::string sign;
    if (text[0] == '-') {
        sign = "-";
        text.erase(0, 1);
    }
    const std::size_t e = text.find('e');
    const int exponent = std::atoi(text.c_str() + e + 1);
    std::string digits = text.substr(0, e);
    if (digits.size() > 1) digits.erase(1, 1);  // the decimal point
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;  // x = 0.digits * 10^n
    if (k <= n && n <= 15) return sign + digits + std::string(n - k, '0') + ".0";
    if (0 < n && n <= 15) return sign + digits.substr(0, n) + "." + digits.substr(n);
    if (-4 < n && n <= 0) return sign + "0." + std::string(-n, '0') + digits;
    char power[16];
    std::snprintf(power, sizeof power, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return sign + digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + power;
}

}  // namespace

std::vector<double> study_lr_grid() { return {0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000}; }

std::string canonical_sweep_param(const std::string& name) {
    if (name == "n" || name == "label_noise_std" || name == "reg_lambda" || name == "gamma") return name;
    if (name == "lr_scheduler.gamma") return "gamma";
    return "";
}

void apply_sweep_value(Config& config, const std::string& param, double value) {
    if (param == "n") {
        config.n = static_cast<int>(value);
    } else if (param == "label_noise_std") {
        config.label_noise_std = value;
    } else if (param == "reg_lambda") {
        config.reg_lambda = value;
    } else if (param == "gamma") {
        config.lr_scheduler.gamma = value;
        if (config.lr_scheduler.step_size == 0) config.lr_scheduler.step_size = 1;
    }
}

long long count_sweep_runs(const SweepSpec& spec) {
    const long long factors[] = {std::max(spec.repeats, 0), spec.param.empty() ? 1 : static_cast<long long>(spec.values.size()),
                                 spec.optimizers.empty() ? 1 : static_cast<long long>(spec.optimizers.size()),
                                 spec.lrs.empty() ? 1 : static_cast<long long>(spec.lrs.size())};
    long long count = 1;
    for (long long factor : factors) {
        if (factor == 0) return 0;
        if (count > std::numeric_limits<long long>::max() / factor) return std::numeric_limits<long long>::max();
        count *= factor;
    }
    return count;
}

std::vector<SweepRun> expand_sweep(const SweepSpec& spec) {
    const std::vector<OptimizerKind> optimizers =
        spec.optimizers.empty() ? std::vector<OptimizerKind>{spec.base.optimizer} : spec.optimizers;
    const std::vector<double> lrs = spec.lrs.empty() ? std::vector<double>{spec.base.lr} : spec.lrs;
    const bool varies = !spec.param.empty();
    const std::size_t num_values = varies ? spec.values.size() : 1;

    std::vector<SweepRun> runs;
    runs.reserve(static_cast<std::size_t>(count_sweep_runs(spec)));
    for (int r = 0; r < spec.repeats; ++r)
        for (std::size_t v = 0; v < num_values; ++v)
            for (OptimizerKind optimizer : optimizers)
                for (double lr : lrs) {
                    SweepRun run;
                    run.config = spec.base;
                    if (varies) {
                        apply_sweep_value(run.config, spec.param, spec.values[v]);
                        run.param = spec.param;
                        run.value = spec.values[v];
                    }
                    run.config.optimizer = optimizer;
                    run.config.lr = lr;
                    run.config.repeat = r;  // the only thing that changes the random draws
                    run.optimizer = to_string(optimizer);
                    run.lr = lr;
                    run.repeat = r;
                    runs.push_back(std::move(run));
                }
    return runs;
}

std::vector<FieldError> validate_sweep(const SweepSpec& spec, long long max_runs) {
    std::vector<FieldError> errors;
    auto add = [&](FieldError e) {
        const bool seen = std::any_of(errors.begin(), errors.end(), [&](const FieldError& x) {
            return x.field == e.field && x.message == e.message;
        });
        if (!seen) errors.push_back(std::move(e));
    };
    if (spec.repeats < 1)
        add({"repeat", "must be an integer >= 1, the number of repeats (got " + std::to_string(spec.repeats) + ")"});
    const bool varies = !spec.param.empty();
    if (varies && canonical_sweep_param(spec.param) != spec.param)
        add({"vary." + spec.param, std::string("cannot be varied (allowed: ") + k_sweep_params_allowed + ")"});
    if (varies && spec.values.empty()) add({"vary." + spec.param, "must list at least one value"});
    if (!errors.empty()) return errors;

    // Bounded before anything is expanded or validated run by run: the lists' lengths, then their product.
    const std::pair<std::string, std::size_t> lists[] = {
        {"optimizer", spec.optimizers.size()}, {"lr", spec.lrs.size()}, {"vary." + spec.param, spec.values.size()}};
    for (const auto& [field, size] : lists)
        if (size > k_max_sweep_list)
            add({field, "lists " + std::to_string(size) + " entries, more than the limit of " +
                            std::to_string(k_max_sweep_list) + " a sweep list may have"});
    if (!errors.empty()) return errors;
    const long long num_runs = count_sweep_runs(spec);
    if (num_runs > max_runs) {
        const long long num_values = varies ? static_cast<long long>(spec.values.size()) : 1;
        const long long num_optimizers = spec.optimizers.empty() ? 1 : static_cast<long long>(spec.optimizers.size());
        const long long num_lrs = spec.lrs.empty() ? 1 : static_cast<long long>(spec.lrs.size());
        // Named after the largest factor, the one to cut.
        std::string field = "repeat";
        long long largest = spec.repeats;
        if (num_values > largest) field = "vary." + spec.param, largest = num_values;
        if (num_lrs > largest) field = "lr", largest = num_lrs;
        if (num_optimizers > largest) field = "optimizer";
        const std::string count = num_runs == std::numeric_limits<long long>::max()
                                      ? "more than " + std::to_string(num_runs)
                                      : std::to_string(num_runs);
        auto counted = [](long long k, const char* what) {
            return std::to_string(k) + " " + what + (k == 1 ? "" : "s");
        };
        add({field, "the sweep has " + count + " runs (" + counted(spec.repeats, "repeat") + " x " +
                        counted(num_values, "value") + " x " + counted(num_optimizers, "optimizer") + " x " +
                        counted(num_lrs, "learning rate") + "), more than the limit of " +
                        std::to_string(max_runs) + " runs a sweep may have" +
                        (max_runs == k_max_sweep_runs ? " (spiketail sweep --max-runs N raises it)" : "")});
        return errors;
    }
    if (varies && spec.param == "n")
        for (std::size_t i = 0; i < spec.values.size(); ++i)
            if (std::floor(spec.values[i]) != spec.values[i] || std::abs(spec.values[i]) > 2147483647.0)
                add({indexed("vary.n", i), "expected an integer"});
    if (!errors.empty()) return errors;

    // Validate every distinct run (the repeat index does not change validity), and name a bad field
    // after the list entry that produced it.
    const std::vector<OptimizerKind> optimizers =
        spec.optimizers.empty() ? std::vector<OptimizerKind>{spec.base.optimizer} : spec.optimizers;
    const std::vector<double> lrs = spec.lrs.empty() ? std::vector<double>{spec.base.lr} : spec.lrs;
    const std::size_t num_values = varies ? spec.values.size() : 1;
    const std::string varied_field = varies ? config_field_of(spec.param) : "";
    for (std::size_t v = 0; v < num_values; ++v)
        for (std::size_t o = 0; o < optimizers.size(); ++o)
            for (std::size_t l = 0; l < lrs.size(); ++l) {
                Config config = spec.base;
                if (varies) apply_sweep_value(config, spec.param, spec.values[v]);
                config.optimizer = optimizers[o];
                config.lr = lrs[l];
                config.repeat = 0;
                for (FieldError& e : validate(config)) {
                    if (e.field == "lr" && !spec.lrs.empty())
                        e.field = indexed("lr", l);
                    else if (varies && e.field == varied_field)
                        e.field = indexed("vary." + spec.param, v);
                    else if (e.field == "memory" && varies)
                        e.message += " at " + spec.param + " = " + number_text(spec.values[v]);
                    add(std::move(e));
                }
            }
    return errors;
}

}  // namespace spiketail
