// Sweep documents in parts: the "partial" object, the sweep's identity, and collecting the runs of several
// documents (shards, progress saves, a file to resume) onto the grid, with every check a merge needs.
// docs/schema.md, "Partial sweep"; docs/method.md §7, "Shards, merge and resume".
//
// A document that holds every run of its sweep is {"config", "runs"}, exactly as a single-machine sweep writes
// it; one that holds fewer is {"config", "partial", "runs"}, its runs in grid order:
//   "partial": {"sweep_id": "<16 hex digits>", "runs_total": R, "shard": {"index": K, "count": N} | null,
//               "record": "default" | "eigenvalues" | "detail", "run_indices": [grid index of runs[j], ...]}
// sweep_id = FNV-1a 64 (sweep_shard.hpp) of the bytes of sweep_spec_to_json_value(spec).dump(): the resolved
// sweep config as the document's "config" holds it, written compactly (no spaces, keys in written order,
// numbers as nlohmann::json writes them). Two documents belong to the same sweep when their ids are equal.
// Nothing here reads files or throws.
#pragma once
#include <nlohmann/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../sweep.hpp"
#include "../sweep_shard.hpp"
#include "record_json.hpp"

namespace spiketail {

// The identity of a sweep, as above.
std::string sweep_id(const SweepSpec& spec);

// "default", "eigenvalues" or "detail": what each probe of the runs holds (--eigenvalues, --detail).
std::string record_name(const RecordOptions& record);

struct SweepPartial {
    std::string sweep_id;
    std::uint64_t runs_total = 0;
    bool sharded = false;
    ShardSpec shard;               // when sharded
    std::string record = "default";
    std::vector<std::size_t> run_indices;  // ascending
};

nlohmann::ordered_json sweep_partial_to_json_value(const SweepPartial& partial);
// Reads a "partial" object; every problem is a FieldError named partial.<key>.
std::vector<FieldError> sweep_partial_from_json(const nlohmann::ordered_json& value, SweepPartial& out);

// The results of one sweep as they are collected: one slot per grid index.
struct SweepResults {
    std::vector<nlohmann::ordered_json> entries;  // entries[i] holds run i's entry when filled[i]
    std::vector<char> filled;
    std::vector<std::string> source;              // where entries[i] came from, for messages
    explicit SweepResults(std::size_t runs = 0) : entries(runs), filled(runs, 0), source(runs) {}
    std::size_t count() const;
    std::vector<std::size_t> missing() const;
};

// The document of the filled slots: complete ({config, runs}) when every slot is filled, else with "partial"
// (sweep_id of spec, record, shard when given).
nlohmann::ordered_json sweep_results_document(const SweepSpec& spec, const SweepResults& results,
                                              const RecordOptions& record, const ShardSpec* shard = nullptr);

// "run 17 (adam, lr 10, repeat 1)" or "run 3 (adam, lr 1, repeat 0, n = 500)": a grid run in messages.
std::string describe_run(const SweepRun& run, std::size_t index);

// What collecting one document found.
struct CollectReport {
    std::size_t added = 0;       // slots it filled
    std::size_t duplicates = 0;  // runs already filled with an identical entry, kept once
    std::size_t errors_replaced = 0;  // runs where one copy ended in error and the other did not (kept: the other)
    std::vector<FieldError> errors;  // field: the document's source, message naming the run or key
    std::vector<std::string> notes;  // what a reader should know and is no error: the copies in error set aside
};

// What a document must be to join the results: a sweep document of `id`, its probes recorded as `record`
// (unchecked for a document without "partial", which does not say), its runs those of `runs` (the expansion of
// the sweep). skip_errors leaves runs with status "error" unfilled, so that a resumed sweep runs them again.
struct CollectTarget {
    const std::vector<SweepRun>* runs = nullptr;
    std::string id;
    std::string id_origin;       // where the id comes from, for the message when it differs ("CONFIG", a file)
    std::string record;          // empty: not checked
    bool skip_errors = false;
};

// Places the runs of one parsed document into results: each matched to its grid index (partial.run_indices,
// else the position in a complete document, else the first unfilled run with the same config), checked
// against the expansion (optimizer, lr, repeat, param, value, config), a duplicate compared by value (every
// number exactly; 10 and 10.0 are the same number, so a part rewritten by another JSON tool still matches).
// A duplicate where one copy has status "error" and the other not: a run's numbers depend only on its config,
// so an error beside a finished (or diverged) copy came from the machine (killed, out of memory), not from the
// run; the other copy is kept, whichever document comes first, and a note names the run and both sources. Two
// copies in error with different messages: the first is kept, with a note. Any other difference is an error.
// A problem with the document itself (not a sweep, another sweep) stops it; a problem with a run skips the run.
CollectReport collect_sweep_document(const nlohmann::ordered_json& document, const std::string& source,
                                     const CollectTarget& target, SweepResults& results);

// The spec of a result document's "config" (a resolved sweep config), its id, and the "partial" object when
// present: the first step of merging or resuming. Problems name source and the field.
struct SweepDocumentHead {
    SweepSpec spec;
    std::string id;
    bool has_partial = false;
    SweepPartial partial;
    std::vector<FieldError> errors;
};
SweepDocumentHead read_sweep_document_head(const nlohmann::ordered_json& document, const std::string& source);

}  // namespace spiketail
