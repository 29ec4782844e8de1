#include "findings_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "json_values.hpp"

namespace spiketail {
namespace {

using Json = nlohmann::ordered_json;

int int_or(const nlohmann::json& object, const char* key, int fallback) {
    const double x = number_or_nan(object, key);
    return x >= -2147483648.0 && x <= 2147483647.0 ? static_cast<int>(x) : fallback;
}

std::vector<double> numbers(const nlohmann::json& object, const char* key) {
    std::vector<double> out;
    if (!object.is_object()) return out;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_array()) return out;
    for (const nlohmann::json& v : *it) out.push_back(v.is_number() ? v.get<double>() : NAN);
    return out;
}

Json update_to_json(const UpdateFacts& u) {
    if (!u.available) return nullptr;
    Json out = Json::object();
    out["step"] = u.step;
    out["lr"] = number_or_null(u.lr);
    out["norm"] = number_or_null(u.norm);
    out["top"] = number_or_null(u.top);
    out["top_share"] = number_or_null(u.top_share);
    out["sign_norm"] = number_or_null(u.sign_norm);
    out["u_overlap_top"] = number_or_null(u.u_overlap_top);
    out["v_overlap_top"] = number_or_null(u.v_overlap_top);
    out["u_overlap_prev_top"] = number_or_null(u.u_overlap_prev_top);
    out["v_overlap_prev_top"] = number_or_null(u.v_overlap_prev_top);
    out["near_rank_one"] = u.near_rank_one;
    out["aligned"] = u.aligned;
    return out;
}

}  // namespace

std::vector<ProbeFacts> probe_facts_from_json(const nlohmann::json& probes) {
    std::vector<ProbeFacts> out;
    if (!probes.is_array()) return out;
    for (const nlohmann::json& p : probes) {
        if (!p.is_object()) continue;
        ProbeFacts f;
        f.step = int_or(p, "step", 0);
        f.lr = number_or_nan(p, "lr");
        f.spectral_norm = number_or_nan(p, "spectral_norm");
        f.mp_lower = number_or_nan(p, "mp_lower");
        f.mp_upper = number_or_nan(p, "mp_upper");
        f.mp_threshold = number_or_nan(p, "mp_threshold");
        f.num_spikes = int_or(p, "num_spikes", 0);
        f.sim_w_beta = number_or_nan(p, "sim_w_beta");
        f.alpha_hill = number_or_nan(p, "alpha_hill");
        f.alpha_ks = number_or_nan(p, "alpha_ks");
        f.ks_xmin = number_or_nan(p, "ks_xmin");
        f.train_loss = number_or_nan(p, "train_loss");
        f.test_loss = number_or_nan(p, "test_loss");
        f.eigenvalues = numbers(p, "eigenvalues");
        f.u_overlap_top = f.v_overlap_top = f.u_overlap_prev_top = f.v_overlap_prev_top = NAN;
        const auto update = p.find("update");
        if (update != p.end() && update->is_object()) {
            f.update_singular_values = numbers(*update, "singular_values");
            const auto top = [&](const char* key) {
                const std::vector<double> values = numbers(*update, key);
                return values.empty() ? NAN : values.front();
            };
            f.u_overlap_top = top("u_overlap_cur");
            f.v_overlap_top = top("v_overlap_cur");
            f.u_overlap_prev_top = top("u_overlap_prev");
            f.v_overlap_prev_top = top("v_overlap_prev");
        }
        out.push_back(std::move(f));
    }
    return out;
}

