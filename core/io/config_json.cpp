// Config <-> JSON (docs/schema.md, Config table). No exceptions: nlohmann::json is parsed with
// allow_exceptions = false, every value's type is checked before it is read, and lookups use find().
#include "config_json.hpp"

#include "../config_schema.hpp"
#include "../parallel.hpp"
#include "../pool_plan.hpp"
#include "../powerlaw.hpp"
#include "json_document.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace spiketail {
namespace {

using nlohmann::json;

// Levenshtein distance, to suggest the key that was probably meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string unknown_key_message(const std::string& key, const std::vector<const char*>& known) {
    if (key.empty()) return "a key is the empty string \"\": every key names a config field; docs/schema.md lists them";
    // Suggest only near misses (typos): one edit for short keys, two for longer ones.
    std::string best;
    std::size_t best_distance = key.size() <= 4 ? 2 : 3;
    for (const char* candidate : known) {
        const std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance) best_distance = distance, best = candidate;
    }
    std::string message = "unknown key";
    if (!best.empty()) message += " (did you mean \"" + best + "\"?)";
    return message + "; docs/schema.md lists the keys";
}

void type_error(std::vector<FieldError>& errors, const std::string& field, const char* expected, const json& value) {
    errors.push_back({field, std::string("expected ") + expected + ", got " + json_type_phrase(value)});
}

bool read_bool(const json& value, const std::string& field, bool& out, std::vector<FieldError>& errors) {
    if (!value.is_boolean()) return type_error(errors, field, "true or false", value), false;
    out = value.get<bool>();
    return true;
}

bool read_seed(const json& value, const std::string& field, std::uint64_t& out, std::vector<FieldError>& errors) {
    if (value.is_number_unsigned()) {
        out = value.get<std::uint64_t>();
        return true;
    }
    if (value.is_number_integer()) {  // a negative integer: the unsigned case took the others
        errors.push_back({field, "must be an integer >= 0 (got " + value.dump() + ")"});
        return false;
    }
    if (value.is_number_float()) {
        const double x = value.get<double>();
        if (x >= 0 && x < 18446744073709551616.0 && std::floor(x) == x) {
            out = static_cast<std::uint64_t>(x);
            return true;
        }
        errors.push_back({field, "must be an integer >= 0 (got " + value.dump() + ")"});
        return false;
    }
    return type_error(errors, field, "an integer", value), false;
}

// One enum-valued key: the accepted spellings and the value each maps to.
template <typename Enum>
struct Spelling {
    const char* name;
    Enum value;
};

template <typename Enum, std::size_t N>
bool read_enum(const json& value, const std::string& field, const Spelling<Enum> (&spellings)[N], Enum& out,
               std::vector<FieldError>& errors) {
    std::string allowed;
    for (const auto& s : spellings) allowed += std::string(allowed.empty() ? "" : ", ") + "\"" + s.name + "\"";
    if (!value.is_string()) return type_error(errors, field, ("a string (one of " + allowed + ")").c_str(), value), false;
    const std::string& text = value.get_ref<const std::string&>();
    for (const auto& s : spellings)
        if (text == s.name) return out = s.value, true;
    errors.push_back({field, "must be one of " + allowed + " (got \"" + text + "\")"});
    return false;
}

const Spelling<Activation> k_activations[] = {
    {"tanh", Activation::tanh}, {"relu", Activation::relu}, {"softplus", Activation::softplus}};
const Spelling<FeatureScale> k_feature_scales[] = {{"sqrt_d", FeatureScale::sqrt_d}, {"d", FeatureScale::d}};
const Spelling<OptimizerKind> k_optimizers[] = {
    {"adam", OptimizerKind::adam}, {"gd", OptimizerKind::gd}, {"sgd", OptimizerKind::gd}};  // the study's name

using KeyReader = bool (*)(const json&, const std::string&, Config&, std::vector<FieldError>&);
struct Key {
    const char* name;
    KeyReader read;
};

bool read_lr_scheduler(const json& value, const std::string& field, Config& c, std::vector<FieldError>& errors) {
    if (!value.is_object()) return type_error(errors, field, "an object {\"step_size\", \"gamma\"}", value), false;
    bool ok = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string sub = field + "." + key_name(it.key());
        if (it.key() == "step_size")
            ok &= json_read_int(it.value(), sub, c.lr_scheduler.step_size, errors);
        else if (it.key() == "gamma")
            ok &= json_read_number(it.value(), sub, c.lr_scheduler.gamma, errors);
        else
            errors.push_back({sub, unknown_key_message(it.key(), {"step_size", "gamma"})}), ok = false;
    }
    return ok;
}

