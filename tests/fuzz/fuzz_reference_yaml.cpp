// Fuzz target: a config of the study's reference implementation (YAML), as the CLI reads CONFIG.yml —
// cli/reference_yaml.hpp map_reference_yaml (the bounded first pass, then the mapping), then the document it
// maps to through the config or the sweep parser as `spiketail run` / `sweep` do; and yaml_to_json, which may
// throw only YAML::Exception. Checks: nothing else is thrown; every error has a message.
#include <yaml-cpp/exceptions.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "io/config_json.hpp"
#include "io/sweep_json.hpp"
#include "reference_yaml.hpp"

using namespace spiketail;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ReferenceMapping m = map_reference_yaml(text);
    // An empty key has many spellings in YAML ('', "", ? alone, !!str): no check of the field's name here.
    fuzz::check_errors(m.errors, true);
    if (m.ok()) {
        std::vector<FieldError> errors;
        if (m.is_sweep) {
            errors = sweep_from_json_value(m.document).errors;
        } else {
            m.document.erase("repeat");  // as cli/main.cpp command_run: one repeat is repeat 0
            errors = config_from_json_value(m.document).errors;
        }
        fuzz::check_errors(errors, true);
    }
    try {
        (void)yaml_to_json(text).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    } catch (const YAML::Exception&) {
    }
    return 0;
}
