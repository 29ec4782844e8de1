// Several sweep documents collected onto one grid: what `spiketail merge` and the page's Import and Resume do
// (docs/method.md §7, "Shards, merge and resume"; sweep_parts.hpp holds the checks of one document).
//
// The sweep is the target's when one is given (the page's form: a document of another sweep is refused), else
// the first document's. Every document is checked and collected in turn (collect_sweep_document); the result
// says which grid runs are filled and which are missing. Nothing here reads files or throws.
#pragma once
#include <nlohmann/json.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "../sweep.hpp"
#include "sweep_parts.hpp"

namespace spiketail {

struct CollectedSweep {
    std::vector<FieldError> errors;  // field: the document's name; empty when every document was taken
    std::vector<std::string> notes;  // the copies in error set aside (collect_sweep_document)
    SweepSpec spec;
    std::string id;
    std::vector<SweepRun> runs;      // the expansion of spec
    std::string record;              // of the first partial document that says; "" when none does
    SweepResults results;
    std::size_t duplicates = 0;
    bool ok() const { return errors.empty(); }
};

// documents[k] named names[k] (a file name, for messages). target: the sweep they must belong to (null: the
// first document's), named target_name in messages. record: what every partial document's probes must hold
// ("default", "eigenvalues", "detail"; empty: the first partial document's). rerun_errors: runs with status
// "error" are left unfilled, as --resume does, so that they run again.
struct CollectOptions {
    const SweepSpec* target = nullptr;
    std::string target_name;
    std::string record;
    bool rerun_errors = false;
};
CollectedSweep collect_sweep_documents(const std::vector<nlohmann::ordered_json>& documents,
                                       const std::vector<std::string>& names, const CollectOptions& options);

}  // namespace spiketail