#define SPIKETAIL_INT_KEY(name) {#name, [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) { return json_read_int(v, f, c.name, e); }}
#define SPIKETAIL_NUMBER_KEY(name) {#name, [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) { return json_read_number(v, f, c.name, e); }}
#define SPIKETAIL_BOOL_KEY(name) {#name, [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) { return read_bool(v, f, c.name, e); }}

// Every key of docs/schema.md, in its order.
const Key k_keys[] = {
    SPIKETAIL_INT_KEY(n),
    SPIKETAIL_INT_KEY(n_test),
    SPIKETAIL_INT_KEY(d),
    SPIKETAIL_INT_KEY(h),
    SPIKETAIL_NUMBER_KEY(label_noise_std),
    {"target_activation", [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) {
         return read_enum(v, f, k_activations, c.target_activation, e); }},
    {"activation", [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) {
         return read_enum(v, f, k_activations, c.activation, e); }},
    SPIKETAIL_BOOL_KEY(fix_last_layer),
    {"optimizer", [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) {
         return json_read_optimizer(v, f, c.optimizer, e); }},
    SPIKETAIL_NUMBER_KEY(lr),
    SPIKETAIL_NUMBER_KEY(momentum),
    SPIKETAIL_NUMBER_KEY(weight_decay),
    SPIKETAIL_NUMBER_KEY(beta1),
    SPIKETAIL_NUMBER_KEY(beta2),
    SPIKETAIL_NUMBER_KEY(eps),
    {"lr_scheduler", read_lr_scheduler},
    SPIKETAIL_BOOL_KEY(enable_weight_normalization),
    SPIKETAIL_INT_KEY(num_steps),
    SPIKETAIL_INT_KEY(probe_every),
    SPIKETAIL_NUMBER_KEY(reg_lambda),
    {"probe_feature_scale", [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) {
         return read_enum(v, f, k_feature_scales, c.probe_feature_scale, e); }},
    SPIKETAIL_INT_KEY(top_k),
    SPIKETAIL_BOOL_KEY(probe_update),
    {"seed", [](const json& v, const std::string& f, Config& c, std::vector<FieldError>& e) {
         return read_seed(v, f, c.seed, e); }},
    SPIKETAIL_INT_KEY(repeat),
};

#undef SPIKETAIL_INT_KEY
#undef SPIKETAIL_NUMBER_KEY
#undef SPIKETAIL_BOOL_KEY

bool has_error_for(const std::vector<FieldError>& errors, const std::string& field) {
    return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
        return e.field == field || e.field.rfind(field + ".", 0) == 0;
    });
}

}  // namespace

std::string json_type_phrase(const nlohmann::json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return value.get<bool>() ? "true" : "false";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float: return "the number " + value.dump();
        default: return "an unsupported value";
    }
}

bool json_read_int(const nlohmann::json& value, const std::string& field, int& out, std::vector<FieldError>& errors) {
    constexpr double lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
    if (!value.is_number()) return type_error(errors, field, "an integer", value), false;
    // 2000 and 2000.0 (and 2e3) are the same integer; 2000.5 is not one.
    const double x = value.is_number_float() ? value.get<double>()
                     : value.is_number_unsigned() ? static_cast<double>(value.get<std::uint64_t>())
                                                  : static_cast<double>(value.get<std::int64_t>());
    if (std::floor(x) != x) return type_error(errors, field, "an integer", value), false;
    if (x < lo || x > hi) {
        errors.push_back({field, "must be an integer of at most 2147483647 in magnitude (got " + value.dump() + ")"});
        return false;
    }
    out = static_cast<int>(x);
    return true;
}

bool json_read_number(const nlohmann::json& value, const std::string& field, double& out,
                      std::vector<FieldError>& errors) {
    if (!value.is_number()) return type_error(errors, field, "a number", value), false;
    out = value.get<double>();
    return true;
}

bool json_read_optimizer(const nlohmann::json& value, const std::string& field, OptimizerKind& out,
                         std::vector<FieldError>& errors) {
    return read_enum(value, field, k_optimizers, out, errors);
}

ConfigParse config_from_json_value(const nlohmann::json& value) {
    ConfigParse result;
    if (!value.is_object()) {
        result.errors.push_back({"config", "expected a JSON object of config keys, got " + json_type_phrase(value)});
        return result;
    }
    std::vector<const char*> known;
    for (const Key& key : k_keys) known.push_back(key.name);
    for (auto it = value.begin(); it != value.end(); ++it) {
        const auto key = std::find_if(std::begin(k_keys), std::end(k_keys),
                                      [&](const Key& k) { return it.key() == k.name; });
        if (key == std::end(k_keys))
            result.errors.push_back({key_name(it.key()), unknown_key_message(it.key(), known)});
        else
            key->read(it.value(), it.key(), result.config, result.errors);
    }
    // Range checks on the parsed values; a field that already failed to parse is not reported twice.
    for (FieldError& e : validate(result.config))
        if (!has_error_for(result.errors, e.field)) result.errors.push_back(std::move(e));
    return result;
}