nlohmann::ordered_json run_findings_to_json_value(const RunFindings& f) {
    Json out = Json::object();
    out["ok"] = f.ok;
    if (!f.ok) {
        out["message"] = f.message;
        return out;
    }
    out["first_step"] = f.first_step;
    out["last_step"] = f.last_step;
    out["lambda_max_initial"] = number_or_null(f.lambda_max_initial);
    out["lambda_max"] = number_or_null(f.lambda_max);
    out["mp_lower"] = number_or_null(f.mp_lower);
    out["mp_upper"] = number_or_null(f.mp_upper);
    out["mp_threshold"] = number_or_null(f.mp_threshold);
    out["edge_ratio"] = number_or_null(f.edge_ratio);
    out["bulk_count"] = f.bulk_count;
    out["eigenvalue_count"] = f.eigenvalue_count;
    out["inside_bulk_initial"] = f.inside_bulk_initial;
    out["spike"] = f.spike;
    out["num_spikes"] = f.num_spikes;
    out["beyond_threshold"] = f.beyond_threshold;
    out["sim_initial"] = number_or_null(f.sim_initial);
    out["sim"] = number_or_null(f.sim);
    out["sim_gain"] = number_or_null(f.sim_gain);
    out["sim_rises"] = f.sim_rises;
    out["alpha_hill_initial"] = number_or_null(f.alpha_hill_initial);
    out["alpha_hill"] = number_or_null(f.alpha_hill);
    out["alpha_ks"] = number_or_null(f.alpha_ks);
    out["ks_xmin"] = number_or_null(f.ks_xmin);
    out["ks_slope"] = number_or_null(f.ks_slope);
    out["train_loss"] = number_or_null(f.train_loss);
    out["test_loss"] = number_or_null(f.test_loss);
    out["heavy_tail"] = f.heavy_tail;
    out["alpha_crosses"] = f.alpha_crosses;
    out["alpha_falls"] = f.alpha_falls;
    out["first_heavy_step"] = f.first_heavy_step >= 0 ? Json(f.first_heavy_step) : Json(nullptr);
    out["heavy_tail_alpha"] = f.heavy_tail_alpha;
    out["update"] = update_to_json(f.update);
    return out;
}

nlohmann::ordered_json runs_findings_json(const nlohmann::json& runs) {
    Json out = Json::object();
    Json list = Json::array(), versus = Json::array();
    std::vector<RunFindings> all;
    if (runs.is_array()) {
        for (const nlohmann::json& run : runs) {
            const nlohmann::json config = run.is_object() && run.contains("config") ? run["config"] : nlohmann::json();
            const nlohmann::json probes = run.is_object() && run.contains("probes") ? run["probes"] : nlohmann::json();
            all.push_back(run_findings(probe_facts_from_json(probes), int_or(config, "h", 0), int_or(config, "d", 0)));
            list.push_back(run_findings_to_json_value(all.back()));
        }
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        const UpdateComparison c = i == 0 ? UpdateComparison() : compare_updates(all.front(), all[i]);
        versus.push_back(c.available ? Json{{"update_norm_ratio", number_or_null(c.update_norm_ratio)},
                                            {"lr_to_match", number_or_null(c.lr_to_match)}}
                                     : Json(nullptr));
    }
    out["runs"] = std::move(list);
    out["versus_first"] = std::move(versus);
    return out;
}

nlohmann::ordered_json sweep_findings_to_json_value(const SweepFindings& f) {
    Json out = Json::object();
    Json curves = Json::array();
    for (const OptimizerCurve& c : f.curves) {
        Json j = Json::object();
        j["optimizer"] = c.optimizer;
        j["lrs"] = c.lrs;
        j["alpha_hill_smallest_lr"] = number_or_null(c.alpha_hill_smallest_lr);
        j["alpha_hill_largest_lr"] = number_or_null(c.alpha_hill_largest_lr);
        j["alpha_hill_min"] = number_or_null(c.alpha_hill_min);
        j["alpha_hill_min_lr"] = std::isfinite(c.alpha_hill_min) ? number_or_null(c.alpha_hill_min_lr) : Json(nullptr);
        j["first_heavy_lr"] = number_or_null(c.first_heavy_lr);
        j["sim_smallest_lr"] = number_or_null(c.sim_smallest_lr);
        j["sim_max"] = number_or_null(c.sim_max);
        j["sim_max_lr"] = std::isfinite(c.sim_max) ? number_or_null(c.sim_max_lr) : Json(nullptr);
        curves.push_back(std::move(j));
    }
    out["curves"] = std::move(curves);
    out["heavy_lr_ratio"] = number_or_null(f.heavy_lr_ratio);
    out["param"] = f.param.empty() ? Json(nullptr) : Json(f.param);
    Json points = Json::array();
    for (const StudyPoint& p : f.points)
        points.push_back(Json{{"value", number_or_null(p.value)}, {"train_loss", number_or_null(p.train_loss)},
                              {"test_loss", number_or_null(p.test_loss)}, {"alpha_hill", number_or_null(p.alpha_hill)}});
    out["points"] = std::move(points);
    out["last_step"] = f.last_step;
    out["test_loss_trend"] = f.test_loss_trend;
    out["alpha_hill_trend"] = f.alpha_hill_trend;
    out["heavy_tail_alpha"] = f.heavy_tail_alpha;
    return out;
}

}  // namespace spiketail
