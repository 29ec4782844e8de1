// Merging: the first part names the sweep; every part must be of it; the document is complete or partial.
#include "merge_command.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "io/sweep_collect.hpp"
#include "report.hpp"
#include "sweep_plan.hpp"

namespace spiketail {
namespace {

// The missing runs in a message: every one when few, else the first ones and how many more.
std::string list_missing(const std::vector<SweepRun>& runs, const std::vector<std::size_t>& missing) {
    constexpr std::size_t k_listed = 20;
    std::string text;
    for (std::size_t k = 0; k < missing.size() && k < k_listed; ++k)
        text += "\n  " + describe_run(runs[missing[k]], missing[k]);
    if (missing.size() > k_listed) text += "\n  … and " + std::to_string(missing.size() - k_listed) + " more";
    return text;
}

}  // namespace

int command_merge(const Options& options) {
    std::vector<nlohmann::ordered_json> documents(options.parts.size());
    for (std::size_t p = 0; p < options.parts.size(); ++p) {
        std::string error;
        if (!read_result_file(options.parts[p], documents[p], error)) return fail_input(error);
    }
    const CollectedSweep collected = collect_sweep_documents(documents, options.parts, CollectOptions{});
    const std::vector<FieldError>& errors = collected.errors;
    if (!errors.empty()) {
        for (std::size_t k = 1; k < errors.size() && !options.quiet; ++k)
            std::fprintf(stderr, "spiketail: %s: %s\n", errors[k].field.c_str(), errors[k].message.c_str());
        return fail_input(errors.front().field + ": " + errors.front().message);
    }
    const std::vector<SweepRun>& runs = collected.runs;
    const SweepResults& results = collected.results;
    const std::size_t duplicates = collected.duplicates;
    RecordOptions record;  // of the first part that says (a partial document); complete ones do not
    record.detail = collected.record == "detail";
    record.eigenvalues = collected.record == "eigenvalues" || record.detail;
    for (std::size_t k = 0; k < collected.notes.size() && !options.quiet; ++k)  // the copies in error set aside
        std::fprintf(stderr, "spiketail: note: %s\n", collected.notes[k].c_str());
    const std::vector<std::size_t> missing = results.missing();
    if (!options.quiet) {
        std::fprintf(stderr, "spiketail: merged %zu parts: %zu of %zu runs%s\n", documents.size(), results.count(),
                     runs.size(), duplicates ? (", " + std::to_string(duplicates) + " duplicates kept once").c_str() : "");
    }
    if (!missing.empty() && (!options.quiet || !options.allow_missing)) {  // an incomplete sweep is always listed
        std::fprintf(stderr, "spiketail: %zu runs missing:%s\n", missing.size(), list_missing(runs, missing).c_str());
    }
    // The shard, if any, is not the merged document's: a partial merge is a progress save of the whole sweep.
    if (const int status = write_output(options, sweep_results_document(collected.spec, results, record)); status != k_exit_ok)
        return status;
    return missing.empty() || options.allow_missing ? k_exit_ok : k_exit_incomplete;
}

}  // namespace spiketail
