// Config <-> JSON in the schema of docs/schema.md (Config table).
//
// Parsing never throws (the wasm build cannot catch exceptions): a bad document, an unknown key, a value of
// the wrong type or out of range all come back as FieldErrors naming the field. Missing keys keep the
// study's defaults of Config.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "../config.hpp"

namespace spiketail {

struct ConfigParse {
    Config config;                   // the defaults overridden by every key that parsed
    std::vector<FieldError> errors;  // empty when the config is valid
    bool ok() const { return errors.empty(); }
};

// Parses a JSON document whose top level is an object of config keys, then validates it.
ConfigParse config_from_json(const std::string& text);
// The same for an already parsed value (used by the sweep parser, which removes its list keys first).
ConfigParse config_from_json_value(const nlohmann::json& value);

// The resolved config with every key, in the order docs/schema.md lists them. Output documents are
// ordered_json so that they read in a sensible order (step first in a probe, config first in a run);
// nlohmann::json(ordered) converts when a sorted value is wanted.
nlohmann::ordered_json config_to_json_value(const Config& config);
std::string config_to_json(const Config& config);

// The field table (config_schema.hpp) with the defaults of Config{}: [{"key", "type", "default", "min", "max",
// "min_exclusive", "max_exclusive", "max_expression", "choices", "rule", "meaning"}], the form's single source.
nlohmann::ordered_json config_schema_to_json_value();

// The method's constants a front end shows (docs/method.md): {"eigenvalue_floor", "min_fit_eigenvalues",
// "heavy_tail_alpha", "max_memory_bytes"}.
nlohmann::ordered_json method_constants_to_json_value();

// Every top-level key a config may have, in the schema's order.
std::vector<std::string> config_keys();

// [{"field": ..., "message": ...}, ...]
nlohmann::ordered_json field_errors_to_json(const std::vector<FieldError>& errors);
// "field: message" — the one line the CLI prints.
std::string format_field_error(const FieldError& error);

// Helpers shared with the sweep parser: read one typed value or record why not.
// "expected an integer", "expected a number", ...; range checks are left to validate().
bool json_read_int(const nlohmann::json& value, const std::string& field, int& out, std::vector<FieldError>& errors);
bool json_read_number(const nlohmann::json& value, const std::string& field, double& out,
                      std::vector<FieldError>& errors);
bool json_read_optimizer(const nlohmann::json& value, const std::string& field, OptimizerKind& out,
                         std::vector<FieldError>& errors);
// The JSON type's name as the messages say it: "a string", "an object", ...
std::string json_type_phrase(const nlohmann::json& value);

}  // namespace spiketail
