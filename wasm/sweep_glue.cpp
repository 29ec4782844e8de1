#include "sweep_glue.hpp"

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
    if (parsed.ok())
        for (const SweepRun& run : expand_sweep(parsed.spec)) runs.push_back(sweep_run_to_json_value(run));
    out["runs"] = std::move(runs);
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace spiketail
