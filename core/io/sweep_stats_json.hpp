// A sweep's runs read from JSON for summarize_sweep (sweep_stats.hpp), and its summary as JSON.
//
// In:  [{"optimizer", "lr", "repeat", "param", "value", "status", "probes": [{"step", metric, ...}]}, ...]
//      (a sweep document's "runs", or the page's runs in plan order; a run without "status" has not finished)
// Out: {"metrics": [name, ...],
//       "groups": [{"optimizer", "lr", "param", "value", "runs": [i], "finished": [i], "left_out": [i],
//                   "last": {metric: {"mean", "std", "count"} | null},
//                   "steps": [step], "per_step": {metric: [{"mean", "std", "count"} | null, ...]}}]}
// Nothing throws: entries that are not objects count as runs that have not finished.
// Method: docs/method.md §7.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "../sweep_stats.hpp"

namespace spiketail {

std::vector<SweepOutcome> sweep_outcomes_from_json(const nlohmann::json& runs);
nlohmann::ordered_json sweep_summary_to_json_value(const std::vector<SweepGroup>& groups);

}  // namespace spiketail
