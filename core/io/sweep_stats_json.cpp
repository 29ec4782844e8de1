#include "sweep_stats_json.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "json_values.hpp"

namespace spiketail {
namespace {

using Json = nlohmann::ordered_json;

// x as an int when it lies within int's range (truncated, as a cast does); false for NaN and beyond, where a
// cast would be undefined behaviour (found by fuzzing: "step": 2147483648).
bool int_within_range(double x, int& out) {
    if (!(x >= std::numeric_limits<int>::min() && x <= std::numeric_limits<int>::max())) return false;
    out = static_cast<int>(x);
    return true;
}

std::string string_or_empty(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json stats_or_null(const MetricStats& s) {
    if (s.count == 0) return nullptr;
    return Json{{"mean", s.mean}, {"std", s.std}, {"count", s.count}};
}

}  // namespace

std::vector<SweepOutcome> sweep_outcomes_from_json(const nlohmann::json& runs) {
    std::vector<SweepOutcome> outcomes;
    if (!runs.is_array()) return outcomes;
    for (const nlohmann::json& run : runs) {
        SweepOutcome o;
        if (run.is_object()) {
            o.optimizer = string_or_empty(run, "optimizer");
            o.lr = number_or_nan(run, "lr");
            if (!int_within_range(number_or_nan(run, "repeat"), o.repeat)) o.repeat = 0;
            o.param = string_or_empty(run, "param");
            o.value = o.param.empty() ? 0.0 : number_or_nan(run, "value");
            o.status = string_or_empty(run, "status");
            const auto probes = run.find("probes");
            if (probes != run.end() && probes->is_array()) {
                for (const nlohmann::json& probe : *probes) {
                    // A probe without a step, or with one beyond int's range, or not after the previous one is skipped.
                    int step = 0;
                    if (!probe.is_object() || !int_within_range(number_or_nan(probe, "step"), step) ||
                        (!o.steps.empty() && step <= o.steps.back()))
                        continue;
                    o.steps.push_back(step);
                    std::vector<double> values;
                    for (const std::string& metric : sweep_metrics()) values.push_back(number_or_nan(probe, metric));
                    o.metrics.push_back(std::move(values));
                }
            }
        }
        outcomes.push_back(std::move(o));
    }
    return outcomes;
}

nlohmann::ordered_json sweep_summary_to_json_value(const std::vector<SweepGroup>& groups) {
    const std::vector<std::string>& metrics = sweep_metrics();
    Json out = Json::object();
    out["metrics"] = metrics;
    Json list = Json::array();
    for (const SweepGroup& g : groups) {
        Json group = Json::object();
        group["optimizer"] = g.optimizer;
        group["lr"] = g.lr;
        group["param"] = g.param.empty() ? Json(nullptr) : Json(g.param);
        group["value"] = g.param.empty() ? Json(nullptr) : Json(g.value);
        group["runs"] = g.runs;
        group["finished"] = g.finished;
        group["left_out"] = g.left_out;
        Json last = Json::object(), per_step = Json::object();
        for (std::size_t m = 0; m < metrics.size(); ++m) {
            last[metrics[m]] = stats_or_null(g.last[m]);
            Json series = Json::array();
            for (const std::vector<MetricStats>& at_step : g.per_step) series.push_back(stats_or_null(at_step[m]));
            per_step[metrics[m]] = std::move(series);
        }
        group["last"] = std::move(last);
        group["steps"] = g.steps;
        group["per_step"] = std::move(per_step);
        list.push_back(std::move(group));
    }
    out["groups"] = std::move(list);
    return out;
}

}  // namespace spiketail
