#include "findings.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "powerlaw.hpp"

namespace spiketail {
namespace {

// α_Hill below the heavy-tail line; NaN (no fit) is not below anything.
bool heavy(double alpha) { return alpha < k_heavy_tail_alpha; }

UpdateFacts update_facts(const ProbeFacts& p, int h, int d) {
    UpdateFacts u;
    if (p.update_singular_values.empty()) return u;
    double sum2 = 0;
    for (double s : p.update_singular_values) sum2 += s * s;
    u.available = true;
    u.step = p.step;
    u.lr = p.lr;
    u.norm = std::sqrt(sum2);
    u.top = p.update_singular_values.front();
    u.top_share = sum2 > 0 ? u.top * u.top / sum2 : NAN;
    u.sign_norm = p.lr * std::sqrt(static_cast<double>(h) * static_cast<double>(d));
    u.u_overlap_top = p.u_overlap_top;
    u.v_overlap_top = p.v_overlap_top;
    u.u_overlap_prev_top = p.u_overlap_prev_top;
    u.v_overlap_prev_top = p.v_overlap_prev_top;
    u.near_rank_one = u.top_share > 0.5;  // σ₁² is more than all the other σᵢ² together
    u.aligned = u.u_overlap_top > k_aligned_overlap && u.v_overlap_top > k_aligned_overlap;
    return u;
}

// +1 when ys rises at every step of xs (ascending), −1 when it falls at every step, else 0.
int trend(const std::vector<double>& ys) {
    if (ys.size() < 2) return 0;
    bool rises = true, falls = true;
    for (std::size_t i = 1; i < ys.size(); ++i) {
        if (!(ys[i] > ys[i - 1])) rises = false;
        if (!(ys[i] < ys[i - 1])) falls = false;
    }
    return rises ? 1 : falls ? -1 : 0;
}

double mean_or_nan(const SweepGroup& g, std::size_t metric) {
    return metric < g.last.size() && g.last[metric].count > 0 ? g.last[metric].mean : NAN;
}

std::size_t metric_index(const char* name) {
    const std::vector<std::string>& metrics = sweep_metrics();
    return static_cast<std::size_t>(std::find(metrics.begin(), metrics.end(), name) - metrics.begin());
}

}  // namespace

RunFindings run_findings(const std::vector<ProbeFacts>& probes, int h, int d) {
    RunFindings f;
    f.heavy_tail_alpha = k_heavy_tail_alpha;
    if (probes.empty()) {
        f.message = "the run has no probes";
        return f;
    }
    const ProbeFacts& first = probes.front();
    const ProbeFacts& last = probes.back();
    f.ok = true;
    f.first_step = first.step;
    f.last_step = last.step;
    f.lambda_max_initial = first.spectral_norm;
    f.lambda_max = last.spectral_norm;
    f.mp_lower = last.mp_lower;
    f.mp_upper = last.mp_upper;
    f.mp_threshold = last.mp_threshold;
    f.edge_ratio = last.mp_upper > 0 ? last.spectral_norm / last.mp_upper : NAN;
    f.inside_bulk_initial = first.spectral_norm <= first.mp_threshold;
    f.spike = last.spectral_norm > last.mp_threshold;
    f.num_spikes = last.num_spikes;
    f.beyond_threshold = static_cast<int>(std::count_if(last.eigenvalues.begin(), last.eigenvalues.end(),
                                                        [&](double v) { return v > last.mp_threshold; }));
    f.eigenvalue_count = static_cast<int>(first.eigenvalues.size());
    f.bulk_count = static_cast<int>(std::count_if(first.eigenvalues.begin(), first.eigenvalues.end(), [&](double v) {
        return v >= first.mp_lower && v <= first.mp_threshold;
    }));
    f.sim_initial = first.sim_w_beta;
    f.sim = last.sim_w_beta;
    f.sim_gain = first.sim_w_beta > 0 ? last.sim_w_beta / first.sim_w_beta : NAN;
    f.sim_rises = last.sim_w_beta > first.sim_w_beta;
    f.alpha_hill_initial = first.alpha_hill;
    f.alpha_hill = last.alpha_hill;
    f.alpha_ks = last.alpha_ks;
    f.ks_xmin = last.ks_xmin;
    f.ks_slope = 1.0 - last.alpha_ks;
    f.train_loss = last.train_loss;
    f.test_loss = last.test_loss;
    f.heavy_tail = heavy(last.alpha_hill);
    for (const ProbeFacts& p : probes) {
        if (heavy(p.alpha_hill)) {
            f.first_heavy_step = p.step;
            break;
        }
    }
    f.alpha_crosses = first.alpha_hill >= k_heavy_tail_alpha && f.first_heavy_step > first.step;
    f.alpha_falls = last.alpha_hill < first.alpha_hill;
    f.update = update_facts(last, h, d);
    return f;
}

UpdateComparison compare_updates(const RunFindings& a, const RunFindings& b) {
    UpdateComparison c;
    if (!a.update.available || !b.update.available || !(a.update.norm > 0) || !(b.update.norm > 0)) return c;
    c.available = true;
    c.update_norm_ratio = a.update.norm / b.update.norm;
    c.lr_to_match = b.update.lr * c.update_norm_ratio;
    return c;
}

SweepFindings sweep_findings(const std::vector<SweepGroup>& groups) {
    SweepFindings f;
    f.heavy_tail_alpha = k_heavy_tail_alpha;
    const std::size_t alpha = metric_index("alpha_hill"), sim = metric_index("sim_w_beta");
    const std::size_t train = metric_index("train_loss"), test = metric_index("test_loss");

    // Learning-rate sweeps: the groups without a parameter, by optimiser in order of appearance.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const SweepGroup*>> by_optimizer;
    for (const SweepGroup& g : groups) {
        if (!g.param.empty() || g.finished.empty()) continue;
        if (!by_optimizer.count(g.optimizer)) order.push_back(g.optimizer);
        by_optimizer[g.optimizer].push_back(&g);
    }
    for (const std::string& name : order) {
        std::vector<const SweepGroup*> list = by_optimizer[name];
        std::sort(list.begin(), list.end(), [](const SweepGroup* a, const SweepGroup* b) { return a->lr < b->lr; });
        OptimizerCurve c;
        c.optimizer = name;
        c.first_heavy_lr = NAN;
        c.alpha_hill_min = NAN;
        c.sim_max = NAN;
        for (const SweepGroup* g : list) {
            c.lrs.push_back(g->lr);
            const double a = mean_or_nan(*g, alpha), s = mean_or_nan(*g, sim);
            if (std::isnan(c.first_heavy_lr) && heavy(a)) c.first_heavy_lr = g->lr;
            if (std::isfinite(a) && !(a >= c.alpha_hill_min)) {
                c.alpha_hill_min = a;
                c.alpha_hill_min_lr = g->lr;
            }
            if (std::isfinite(s) && !(s <= c.sim_max)) {
                c.sim_max = s;
                c.sim_max_lr = g->lr;
            }
        }
        c.alpha_hill_smallest_lr = mean_or_nan(*list.front(), alpha);
        c.alpha_hill_largest_lr = mean_or_nan(*list.back(), alpha);
        c.sim_smallest_lr = mean_or_nan(*list.front(), sim);
        f.curves.push_back(std::move(c));
    }
    f.heavy_lr_ratio = NAN;
    const auto curve = [&](const char* name) -> const OptimizerCurve* {
        for (const OptimizerCurve& c : f.curves)
            if (c.optimizer == name) return &c;
        return nullptr;
    };
    const OptimizerCurve *gd = curve("gd"), *adam = curve("adam");
    if (gd && adam && std::isfinite(gd->first_heavy_lr) && std::isfinite(adam->first_heavy_lr))
        f.heavy_lr_ratio = gd->first_heavy_lr / adam->first_heavy_lr;

    // A parameter study: the values of its first (optimiser, η), ascending.
    const SweepGroup* lead = nullptr;
    for (const SweepGroup& g : groups)
        if (!g.param.empty() && !g.finished.empty()) { lead = &g; break; }
    if (lead) {
        f.param = lead->param;
        f.last_step = lead->steps.empty() ? 0 : lead->steps.back();
        for (const SweepGroup& g : groups) {
            if (g.param != lead->param || g.optimizer != lead->optimizer || g.lr != lead->lr || g.finished.empty()) continue;
            f.points.push_back({g.value, mean_or_nan(g, train), mean_or_nan(g, test), mean_or_nan(g, alpha)});
        }
        std::sort(f.points.begin(), f.points.end(), [](const StudyPoint& a, const StudyPoint& b) { return a.value < b.value; });
        std::vector<double> tests, alphas;
        for (const StudyPoint& p : f.points) {
            tests.push_back(p.test_loss);
            alphas.push_back(p.alpha_hill);
        }
        f.test_loss_trend = trend(tests);
        f.alpha_hill_trend = trend(alphas);
    }
    return f;
}

}  // namespace spiketail
