// Fuzz target: a sweep result document as `spiketail merge` and `sweep --resume` read it — core/io/sweep_parts.hpp
// read_sweep_document_head (the config, the "partial" object) and collect_sweep_document (every run matched to
// the grid and checked), and collect_sweep_documents (sweep_collect.hpp: merge's and the page's collector) on
// the document twice. Checks: nothing throws; a document's runs fill at most the grid; the document written
// from what was collected reads back to the same runs, byte for byte, with no error; the same document twice
// collects the same runs, each second copy a duplicate kept once, with no note.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "io/record_json.hpp"
#include "io/sweep_collect.hpp"
#include "io/sweep_parts.hpp"
#include "sweep.hpp"

using namespace spiketail;
using fuzz::check;

namespace {
constexpr long long k_max_expanded = 256;  // beyond this many runs only the head is read (throughput)
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::ordered_json document =
        nlohmann::ordered_json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    const SweepDocumentHead head = read_sweep_document_head(document, "fuzz.json");
    if (!head.errors.empty() || count_sweep_runs(head.spec) > k_max_expanded) return 0;

    const std::vector<SweepRun> runs = expand_sweep(head.spec);
    CollectTarget target;
    target.runs = &runs;
    target.id = head.id;
    target.id_origin = "fuzz";
    target.record = head.has_partial ? head.partial.record : "";
    SweepResults results(runs.size());
    const CollectReport report = collect_sweep_document(document, "fuzz.json", target, results);
    check(report.added == results.count() && report.added <= runs.size(), "collected runs miscounted");

    RecordOptions record;
    record.detail = target.record == "detail";
    record.eigenvalues = target.record == "eigenvalues";
    const std::string written = dump_document(sweep_results_document(head.spec, results, record));
    const nlohmann::ordered_json again = nlohmann::ordered_json::parse(written);
    SweepResults reread(runs.size());
    const CollectReport second = collect_sweep_document(again, "written.json", target, reread);
    check(second.errors.empty(), "a document written from collected runs does not read back");
    check(dump_document(sweep_results_document(head.spec, reread, record)) == written,
          "a document written from collected runs reads back to other runs");

    const CollectedSweep twice = collect_sweep_documents({document, document}, {"a.json", "b.json"}, CollectOptions{});
    check(twice.notes.empty(), "a document collected with itself has a copy in error set aside");
    check(twice.results.filled == results.filled && twice.results.entries == results.entries,
          "a document collected with itself fills other runs");
    check(twice.duplicates == report.added, "a document collected with itself: not every second copy a duplicate");
    return 0;
}
