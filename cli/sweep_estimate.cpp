#include "sweep_estimate.hpp"

#include <nlohmann/json.hpp>

#include "report.hpp"
#include "sweep_cost.hpp"

namespace spiketail {

int write_sweep_estimate(const Options& options, const SweepJob& job) {
    using Json = nlohmann::ordered_json;
    Json runs = Json::array();
    double total = 0;
    for (std::size_t i : job.todo) {
        const Config& config = job.runs[i].config;
        const RunFlops flops = run_flops(config);
        const double seconds = predict_run_seconds(config);
        total += seconds;
        runs.push_back(Json{{"index", i}, {"gemm_flops", flops.gemm}, {"eig_flops", flops.eig},
                            {"cost", run_cost(config)}, {"predicted_seconds", seconds},
                            {"memory_bytes", estimate_memory_bytes(config)}});
    }
    Json document = Json::object();
    document["sweep_id"] = sweep_id(job.spec);
    document["runs_total"] = job.runs.size();
    document["seconds_per_gemm_flop"] = k_seconds_per_gemm_flop;
    document["runs"] = std::move(runs);
    document["predicted_seconds"] = total;  // one thread, one run after another
    return write_output(options, document);
}

}  // namespace spiketail
