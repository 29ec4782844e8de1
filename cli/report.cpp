#include "report.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "io/config_json.hpp"
#include "io/record_json.hpp"
#include "output.hpp"

namespace spiketail {

int fail_input(const std::string& line) {
    std::fprintf(stderr, "spiketail: %s\n", line.c_str());
    return k_exit_input;
}

int fail_field_errors(const std::string& source, const std::vector<FieldError>& errors) {
    const FieldError& first = errors.front();
    std::string line = source + ": " + (first.field.empty() ? first.message : format_field_error(first));
    if (errors.size() > 1)
        line += " (and " + std::to_string(errors.size() - 1) + " more problem" + (errors.size() > 2 ? "s" : "") + ")";
    return fail_input(line);
}

void print_notes(const Options& options, const LoadedConfig& loaded) {
    if (options.quiet) return;
    if (!loaded.ignored.empty()) {
        std::string keys;
        for (const std::string& key : loaded.ignored) keys += (keys.empty() ? "" : ", ") + key;
        std::fprintf(stderr, "spiketail: %s: ignored (plotting or runtime keys of the reference): %s\n",
                     options.config_path.c_str(), keys.c_str());
    }
    for (const std::string& note : loaded.notes)
        std::fprintf(stderr, "spiketail: %s: note: %s\n", options.config_path.c_str(), note.c_str());
}

int write_output(const Options& options, const nlohmann::ordered_json& document) {
    const OutputResult result = write_output_file(options.out_path, dump_document(document));
    if (result.ok) return k_exit_ok;
    std::fprintf(stderr, "spiketail: %s\n", result.error.c_str());
    return k_exit_output;
}

}  // namespace spiketail
