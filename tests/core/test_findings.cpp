// Findings (findings.hpp): what the guided tour's captions say, checked against closed forms on hand-made probes
// and against real runs (Adam's first update has the norm η√(hd); GD's first update is linear in η, so GD at
// compare_updates' lr_to_match makes an update of Adam's size).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "findings.hpp"
#include "helpers.hpp"
#include "io/findings_json.hpp"
#include "io/record_json.hpp"
#include "session.hpp"

using namespace spiketail;
using spiketail::test::small_config;

namespace {

ProbeFacts probe(int step, double lambda_max, double alpha_hill, double sim) {
    ProbeFacts p;
    p.step = step;
    p.lr = 0.5;
    p.spectral_norm = lambda_max;
    p.mp_lower = 10;
    p.mp_upper = 100;
    p.mp_threshold = 110;
    p.alpha_hill = alpha_hill;
    p.alpha_ks = 3;
    p.sim_w_beta = sim;
    p.u_overlap_top = p.v_overlap_top = p.u_overlap_prev_top = p.v_overlap_prev_top = NAN;
    return p;
}

// Findings of a real run of `config` to its end, through the run's JSON records as the page passes them.
RunFindings findings_of(const Config& config) {
    Session s(config);
    s.run_to_end();
    RecordOptions detail;
    detail.detail = true;
    nlohmann::json probes = nlohmann::json::array();
    for (const ProbeRecord& r : s.history()) probes.push_back(nlohmann::json::parse(probe_record_to_json(r, detail)));
    return run_findings(probe_facts_from_json(probes), config.h, config.d);
}

}  // namespace

TEST_CASE("findings: edge ratio, bulk fraction, update norms and the α line, closed forms", "[findings]") {
    ProbeFacts start = probe(0, 90, 2.4, 0.05);
    start.eigenvalues = {5, 20, 50, 90, 120};  // 20, 50 and 90 lie in [10, 110]
    ProbeFacts mid = probe(1, 500, 2.1, 0.4);
    ProbeFacts end = probe(2, 1000, 1.9, 0.3);
    end.eigenvalues = {50, 105, 120, 130, 1000};  // 3 beyond the threshold 110, of which 1 a spike
    end.num_spikes = 1;
    end.update_singular_values = {3, 4};  // ‖M‖_F = 5, σ_1²/‖M‖² = 9/25
    end.v_overlap_top = 0.9;
    const RunFindings f = run_findings({start, mid, end}, 300, 200);
    REQUIRE(f.ok);
    CHECK(f.edge_ratio == Approx(10.0));
    CHECK(f.bulk_count == 3);
    CHECK(f.sim_gain == Approx(6.0));
    CHECK(f.sim_rises);
    CHECK(f.eigenvalue_count == 5);
    CHECK(f.inside_bulk_initial);
    CHECK(f.spike);
    CHECK(f.num_spikes == 1);
    CHECK(f.beyond_threshold == 3);
    CHECK(f.heavy_tail);
    CHECK(f.alpha_crosses);
    CHECK(f.alpha_falls);
    CHECK(f.first_heavy_step == 2);
    CHECK(f.ks_slope == Approx(-2.0));
    REQUIRE(f.update.available);
    CHECK(f.update.norm == Approx(5.0));
    CHECK(f.update.top_share == Approx(0.36));
    CHECK(f.update.sign_norm == Approx(0.5 * std::sqrt(300.0 * 200.0)));
    CHECK(f.update.v_overlap_top == 0.9);
    CHECK_FALSE(f.update.near_rank_one);  // 9/25 of the squared norm
    CHECK_FALSE(f.update.aligned);        // u's overlap is unknown (NaN)

    // α starting below the line does not "cross" it; a failed fit (NaN) is not below it.
    const RunFindings low = run_findings({probe(0, 90, 1.9, 0), probe(1, 90, 1.8, 0)}, 30, 20);
    CHECK(low.heavy_tail);
    CHECK_FALSE(low.alpha_crosses);
    const RunFindings failed = run_findings({probe(0, 90, 2.4, 0), probe(1, 90, NAN, 0)}, 30, 20);
    CHECK_FALSE(failed.heavy_tail);
    CHECK(failed.first_heavy_step == -1);
    CHECK_FALSE(run_findings({}, 30, 20).ok);
}

TEST_CASE("findings: Adam's first update has the norm η√(hd); GD at lr_to_match makes one as large", "[findings]") {
    Config adam = small_config(200, 40, 60);
    adam.optimizer = OptimizerKind::adam;
    adam.lr = 0.5;
    adam.num_steps = 1;
    const RunFindings a = findings_of(adam);
    REQUIRE(a.update.available);
    CHECK(a.update.aligned);  // the spike is the update's direction (docs/method.md §6)
    const double sign_error = std::abs(a.update.norm - a.update.sign_norm) / a.update.sign_norm;
    std::printf("findings: Adam's first update %.6g vs eta*sqrt(hd) %.6g, relative difference %.2e (tolerance 1e-3)\n",
                a.update.norm, a.update.sign_norm, sign_error);
    CHECK(sign_error < 1e-3);  // entries with |g| near Adam's ε = 1e-8 move less than η

    Config gd = adam;
    gd.optimizer = OptimizerKind::gd;
    const RunFindings g = findings_of(gd);
    const UpdateComparison c = compare_updates(a, g);
    REQUIRE(c.available);
    CHECK(c.update_norm_ratio > 1);
    gd.lr = c.lr_to_match;
    const RunFindings matched = findings_of(gd);
    const double match_error = std::abs(matched.update.norm - a.update.norm) / a.update.norm;
    std::printf("findings: GD at lr_to_match %.6g: update %.6g vs Adam's %.6g, relative difference %.2e (tolerance 1e-6)\n",
                c.lr_to_match, matched.update.norm, a.update.norm, match_error);
    CHECK(match_error < 1e-6);  // float32 rounding of η·∇L only
}

