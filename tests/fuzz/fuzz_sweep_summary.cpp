// Fuzz target: a sweep document's runs as the page imports a sweep file (web/sweep/results.js -> the wasm
// summarizeSweep): core/io/sweep_stats_json.hpp sweep_outcomes_from_json, summarize_sweep and the summary's
// JSON, and the sweep's findings (core/findings.hpp sweep_findings, the wasm sweepFindings of the guided tour).
// The input is a sweep document ({"config", "runs"}) or the runs themselves. Checks: nothing throws; every run
// is in exactly one group, as finished or left out; the findings dump.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "io/findings_json.hpp"
#include "io/sweep_stats_json.hpp"

using namespace spiketail;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    const nlohmann::json* runs = &doc;
    if (doc.is_object()) {
        const auto it = doc.find("runs");
        if (it != doc.end()) runs = &*it;
    }
    const std::vector<SweepOutcome> outcomes = sweep_outcomes_from_json(*runs);
    const std::vector<SweepGroup> groups = summarize_sweep(outcomes);
    std::size_t counted = 0;
    for (const SweepGroup& g : groups) {
        check(g.runs.size() == g.finished.size() + g.left_out.size(), "a run neither finished nor left out");
        counted += g.runs.size();
    }
    check(counted == outcomes.size(), "a run in no group or in two");
    (void)sweep_summary_to_json_value(groups).dump();
    (void)sweep_findings_to_json_value(sweep_findings(groups)).dump();
    return 0;
}
