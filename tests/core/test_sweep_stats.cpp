// Sweep statistics (sweep_stats.hpp): the study's mean ± std over repeats, grouping by (optimizer, lr, value),
// and which runs are left out. Closed forms on small hand-made outcomes; the JSON round trip of io/.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "io/sweep_stats_json.hpp"
#include "sweep_stats.hpp"

using namespace spiketail;

namespace {

SweepOutcome outcome(const char* optimizer, double lr, int repeat, const char* status, std::vector<int> steps,
                     double base) {
    SweepOutcome o;
    o.optimizer = optimizer;
    o.lr = lr;
    o.repeat = repeat;
    o.status = status;
    o.steps = steps;
    for (int step : steps) {
        std::vector<double> row(sweep_metrics().size(), base + step);
        o.metrics.push_back(row);
    }
    return o;
}

}  // namespace

TEST_CASE("sweep stats: mean and population standard deviation of the finite values", "[sweep][stats]") {
    const MetricStats s = mean_std({1.0, 2.0, 3.0, 4.0, NAN, INFINITY});
    CHECK(s.count == 4);
    CHECK(s.mean == 2.5);
    CHECK(s.std == Approx(std::sqrt(1.25)).epsilon(1e-15));  // Σ(x − 2.5)² / 4 = 5/4 (ddof 0, as numpy)
    CHECK(mean_std({}).count == 0);
    CHECK(mean_std({7.0}).std == 0.0);
}

TEST_CASE("sweep stats: groups by (optimizer, lr, value) over repeats; unfinished runs are left out",
          "[sweep][stats]") {
    const std::vector<SweepOutcome> runs = {
        outcome("adam", 1, 0, "finished", {0, 1, 2}, 10),  // 0
        outcome("gd", 1, 0, "finished", {0, 1, 2}, 20),    // 1
        outcome("adam", 1, 1, "finished", {0, 2}, 14),     // 2: probed every other step
        outcome("sgd", 1, 1, "diverged", {0}, 99),         // 3: gd's repeat 1 diverged
        outcome("adam", 1, 2, "", {}, 0),                  // 4: not run yet
    };
    const std::vector<SweepGroup> groups = summarize_sweep(runs);
    REQUIRE(groups.size() == 2);
    const SweepGroup& adam = groups[0];
    CHECK(adam.optimizer == "adam");
    CHECK(adam.runs == std::vector<int>{0, 2, 4});
    CHECK(adam.finished == std::vector<int>{0, 2});
    CHECK(adam.left_out == std::vector<int>{4});
    CHECK(adam.last[0].mean == 14.0);  // (12 + 16) / 2
    CHECK(adam.last[0].std == 2.0);
    CHECK(adam.steps == std::vector<int>{0, 1, 2});
    CHECK(adam.per_step[1][0].count == 1);  // step 1: only repeat 0 probed it
    CHECK(adam.per_step[1][0].mean == 11.0);
    CHECK(adam.per_step[0][0].mean == 12.0);
    const SweepGroup& gd = groups[1];
    CHECK(gd.optimizer == "gd");  // "sgd" is GD
    CHECK(gd.left_out == std::vector<int>{3});
    CHECK(gd.last[0].count == 1);
    CHECK(gd.last[0].mean == 22.0);
}

TEST_CASE("sweep stats: read from a sweep document's runs and written as JSON", "[sweep][stats][json]") {
    const nlohmann::json runs = nlohmann::json::parse(R"([
        {"optimizer": "adam", "lr": 0.1, "repeat": 0, "param": "n", "value": 500, "status": "finished",
         "probes": [{"step": 0, "train_loss": 1.0, "alpha_hill": null}, {"step": 10, "train_loss": 0.5, "alpha_hill": 1.9}]},
        {"optimizer": "adam", "lr": 0.1, "repeat": 1, "param": "n", "value": 500, "status": "finished",
         "probes": [{"step": 0, "train_loss": 3.0}, {"step": 10, "train_loss": 1.5, "alpha_hill": 2.1}]},
        null,
        "not a run"
    ])");
    const std::vector<SweepOutcome> outcomes = sweep_outcomes_from_json(runs);
    REQUIRE(outcomes.size() == 4);
    const nlohmann::ordered_json summary = sweep_summary_to_json_value(summarize_sweep(outcomes));
    const auto& g = summary["groups"][0];
    CHECK(g["param"] == "n");
    CHECK(g["value"] == 500.0);
    CHECK(g["finished"].get<std::vector<int>>() == std::vector<int>{0, 1});
    CHECK(g["last"]["train_loss"]["mean"] == 1.0);
    CHECK(g["last"]["alpha_hill"]["mean"] == Approx(2.0));
    CHECK(g["per_step"]["alpha_hill"][0].is_null());  // no finite value at step 0
    CHECK(g["per_step"]["train_loss"][0]["std"] == 1.0);
    // The two malformed entries are runs that have not finished (of no optimizer or lr: one group, left out).
    REQUIRE(summary["groups"].size() == 2);
    CHECK(summary["groups"][1]["left_out"].get<std::vector<int>>() == std::vector<int>{2, 3});
    CHECK(summary["groups"][1]["last"]["kta"].is_null());
}