TEST_CASE("findings: a learning-rate sweep's first heavy η per optimiser; a parameter study's trend", "[findings]") {
    // One run per (optimizer, lr), metrics constant over steps: alpha_hill and sim set per group.
    const auto run = [](const char* optimizer, double lr, double alpha, double sim, const char* param = "",
                        double value = 0, double test = 0) {
        SweepOutcome o;
        o.optimizer = optimizer;
        o.lr = lr;
        o.param = param;
        o.value = value;
        o.status = "finished";
        o.steps = {0, 10};
        std::vector<double> row;
        for (const std::string& m : sweep_metrics())
            row.push_back(m == "alpha_hill" ? alpha : m == "sim_w_beta" ? sim : m == "test_loss" ? test : 0.5);
        o.metrics = {row, row};
        return o;
    };
    const SweepFindings f = sweep_findings(summarize_sweep({
        run("gd", 1, 2.5, 0.02), run("gd", 1000, 1.9, 0.3), run("gd", 10, 2.4, 0.05),
        run("adam", 0.01, 2.4, 0.4), run("adam", 1, 1.8, 0.5), run("adam", 0.1, 2.1, 0.45)}));
    REQUIRE(f.curves.size() == 2);
    CHECK(f.curves[0].optimizer == "gd");
    CHECK(f.curves[0].lrs == std::vector<double>{1, 10, 1000});
    CHECK(f.curves[0].first_heavy_lr == 1000);
    CHECK(f.curves[0].alpha_hill_smallest_lr == 2.5);
    CHECK(f.curves[1].first_heavy_lr == 1);
    CHECK(f.curves[1].alpha_hill_min == 1.8);
    CHECK(f.curves[1].sim_max_lr == 1);
    CHECK(f.heavy_lr_ratio == Approx(1000.0));
    CHECK(f.param.empty());

    const SweepFindings study = sweep_findings(summarize_sweep({
        run("adam", 1, 2.0, 0.3, "label_noise_std", 0.5, 1.2), run("adam", 1, 2.0, 0.3, "label_noise_std", 0.1, 0.4),
        run("adam", 1, 2.0, 0.3, "label_noise_std", 0.3, 0.8)}));
    CHECK(study.param == "label_noise_std");
    REQUIRE(study.points.size() == 3);
    CHECK(study.points[0].value == 0.1);
    CHECK(study.last_step == 10);
    CHECK(study.test_loss_trend == 1);
    CHECK(study.alpha_hill_trend == 0);
    CHECK(std::isnan(study.heavy_lr_ratio));

    const nlohmann::json out = nlohmann::json::parse(sweep_findings_to_json_value(f).dump());
    CHECK(out["curves"][1]["first_heavy_lr"] == 1.0);
    CHECK(out["param"].is_null());
}

TEST_CASE("findings JSON: run documents in, findings and the first updates compared out", "[findings][json]") {
    const nlohmann::json runs = nlohmann::json::parse(R"([
      {"config": {"h": 30, "d": 20}, "probes": [
        {"step": 0, "lr": 2, "spectral_norm": 90, "mp_lower": 10, "mp_upper": 100, "mp_threshold": 110, "alpha_hill": 2.4},
        {"step": 1, "lr": 2, "spectral_norm": 400, "mp_lower": 10, "mp_upper": 100, "mp_threshold": 110, "alpha_hill": 2.2,
         "update": {"singular_values": [6, 8], "k": 1, "u_overlap_cur": [0.5], "v_overlap_cur": [0.7], "v_overlap_prev": [0.1]}}]},
      {"config": {"h": 30, "d": 20}, "probes": [
        {"step": 1, "lr": 4, "update": {"singular_values": [1]}}]},
      "not a run"])");
    const nlohmann::json out = nlohmann::json::parse(runs_findings_json(runs).dump());
    REQUIRE(out["runs"].size() == 3);
    CHECK(out["runs"][0]["edge_ratio"] == 4.0);
    CHECK(out["runs"][0]["update"]["norm"] == 10.0);
    CHECK(out["runs"][0]["update"]["v_overlap_top"] == 0.7);
    CHECK(out["runs"][0]["first_heavy_step"].is_null());
    CHECK(out["runs"][0]["update"]["v_overlap_prev_top"] == 0.1);
    CHECK(out["runs"][0]["update"]["u_overlap_prev_top"].is_null());
    CHECK(out["runs"][0]["bulk_count"] == 0);  // no eigenvalues in these records
    CHECK(out["runs"][2]["ok"] == false);
    CHECK(out["versus_first"][0].is_null());
    CHECK(out["versus_first"][1]["update_norm_ratio"] == 10.0);
    CHECK(out["versus_first"][1]["lr_to_match"] == 40.0);
    CHECK(out["versus_first"][2].is_null());
}
