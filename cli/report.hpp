// What the commands say and write: one-line errors on stderr with their exit status, the reference YAML's
// notes, and a document written to --out or stdout (output.hpp).
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "config.hpp"
#include "config_file.hpp"

namespace spiketail {

// "spiketail: <line>" on stderr; returns k_exit_input.
int fail_input(const std::string& line);
// The first error, named after source and the field, and how many more there are; returns k_exit_input.
int fail_field_errors(const std::string& source, const std::vector<FieldError>& errors);
// The keys of a reference YAML that were ignored, and its notes (unless --quiet).
void print_notes(const Options& options, const LoadedConfig& loaded);
// The document to --out or stdout: k_exit_ok, or k_exit_output with the reason on stderr.
int write_output(const Options& options, const nlohmann::ordered_json& document);

}  // namespace spiketail
