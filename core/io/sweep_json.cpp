// Sweep documents: parsing (the list keys, repeat and vary come out first, the rest is a plain config) and writing.
#include "sweep_json.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "config_json.hpp"
#include "json_document.hpp"

namespace spiketail {
namespace {

using nlohmann::json;

std::string indexed(const std::string& field, std::size_t i) { return field + "[" + std::to_string(i) + "]"; }

// A list's length, checked before its entries are read.
bool list_within_cap(const json& list, const std::string& field, std::vector<FieldError>& errors) {
    if (list.size() <= k_max_sweep_list) return true;
    errors.push_back({field, "lists " + std::to_string(list.size()) + " entries, more than the limit of " +
                                 std::to_string(k_max_sweep_list) + " a sweep list may have"});
    return false;
}

}  // namespace

SweepParse sweep_from_json_value(const nlohmann::json& value, long long max_runs) {
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
        for (std::size_t i = 0; i < it->size() && list_within_cap(*it, "optimizer", errors); ++i) {
            OptimizerKind kind;
            if (json_read_optimizer((*it)[i], indexed("optimizer", i), kind, errors)) spec.optimizers.push_back(kind);
        }
    }
    if (auto it = value.find("lr"); it != value.end() && it->is_array()) {
        base.erase("lr");
        if (it->empty()) errors.push_back({"lr", "must list at least one learning rate"});
        for (std::size_t i = 0; i < it->size() && list_within_cap(*it, "lr", errors); ++i) {
            double lr;
            // An entry that cannot be read keeps its place (NaN), so that the others are still checked under
            // their own index: "abc, -1" reports lr[0] and lr[1].
            spec.lrs.push_back(json_read_number((*it)[i], indexed("lr", i), lr, errors) ? lr : std::nan(""));
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
            const std::string field = "vary." + key_name(name);
            spec.param = canonical_sweep_param(name);
            if (spec.param.empty()) {
                errors.push_back({field, std::string("cannot be varied (allowed: ") + k_sweep_params_allowed + ")"});
            } else if (!list.is_array() || list.empty()) {
                errors.push_back({field, "expected a non-empty array of numbers, got " + json_type_phrase(list)});
            } else if (list_within_cap(list, field, errors)) {
                for (std::size_t i = 0; i < list.size(); ++i) {
                    double x = 0;
                    int k = 0;
                    const bool ok = spec.param == "n" ? json_read_int(list[i], indexed(field, i), k, errors)
                                                      : json_read_number(list[i], indexed(field, i), x, errors);
                    spec.values.push_back(!ok ? std::nan("") : spec.param == "n" ? k : x);  // keeps its place, as lr
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
    // With only unreadable list entries, the readable ones are still checked (their ranges are the core's), each
    // field reported once. Any other error stops here: the runs would be of a config the document does not say.
    const bool only_entries = std::all_of(errors.begin(), errors.end(),
                                          [](const FieldError& e) { return e.field.find('[') != std::string::npos; });
    if (only_entries)
        for (FieldError& e : validate_sweep(spec, max_runs)) {
            const bool seen = std::any_of(errors.begin(), errors.end(), [&](const FieldError& x) { return x.field == e.field; });
            if (!seen) errors.push_back(std::move(e));
        }
    return result;
}

SweepParse sweep_from_json(const std::string& text, long long max_runs) {
    json value;
    std::vector<FieldError> errors = parse_json_document(text, value);  // size, duplicates, overflow, syntax
    if (!errors.empty()) {
        SweepParse result;
        result.errors = std::move(errors);
        return result;
    }
    return sweep_from_json_value(value, max_runs);
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
