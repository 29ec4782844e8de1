// Probe records and run documents as JSON (docs/schema.md, "Run", "Probe record" and "Sweep").
#include "record_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "config_json.hpp"
#include "json_values.hpp"
#include "sweep_json.hpp"

namespace spiketail {
namespace {

using Json = nlohmann::ordered_json;


Json array_of(const std::vector<double>& values) {
    Json out = Json::array();
    for (double x : values) out.push_back(number_or_null(x));
    return out;
}

// The fit's value when it was made, else null and its reason in messages[name].
Json fit_value(const PowerLawFit& fit, double value, const char* name, Json& messages) {
    if (fit.ok()) return number_or_null(value);
    if (!messages.contains(name)) messages[name] = fit.message.empty() ? to_string(fit.status) : fit.message;
    return nullptr;
}

std::string dump_compact(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

void dump_layered(const Json& value, int depth, std::string& out) {
    const bool expand = depth <= 1 && !value.empty() &&
                        (value.is_object() || (value.is_array() && value.front().is_object()));
    if (!expand) {
        out += dump_compact(value);
        return;
    }
    const std::string pad(2 * (depth + 1), ' ');
    out += value.is_object() ? "{\n" : "[\n";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ",\n";
        first = false;
        out += pad;
        if (value.is_object()) out += dump_compact(Json(it.key())) + ": ";
        dump_layered(it.value(), depth + 1, out);
    }
    out += "\n" + std::string(2 * depth, ' ') + (value.is_object() ? "}" : "]");
}

}  // namespace

nlohmann::ordered_json probe_record_to_json_value(const ProbeRecord& r, const RecordOptions& options) {
    const SpectralSummary& s = r.spectrum;
    Json messages = Json::object();
    Json out = Json::object();
    out["step"] = r.step;
    out["lr"] = number_or_null(r.lr);
    out["train_loss"] = number_or_null(r.train_loss);
    out["test_loss"] = number_or_null(r.test_loss);
    out["kta"] = number_or_null(r.kta);
    out["sim_w_beta"] = number_or_null(r.sim_w_beta);
    out["alpha_hill"] = fit_value(s.hill, s.hill.alpha, "hill", messages);
    out["hill_xmin"] = fit_value(s.hill, s.hill.xmin, "hill", messages);
    out["alpha_ks"] = fit_value(s.ks, s.ks.alpha, "ks", messages);
    out["ks_xmin"] = fit_value(s.ks, s.ks.xmin, "ks", messages);
    out["ks_D"] = fit_value(s.ks, s.ks.D, "ks", messages);
    out["ks_sigma"] = fit_value(s.ks, s.ks.sigma, "ks", messages);
    out["alpha_peak"] = fit_value(s.peak, s.peak.alpha, "peak", messages);
    out["peak_xmin"] = fit_value(s.peak, s.peak.xmin, "peak", messages);
    out["peak_D"] = fit_value(s.peak, s.peak.D, "peak", messages);
    out["fit_messages"] = messages;
    // What each fit says about the tail (powerlaw.hpp tail_shape): heavy, power_law, no_power_law, no_fit.
    out["tail_shape"] = Json{{"hill", to_string(tail_shape(s.hill))}, {"ks", to_string(tail_shape(s.ks))},
                             {"peak", to_string(tail_shape(s.peak))}};
    out["spectral_norm"] = number_or_null(s.spectral_norm);
    out["frobenius_norm"] = number_or_null(s.frobenius_norm);
    out["alpha_weighted"] = s.ks.ok() ? number_or_null(s.alpha_weighted) : Json(nullptr);
    out["log_spectral_norm"] = number_or_null(s.log_spectral_norm);
    out["stable_rank"] = number_or_null(s.stable_rank);
    out["num_spikes"] = s.num_spikes;
    out["mp_lower"] = number_or_null(s.mp.lower());
    out["mp_upper"] = number_or_null(s.mp.upper());
    out["mp_threshold"] = number_or_null(s.mp.spike_threshold());
    out["mp_variance"] = number_or_null(s.mp.variance);
    if (options.eigenvalues || options.detail) out["eigenvalues"] = array_of(s.eigenvalues);
    if (options.detail) {
        out["v_beta_overlap"] = array_of(r.v_beta_overlap);
        const UpdateAnalysis& u = r.update;
        if (u.available) {
            Json update = Json::object();
            update["singular_values"] = array_of(u.singular_values);
            update["k"] = u.k;
            update["u_overlap_prev"] = array_of(u.u_overlap_prev);
            update["v_overlap_prev"] = array_of(u.v_overlap_prev);
            update["u_overlap_cur"] = array_of(u.u_overlap_cur);
            update["v_overlap_cur"] = array_of(u.v_overlap_cur);
            out["update"] = std::move(update);
        }
    }
    return out;
}

std::string probe_record_to_json(const ProbeRecord& record, const RecordOptions& options) {
    return dump_compact(probe_record_to_json_value(record, options));
}

namespace {

Json probes_to_json_value(const std::vector<ProbeRecord>& probes, const RecordOptions& options) {
    Json records = Json::array();
    for (const ProbeRecord& r : probes) records.push_back(probe_record_to_json_value(r, options));
    return records;
}

}  // namespace

nlohmann::ordered_json run_to_json_value(const Config& config, RunStatus status, const std::string& message,
                                         const std::vector<ProbeRecord>& probes, const RecordOptions& options) {
    Json out = Json::object();
    out["config"] = config_to_json_value(config);
    out["status"] = to_string(status);
    out["message"] = message;
    out["probes"] = probes_to_json_value(probes, options);
    return out;
}

nlohmann::ordered_json run_to_json_value(const Session& session, const RecordOptions& options) {
    return run_to_json_value(session.config(), session.status(), session.message(), session.history(), options);
}

nlohmann::ordered_json sweep_result_to_json_value(const SweepRun& run, RunStatus status, const std::string& message,
                                                  const std::vector<ProbeRecord>& probes,
                                                  const RecordOptions& options) {
    Json out = sweep_run_to_json_value(run);
    out["status"] = to_string(status);
    out["message"] = message;
    out["probes"] = probes_to_json_value(probes, options);
    return out;
}

std::string dump_document(const nlohmann::ordered_json& document) {
    std::string out;
    dump_layered(document, 0, out);
    out += "\n";
    return out;
}

}  // namespace spiketail
