// Sweeps: expansion counts and order, the sharing rule of docs/method.md §7 (checked on the configs and on real
// step-0 probes), the parameter studies, and parse errors that name the list entry.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "helpers.hpp"
#include "io/config_json.hpp"
#include "io/sweep_json.hpp"
#include "session.hpp"
#include "sweep.hpp"
#include "sweep_glue.hpp"

using namespace spiketail;
using nlohmann::json;

namespace {

// A run's config as JSON without the keys a grid is allowed to change.
json config_without(const Config& c, std::initializer_list<const char*> keys) {
    json j = json(config_to_json_value(c));
    for (const char* key : keys) j.erase(key);
    return j;
}

std::string first_field(const std::string& text) {
    const SweepParse parsed = sweep_from_json(text);
    return parsed.errors.empty() ? "(none)" : parsed.errors.front().field;
}

}  // namespace

TEST_CASE("the study's learning-rate grid", "[sweep]") {
    CHECK(study_lr_grid() == std::vector<double>{0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000});
}

TEST_CASE("the study's lr sweep expands to 2 x 9 x 5 runs, repeat-major", "[sweep]") {
    SweepSpec spec;
    spec.optimizers = {OptimizerKind::gd, OptimizerKind::adam};
    spec.lrs = study_lr_grid();
    spec.repeats = 5;
    REQUIRE(validate_sweep(spec).empty());
    const std::vector<SweepRun> runs = expand_sweep(spec);
    REQUIRE(runs.size() == 90);

    // Order: repeat, then optimiser, then lr.
    CHECK(runs[0].repeat == 0);
    CHECK(runs[0].optimizer == "gd");
    CHECK(runs[0].lr == 0.001);
    CHECK(runs[8].lr == 3000);
    CHECK(runs[9].optimizer == "adam");
    CHECK(runs[9].lr == 0.001);
    CHECK(runs[18].repeat == 1);
    CHECK(runs[89].repeat == 4);
    CHECK(runs[89].optimizer == "adam");
    CHECK(runs[89].lr == 3000);

    for (const SweepRun& run : runs) {
        CHECK(run.config.repeat == run.repeat);
        CHECK(run.config.lr == run.lr);
        CHECK(to_string(run.config.optimizer) == run.optimizer);
        CHECK(run.config.seed == spec.base.seed);  // fresh draws come from the repeat index only
        CHECK(run.param.empty());
        CHECK(validate(run.config).empty());
    }
}

TEST_CASE("within a repeat, configs differ only in optimizer and lr", "[sweep]") {
    SweepSpec spec;
    spec.base = test::small_config();
    spec.optimizers = {OptimizerKind::gd, OptimizerKind::adam};
    spec.lrs = {0.1, 10};
    spec.repeats = 3;
    const std::vector<SweepRun> runs = expand_sweep(spec);
    REQUIRE(runs.size() == 12);
    std::set<std::string> per_repeat[3];
    for (const SweepRun& run : runs) per_repeat[run.repeat].insert(config_without(run.config, {"optimizer", "lr"}).dump());
    for (const auto& distinct : per_repeat) CHECK(distinct.size() == 1);
    CHECK(*per_repeat[0].begin() != *per_repeat[1].begin());  // the repeat index differs
}

TEST_CASE("shared start: identical step-0 probes within a repeat, fresh ones across repeats", "[sweep]") {
    SweepSpec spec;
    spec.base = test::small_config(60, 20, 30);
    spec.base.num_steps = 1;
    spec.optimizers = {OptimizerKind::gd, OptimizerKind::adam};
    spec.lrs = {0.01, 100};
    spec.repeats = 2;
    const std::vector<SweepRun> runs = expand_sweep(spec);
    std::vector<ProbeRecord> step0;
    std::vector<std::uint64_t> w0_hash;
    for (const SweepRun& run : runs) {
        Session session(run.config);
        step0.push_back(session.probe());
        w0_hash.push_back(test::fnv1a(session.initial_weights()));
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::size_t first = runs[i].repeat == 0 ? 0 : 4;  // the first run of the same repeat
        INFO("run " << i << " (" << runs[i].optimizer << ", lr " << runs[i].lr << ", repeat " << runs[i].repeat << ")");
        CHECK(w0_hash[i] == w0_hash[first]);
        CHECK(step0[i].train_loss == step0[first].train_loss);
        CHECK(step0[i].sim_w_beta == step0[first].sim_w_beta);
        CHECK(step0[i].spectrum.eigenvalues == step0[first].spectrum.eigenvalues);
    }
    CHECK(w0_hash[0] != w0_hash[4]);
    CHECK(step0[0].train_loss != step0[4].train_loss);
}

