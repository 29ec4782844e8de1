#include "sweep_glue.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "io/config_json.hpp"
#include "io/sweep_json.hpp"
#include "sweep.hpp"

namespace spiketail {

std::string expand_sweep_json(const std::string& sweep_json) {
    const SweepParse parsed = sweep_from_json(sweep_json);
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["ok"] = parsed.ok();
    out["errors"] = field_errors_to_json(parsed.errors);
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    double memory = 0;  // the largest run's estimate, by which the page sizes its pool of workers
    if (parsed.ok())
        for (const SweepRun& run : expand_sweep(parsed.spec)) {
            runs.push_back(sweep_run_to_json_value(run));
            memory = std::max(memory, estimate_memory_bytes(run.config));
        }
    out["runs"] = std::move(runs);
    if (parsed.ok()) {
        out["config"] = sweep_spec_to_json_value(parsed.spec);  // the sweep document's "config", as the CLI writes it
        out["memory"] = memory;
    }
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace spiketail