ConfigParse config_from_json(const std::string& text) {
    json value;
    std::vector<FieldError> errors = parse_json_document(text, value);  // size, duplicates, overflow, syntax
    if (!errors.empty()) {
        ConfigParse result;
        result.errors = std::move(errors);
        return result;
    }
    return config_from_json_value(value);
}

nlohmann::ordered_json config_to_json_value(const Config& c) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["n"] = c.n;
    out["n_test"] = c.n_test;
    out["d"] = c.d;
    out["h"] = c.h;
    out["label_noise_std"] = c.label_noise_std;
    out["target_activation"] = to_string(c.target_activation);
    out["activation"] = to_string(c.activation);
    out["fix_last_layer"] = c.fix_last_layer;
    out["optimizer"] = to_string(c.optimizer);
    out["lr"] = c.lr;
    out["momentum"] = c.momentum;
    out["weight_decay"] = c.weight_decay;
    out["beta1"] = c.beta1;
    out["beta2"] = c.beta2;
    out["eps"] = c.eps;
    out["lr_scheduler"] = {{"step_size", c.lr_scheduler.step_size}, {"gamma", c.lr_scheduler.gamma}};
    out["enable_weight_normalization"] = c.enable_weight_normalization;
    out["num_steps"] = c.num_steps;
    out["probe_every"] = c.probe_every;
    out["reg_lambda"] = c.reg_lambda;
    out["probe_feature_scale"] = to_string(c.probe_feature_scale);
    out["top_k"] = c.top_k;
    out["probe_update"] = c.probe_update;
    out["seed"] = c.seed;
    out["repeat"] = c.repeat;
    return out;
}

std::string config_to_json(const Config& config) {
    return config_to_json_value(config).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::ordered_json field_errors_to_json(const std::vector<FieldError>& errors) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const FieldError& e : errors) out.push_back({{"field", e.field}, {"message", e.message}});
    return out;
}

nlohmann::ordered_json config_schema_to_json_value() {
    const nlohmann::ordered_json defaults = config_to_json_value(Config{});
    nlohmann::ordered_json fields = nlohmann::ordered_json::array();
    for (const FieldSpec& f : config_fields()) {
        nlohmann::ordered_json field = nlohmann::ordered_json::object();
        field["key"] = f.key;
        field["type"] = to_string(f.type);
        const std::size_t dot = f.key.find('.');
        field["default"] = dot == std::string::npos ? defaults.at(f.key) : defaults.at(f.key.substr(0, dot)).at(f.key.substr(dot + 1));
        if (f.type == FieldType::integer || f.type == FieldType::number) {
            field["min"] = std::isfinite(f.lower) ? nlohmann::ordered_json(f.lower) : nullptr;
            field["max"] = std::isfinite(f.upper) ? nlohmann::ordered_json(f.upper) : nullptr;
            field["min_exclusive"] = f.lower_open;
            field["max_exclusive"] = f.upper_open;
            if (!f.upper_expression.empty()) field["max_expression"] = f.upper_expression;
            field["rule"] = range_rule(f);
        }
        if (f.type == FieldType::choice) field["choices"] = f.choices;
        field["meaning"] = f.meaning;
        fields.push_back(std::move(field));
    }
    return fields;
}

nlohmann::ordered_json method_constants_to_json_value() {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["eigenvalue_floor"] = k_eigenvalue_floor;
    out["min_fit_eigenvalues"] = k_min_fit_eigenvalues;
    out["heavy_tail_alpha"] = k_heavy_tail_alpha;
    out["no_power_law_alpha"] = k_no_power_law_alpha;
    out["max_memory_bytes"] = k_max_memory_bytes;
    out["max_threads"] = k_max_threads;
    // The page's worker pools (pool_plan.hpp).
    out["max_pool_workers"] = k_max_pool_workers;
    out["default_pool_workers"] = k_default_pool_workers;
    out["run_pool_memory_budget_bytes"] = k_run_pool_memory_budget_bytes;
    out["layer_pool_memory_budget_bytes"] = k_layer_pool_memory_budget_bytes;
    out["layer_read_chunk_bytes"] = k_layer_read_chunk_bytes;
    return out;
}

std::vector<std::string> config_keys() {
    std::vector<std::string> keys;
    for (const Key& key : k_keys) keys.push_back(key.name);
    return keys;
}

std::string format_field_error(const FieldError& error) { return error.field + ": " + error.message; }

}  // namespace spiketail
