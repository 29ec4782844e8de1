// The findings of runs and sweeps (findings.hpp) from and to JSON: what the page's guided tour reads.
//
// Runs in:  [{"config": {"h", "d", ...}, "probes": [probe record, ...]}, ...]  (run documents, detail records
//           for the update and the first probe's eigenvalues; docs/schema.md)
// Runs out: {"runs": [RunFindings | {"ok": false, "message"}], "versus_first": [null, UpdateComparison | null, ...]}
//           every number that is not finite as null; "first_heavy_step" null when no probe is below the line.
// Sweep in: a sweep's runs as summarize_sweep reads them (sweep_stats_json.hpp).
// Sweep out: {"curves": [...], "heavy_lr_ratio", "param", "points": [...], "test_loss_trend", "alpha_hill_trend",
//             "heavy_tail_alpha"}
// Nothing throws: entries of the wrong type read as missing. Method: docs/method.md §13.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "../findings.hpp"

namespace spiketail {

std::vector<ProbeFacts> probe_facts_from_json(const nlohmann::json& probes);
nlohmann::ordered_json run_findings_to_json_value(const RunFindings& findings);
// Run documents -> their findings and each run's first update against the first run's.
nlohmann::ordered_json runs_findings_json(const nlohmann::json& runs);
nlohmann::ordered_json sweep_findings_to_json_value(const SweepFindings& findings);

}  // namespace spiketail
