// Configs of the study's reference implementation (github.com/kvignesh1420/single-index-ht, configs/*.yml)
// mapped onto spiketail's JSON config or sweep document (docs/schema.md, docs/cli.md has the table).
//
//   num_epochs x ceil(n / batch_size)        -> num_steps   (batch_size defaults to n, as its bulk scripts set)
//   probe_freq_steps                         -> probe_every
//   lr_scheduler_cls: StepLR + _kwargs       -> lr_scheduler {step_size, gamma}
//   varying_param: p  (p's value is a list)  -> vary: {p: [...]}
//   optimizer / lr lists, repeat (a count)   -> the sweep's lists and number of repeats
//   L (must be 2)                            -> checked, then dropped
//   plotting and runtime keys                -> accepted, listed in `ignored`
// A key that neither the reference nor spiketail knows is an error naming it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"

namespace spiketail {

struct ReferenceMapping {
    nlohmann::json document = nlohmann::json::object();  // a spiketail config, or a sweep document
    bool is_sweep = false;              // lists, a varying_param or repeat > 1: only `spiketail sweep` runs it
    std::vector<std::string> ignored;   // reference keys that only steer its plots or its runtime
    std::vector<std::string> notes;     // how a key was translated when it is not one to one
    std::vector<FieldError> errors;
    bool ok() const { return errors.empty(); }
};

// Parses YAML text (the reference's config format) and maps it. Never throws.
ReferenceMapping map_reference_yaml(const std::string& yaml_text);

// YAML scalars are untyped: plain scalars become null, booleans, integers or numbers when they read as
// one (YAML 1.1 as PyYAML, which the reference uses, except that 1e-2 is a number here and a string
// there), quoted scalars stay strings. Keys keep the file's
// order. Throws YAML::Exception.
nlohmann::ordered_json yaml_to_json(const std::string& yaml_text);

}  // namespace spiketail
