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

// The most nodes (scalars, lists and mappings, keys included) a YAML config may have: 100,000. The
// reference's configs have a few dozen; a sweep list holds at most k_max_sweep_list (10,000) values.
constexpr long k_max_yaml_nodes = 100000;

// The bounded first pass over the text, before any tree is built (yaml-cpp's event parser): the size
// (k_max_document_bytes), one document only, no anchors or aliases (the reference's configs use none; an
// alias can make the tree recursive or exponentially large), at most k_max_yaml_nodes nodes nested at most
// k_max_document_depth deep, plain scalar keys, each key once per mapping (both positions named). Returns
// the problems found, each naming the key path ("n", "lr_scheduler_kwargs.gamma") or "yaml", with the
// line and column; empty when the text may be loaded. Stops at the first structural problem.
std::vector<FieldError> check_yaml_text(const std::string& yaml_text);

// Parses YAML text (the reference's config format), checked by check_yaml_text first, and maps it. Never throws.
ReferenceMapping map_reference_yaml(const std::string& yaml_text);

// YAML scalars are untyped: plain scalars become null, booleans, integers or numbers when they read as
// one (YAML 1.1 as PyYAML, which the reference uses, except that 1e-2 is a number here and a string
// there), quoted scalars stay strings. Keys keep the file's
// order. Throws YAML::Exception (also for what check_yaml_text refuses, with its first message).
nlohmann::ordered_json yaml_to_json(const std::string& yaml_text);

}  // namespace spiketail
