// Sweep specs: parsing, validation and expansion into independent runs (see sweep.hpp for the sharing rule).
#include "sweep.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "io/config_json.hpp"

namespace spiketail {
namespace {

using nlohmann::json;

// The varied parameter's field in Config, as validate() names it.
std::string config_field_of(const std::string& param) {
    return param == "gamma" ? "lr_scheduler.gamma" : param;
}

std::string indexed(const std::string& field, std::size_t i) { return field + "[" + std::to_string(i) + "]"; }

const char* k_vary_allowed = "n, label_noise_std, reg_lambda, gamma (or lr_scheduler.gamma)";

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

std::vector<SweepRun> expand_sweep(const SweepSpec& spec) {
    const std::vector<OptimizerKind> optimizers =
        spec.optimizers.empty() ? std::vector<OptimizerKind>{spec.base.optimizer} : spec.optimizers;
    const std::vector<double> lrs = spec.lrs.empty() ? std::vector<double>{spec.base.lr} : spec.lrs;
    const bool varies = !spec.param.empty();
    const std::size_t num_values = varies ? spec.values.size() : 1;

    std::vector<SweepRun> runs;
    runs.reserve(std::max(spec.repeats, 0) * num_values * optimizers.size() * lrs.size());
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

std::vector<FieldError> validate_sweep(const SweepSpec& spec) {
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
        add({"vary." + spec.param, std::string("cannot be varied (allowed: ") + k_vary_allowed + ")"});
    if (varies && spec.values.empty()) add({"vary." + spec.param, "must list at least one value"});
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
                        e.message += " at " + spec.param + " = " + json(spec.values[v]).dump();
                    add(std::move(e));
                }
            }
    return errors;
}

SweepParse sweep_from_json_value(const nlohmann::json& value) {
    SweepParse result;
    SweepSpec& spec = result.spec;
    std::vector<FieldError>& errors = result.errors;
    if (!value.is_object()) {
        errors.push_back({"config", "expected a JSON object of config keys, got " + json_type_phrase(value)});
        return result;
    }

    // The sweep's own keys come out first; what remains is a plain config.
    json base = value;
    if (auto it = value.find("optimizer"); it != value.end() && it->is_array()) {
        base.erase("optimizer");
        if (it->empty()) errors.push_back({"optimizer", "must list at least one optimizer"});
        for (std::size_t i = 0; i < it->size(); ++i) {
            OptimizerKind kind;
            if (json_read_optimizer((*it)[i], indexed("optimizer", i), kind, errors)) spec.optimizers.push_back(kind);
        }
    }
    if (auto it = value.find("lr"); it != value.end() && it->is_array()) {
        base.erase("lr");
        if (it->empty()) errors.push_back({"lr", "must list at least one learning rate"});
        for (std::size_t i = 0; i < it->size(); ++i) {
            double lr;
            if (json_read_number((*it)[i], indexed("lr", i), lr, errors)) spec.lrs.push_back(lr);
        }
    }
    if (auto it = value.find("repeat"); it != value.end()) {
        base.erase("repeat");
        if (json_read_int(*it, "repeat", spec.repeats, errors) && spec.repeats < 1)
            errors.push_back({"repeat", "must be an integer >= 1, the number of repeats (got " +
                                            std::to_string(spec.repeats) + ")"});
    }
    if (auto it = value.find("vary"); it != value.end()) {
        base.erase("vary");
        if (!it->is_object() || it->size() != 1) {
            errors.push_back({"vary", "expected an object with one parameter and its values, e.g. {\"n\": [500, 2000]}, got " +
                                          json_type_phrase(*it) + (it->is_object() ? " with " + std::to_string(it->size()) + " keys" : "")});
        } else {
            const std::string name = it->begin().key();
            const json& list = it->begin().value();
            const std::string field = "vary." + name;
            spec.param = canonical_sweep_param(name);
            if (spec.param.empty()) {
                errors.push_back({field, std::string("cannot be varied (allowed: ") + k_vary_allowed + ")"});
            } else if (!list.is_array() || list.empty()) {
                errors.push_back({field, "expected a non-empty array of numbers, got " + json_type_phrase(list)});
            } else {
                for (std::size_t i = 0; i < list.size(); ++i) {
                    double x = 0;
                    int k = 0;
                    const bool ok = spec.param == "n" ? json_read_int(list[i], indexed(field, i), k, errors)
                                                      : json_read_number(list[i], indexed(field, i), x, errors);
                    if (ok) spec.values.push_back(spec.param == "n" ? k : x);
                }
            }
        }
    }

    ConfigParse parsed = config_from_json_value(base);
    spec.base = parsed.config;
    for (FieldError& e : parsed.errors) errors.push_back(std::move(e));
    if (spec.optimizers.empty()) spec.optimizers = {spec.base.optimizer};
    if (spec.lrs.empty()) spec.lrs = {spec.base.lr};
    spec.base.optimizer = spec.optimizers.front();
    spec.base.lr = spec.lrs.front();
    if (errors.empty()) errors = validate_sweep(spec);
    return result;
}

SweepParse sweep_from_json(const std::string& text) {
    // config_from_json reports the syntax error with its position; reuse it for a bad document.
    const json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        SweepParse result;
        result.errors = config_from_json(text).errors;
        return result;
    }
    return sweep_from_json_value(value);
}

nlohmann::ordered_json sweep_spec_to_json_value(const SweepSpec& spec) {
    nlohmann::ordered_json out = config_to_json_value(spec.base);
    nlohmann::ordered_json optimizers = nlohmann::ordered_json::array(), lrs = nlohmann::ordered_json::array();
    for (OptimizerKind kind : spec.optimizers.empty() ? std::vector<OptimizerKind>{spec.base.optimizer} : spec.optimizers)
        optimizers.push_back(to_string(kind));
    for (double lr : spec.lrs.empty() ? std::vector<double>{spec.base.lr} : spec.lrs) lrs.push_back(lr);
    out["optimizer"] = optimizers;
    out["lr"] = lrs;
    out["repeat"] = spec.repeats;
    if (!spec.param.empty()) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (double x : spec.values) {
            if (spec.param == "n")
                values.push_back(static_cast<int>(x));
            else
                values.push_back(x);
        }
        out["vary"] = {{spec.param, values}};
    }
    return out;
}

nlohmann::ordered_json sweep_run_to_json_value(const SweepRun& run) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["optimizer"] = run.optimizer;
    out["lr"] = run.lr;
    out["repeat"] = run.repeat;
    if (run.param.empty()) {
        out["param"] = nullptr;
        out["value"] = nullptr;
    } else {
        out["param"] = run.param;
        if (run.param == "n")
            out["value"] = static_cast<int>(run.value);
        else
            out["value"] = run.value;
    }
    out["config"] = config_to_json_value(run.config);
    return out;
}

}  // namespace spiketail
