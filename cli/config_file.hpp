// Reading a CONFIG argument: a spiketail JSON document, or a YAML config of the reference implementation.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"

namespace spiketail {

struct LoadedConfig {
    nlohmann::json document = nlohmann::json::object();
    bool reference_yaml = false;     // mapped from the reference's YAML: "repeat" is a count there
    bool is_sweep = false;           // optimizer/lr lists, vary, or (YAML) repeat > 1
    std::vector<std::string> ignored;
    std::vector<std::string> notes;
    std::vector<FieldError> errors;  // file, syntax and mapping errors; config values are checked later
};

// path "-" reads stdin. *.json is JSON, *.yml / *.yaml is YAML; otherwise a document starting with '{'
// is JSON and anything else YAML.
LoadedConfig load_config_file(const std::string& path);

}  // namespace spiketail