TEST_CASE("parameter studies", "[sweep]") {
    SECTION("n: one run per value and repeat, values applied") {
        const SweepParse parsed = sweep_from_json(R"({"vary": {"n": [500, 2000, 4000, 8000]}, "repeat": 2})");
        REQUIRE(parsed.ok());
        const std::vector<SweepRun> runs = expand_sweep(parsed.spec);
        REQUIRE(runs.size() == 8);
        CHECK(runs[0].param == "n");
        CHECK(runs[0].value == 500);
        CHECK(runs[0].config.n == 500);
        CHECK(runs[3].config.n == 8000);
        CHECK(runs[4].repeat == 1);
        CHECK(runs[4].config.n == 500);
        CHECK(runs[0].config.optimizer == OptimizerKind::adam);
        CHECK(runs[0].config.lr == 1);
    }
    SECTION("gamma (either key) also switches StepLR on with step_size 1") {
        for (const char* key : {"gamma", "lr_scheduler.gamma"}) {
            const SweepParse parsed = sweep_from_json(std::string(R"({"vary": {")") + key + R"(": [0.2, 0.8]}})");
            REQUIRE(parsed.ok());
            const std::vector<SweepRun> runs = expand_sweep(parsed.spec);
            REQUIRE(runs.size() == 2);
            CHECK(runs[0].param == "gamma");
            CHECK(runs[1].config.lr_scheduler.gamma == 0.8);
            CHECK(runs[1].config.lr_scheduler.step_size == 1);
        }
        const SweepParse kept = sweep_from_json(R"({"lr_scheduler": {"step_size": 3}, "vary": {"gamma": [0.5]}})");
        REQUIRE(kept.ok());
        CHECK(expand_sweep(kept.spec)[0].config.lr_scheduler.step_size == 3);
    }
    SECTION("reg_lambda and label_noise_std") {
        const SweepParse lambda = sweep_from_json(R"({"vary": {"reg_lambda": [0.1, 0.0001]}})");
        REQUIRE(lambda.ok());
        CHECK(expand_sweep(lambda.spec)[1].config.reg_lambda == 0.0001);
        const SweepParse rho = sweep_from_json(R"({"vary": {"label_noise_std": [0.1, 0.7]}})");
        REQUIRE(rho.ok());
        CHECK(expand_sweep(rho.spec)[1].config.label_noise_std == 0.7);
    }
    SECTION("a study and a grid together: repeat, value, optimiser, lr") {
        const SweepParse parsed =
            sweep_from_json(R"({"optimizer": ["gd", "adam"], "lr": [1, 10], "vary": {"reg_lambda": [0.1, 0.01]}})");
        REQUIRE(parsed.ok());
        const std::vector<SweepRun> runs = expand_sweep(parsed.spec);
        REQUIRE(runs.size() == 8);
        CHECK(runs[3].value == 0.1);
        CHECK(runs[3].optimizer == "adam");
        CHECK(runs[3].lr == 10);
        CHECK(runs[4].value == 0.01);
    }
}

TEST_CASE("sweep documents: scalars or lists, sgd alias, defaults", "[sweep]") {
    const SweepParse parsed = sweep_from_json(
        R"({"n": 400, "d": 200, "h": 300, "optimizer": ["sgd", "adam"], "lr": [0.001, 3000], "repeat": 5, "num_steps": 10})");
    REQUIRE(parsed.ok());
    CHECK(parsed.spec.optimizers == std::vector<OptimizerKind>{OptimizerKind::gd, OptimizerKind::adam});
    CHECK(parsed.spec.lrs == std::vector<double>{0.001, 3000});
    CHECK(parsed.spec.repeats == 5);
    CHECK(parsed.spec.base.n == 400);
    CHECK(parsed.spec.base.repeat == 0);
    CHECK(expand_sweep(parsed.spec).size() == 20);

    const SweepParse single = sweep_from_json(R"({"optimizer": "gd", "lr": 0.5})");
    REQUIRE(single.ok());
    const std::vector<SweepRun> one = expand_sweep(single.spec);
    REQUIRE(one.size() == 1);
    CHECK(one[0].optimizer == "gd");
    CHECK(one[0].lr == 0.5);
}

TEST_CASE("sweep spec round trip through JSON", "[sweep]") {
    const SweepParse parsed = sweep_from_json(
        R"({"h": 300, "optimizer": ["gd", "adam"], "lr": [0.1, 1], "repeat": 3, "vary": {"n": [100, 200]}})");
    REQUIRE(parsed.ok());
    const json written = json(sweep_spec_to_json_value(parsed.spec));
    CHECK(written["optimizer"] == json({"gd", "adam"}));
    CHECK(written["repeat"] == 3);
    CHECK(written["vary"] == json({{"n", {100, 200}}}));
    const SweepParse back = sweep_from_json(written.dump());
    REQUIRE(back.ok());
    const std::vector<SweepRun> a = expand_sweep(parsed.spec), b = expand_sweep(back.spec);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(config_to_json(a[i].config) == config_to_json(b[i].config));
}

TEST_CASE("sweep parse errors name the field and the list entry", "[sweep]") {
    CHECK(first_field("{") == "json");
    CHECK(first_field("[]") == "config");
    CHECK(first_field(R"({"lr": [1, 0, 10]})") == "lr[1]");
    CHECK(first_field(R"({"lr": [1, "x"]})") == "lr[1]");
    CHECK(first_field(R"({"lr": []})") == "lr");
    CHECK(first_field(R"({"optimizer": ["adam", "rmsprop"]})") == "optimizer[1]");
    CHECK(first_field(R"({"repeat": 0})") == "repeat");
    CHECK(first_field(R"({"repeat": 1.5})") == "repeat");
    CHECK(first_field(R"({"vary": {"h": [1, 2]}})") == "vary.h");
    CHECK(first_field(R"({"vary": {"n": [500, 0]}})") == "vary.n[1]");
    CHECK(first_field(R"({"vary": {"n": [500.5]}})") == "vary.n[0]");
    CHECK(first_field(R"({"vary": {"reg_lambda": [0.1, -1]}})") == "vary.reg_lambda[1]");
    CHECK(first_field(R"({"vary": {"gamma": [0]}})") == "vary.gamma[0]");
    CHECK(first_field(R"({"vary": {"n": 500}})") == "vary.n");
    CHECK(first_field(R"({"vary": {"n": [1], "reg_lambda": [1]}})") == "vary");
    CHECK(first_field(R"({"vary": {"n": [100000]}, "d": 20000})") == "memory");
    CHECK(first_field(R"({"lr": [1], "probe_every": 0})") == "probe_every");
    CHECK(first_field(R"({"lr": [1], "colour": 3})") == "colour");
}

TEST_CASE("expand_sweep_json: the wasm module's document", "[sweep]") {
    const json ok = json::parse(expand_sweep_json(R"({"optimizer": ["gd", "adam"], "lr": [1, 10], "repeat": 2})"));
    CHECK(ok["ok"] == true);
    CHECK(ok["errors"].empty());
    REQUIRE(ok["runs"].size() == 8);
    CHECK(ok["runs"][0]["optimizer"] == "gd");
    CHECK(ok["runs"][0]["param"].is_null());
    CHECK(ok["runs"][7]["config"]["repeat"] == 1);
    CHECK(ConfigParse(config_from_json(ok["runs"][5]["config"].dump())).ok());

    const json study = json::parse(expand_sweep_json(R"({"vary": {"n": [500, 2000]}})"));
    CHECK(study["runs"][1]["param"] == "n");
    CHECK(study["runs"][1]["value"] == 2000);

    const json bad = json::parse(expand_sweep_json(R"({"lr": [1, -1]})"));
    CHECK(bad["ok"] == false);
    CHECK(bad["errors"][0]["field"] == "lr[1]");
    CHECK(bad["runs"].empty());
}
