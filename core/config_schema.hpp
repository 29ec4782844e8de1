// The config's fields as data: key, type, allowed range or values (docs/schema.md, Config table).
// validate() checks the ranges from this table, io/config_json publishes it with the defaults of Config{}
// (the wasm API's configSchema(), which the page builds its form from), so a field's type, default and range
// are written once, here and in Config.
// Method: docs/method.md §12.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "config.hpp"

namespace spiketail {

enum class FieldType { integer, number, boolean, choice };
const char* to_string(FieldType type);

struct FieldSpec {
    std::string key;  // dotted for nested fields: "lr_scheduler.gamma"
    FieldType type = FieldType::number;
    // integer and number fields: lower <= value (lower < value when lower_open), and likewise upper; an
    // infinite bound is none. A number field must be finite.
    double lower = -INFINITY, upper = INFINITY;
    bool lower_open = false, upper_open = false;
    bool float32 = false;               // used as float32: a nonzero value must lie in [FLT_MIN, FLT_MAX], or it
                                        // would round to 0 or infinity (lr 1e-320 would be a run that never moves)
    std::string upper_expression;       // a bound that depends on other fields ("min(h, d)"), checked by validate()
    std::vector<std::string> choices;   // choice fields: the accepted values
    double (*value)(const Config&) = nullptr;  // integer and number fields: the field's value in a config
    std::string meaning;                // one line: what the field is
};

// Every field, in the schema's order (the order of config_to_json_value).
const std::vector<FieldSpec>& config_fields();
const FieldSpec* find_config_field(const std::string& key);

// "must be an integer >= 1", "must be finite and > 0", "must be in [0, 1)": the rule of a range, as messages
// say it; empty for fields without one.
std::string range_rule(const FieldSpec& field);
// True when the value is inside the field's static range (upper_expression is not checked here).
bool in_range(const FieldSpec& field, double value);
// The message for the field's value in the config when it is out of range ("must be finite and > 0 (got 0)"),
// its upper_expression included; empty when the value is fine or the field has no range.
std::string range_error(const FieldSpec& field, const Config& config);

}  // namespace spiketail
