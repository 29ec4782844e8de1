// JSON documents (docs/schema.md): config parsing and its errors, the config round trip, probe records
// and run documents.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/config_json.hpp"
#include "io/record_json.hpp"

using namespace spiketail;
using nlohmann::json;

namespace {

std::string first_field(const std::string& text) {
    const ConfigParse parsed = config_from_json(text);
    return parsed.errors.empty() ? "(none)" : parsed.errors.front().field;
}

std::string first_message(const std::string& text) {
    const ConfigParse parsed = config_from_json(text);
    return parsed.errors.empty() ? "(none)" : parsed.errors.front().message;
}

}  // namespace

TEST_CASE("an empty object gives the study's defaults", "[json]") {
    const ConfigParse parsed = config_from_json("{}");
    REQUIRE(parsed.ok());
    CHECK(config_to_json(parsed.config) == config_to_json(Config{}));
}

TEST_CASE("config keys parse into their fields", "[json]") {
    const ConfigParse parsed = config_from_json(R"({
        "n": 400, "n_test": 100, "d": 200, "h": 300, "label_noise_std": 0.5, "target_activation": "tanh",
        "activation": "relu", "fix_last_layer": false, "optimizer": "sgd", "lr": 2000, "momentum": 0.9,
        "weight_decay": 1e-4, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6,
        "lr_scheduler": {"step_size": 1, "gamma": 0.4}, "enable_weight_normalization": true,
        "num_steps": 3, "probe_every": 2, "reg_lambda": 0.001, "probe_feature_scale": "d", "top_k": 4,
        "probe_update": false, "seed": 18446744073709551615, "repeat": 3})");
    REQUIRE(parsed.ok());
    const Config& c = parsed.config;
    CHECK(c.n == 400);
    CHECK(c.n_test == 100);
    CHECK(c.d == 200);
    CHECK(c.h == 300);
    CHECK(c.label_noise_std == 0.5);
    CHECK(c.target_activation == Activation::tanh);
    CHECK(c.activation == Activation::relu);
    CHECK_FALSE(c.fix_last_layer);
    CHECK(c.optimizer == OptimizerKind::gd);  // "sgd" is the study's name for GD
    CHECK(c.lr == 2000);
    CHECK(c.momentum == 0.9);
    CHECK(c.weight_decay == 1e-4);
    CHECK(c.beta1 == 0.8);
    CHECK(c.beta2 == 0.99);
    CHECK(c.eps == 1e-6);
    CHECK(c.lr_scheduler.step_size == 1);
    CHECK(c.lr_scheduler.gamma == 0.4);
    CHECK(c.enable_weight_normalization);
    CHECK(c.num_steps == 3);
    CHECK(c.probe_every == 2);
    CHECK(c.reg_lambda == 0.001);
    CHECK(c.probe_feature_scale == FeatureScale::d);
    CHECK(c.top_k == 4);
    CHECK_FALSE(c.probe_update);
    CHECK(c.seed == 18446744073709551615ULL);
    CHECK(c.repeat == 3);
}

TEST_CASE("config parse errors name the field", "[json]") {
    SECTION("bad JSON: the position of the syntax error") {
        CHECK(first_field("{\"n\": 20,}") == "json");
        CHECK_THAT(first_message("{\"n\": 20,\n \"d\" 3}"), Catch::Matchers::Contains("line 2"));
        CHECK(first_field("") == "json");
        CHECK(first_field("[1, 2]") == "config");
    }
    SECTION("unknown keys, with a suggestion for a near miss") {
        CHECK(first_field(R"({"reg_lamba": 0.1})") == "reg_lamba");
        CHECK_THAT(first_message(R"({"reg_lamba": 0.1})"), Catch::Matchers::Contains("did you mean \"reg_lambda\""));
        CHECK(first_field(R"({"batch_size": 10})") == "batch_size");
        CHECK_THAT(first_message(R"({"zz": 1})"), !Catch::Matchers::Contains("did you mean"));  // not "n"
        CHECK_THAT(first_message(R"({"nn": 1})"), Catch::Matchers::Contains("did you mean \"n\""));
        CHECK(first_field(R"({"lr_scheduler": {"step": 1}})") == "lr_scheduler.step");
    }
    SECTION("wrong types say what was expected") {
        CHECK(first_field(R"({"n": "2000"})") == "n");
        CHECK_THAT(first_message(R"({"n": "2000"})"), Catch::Matchers::Contains("expected an integer, got a string"));
        CHECK(first_field(R"({"n": 20.5})") == "n");
        CHECK(first_field(R"({"lr": "1"})") == "lr");
        CHECK_THAT(first_message(R"({"lr": [1, 2]})"), Catch::Matchers::Contains("expected a number, got an array"));
        CHECK(first_field(R"({"fix_last_layer": 1})") == "fix_last_layer");
        CHECK(first_field(R"({"optimizer": "rmsprop"})") == "optimizer");
        CHECK_THAT(first_message(R"({"optimizer": "rmsprop"})"), Catch::Matchers::Contains("\"adam\", \"gd\", \"sgd\""));
        CHECK(first_field(R"({"activation": "gelu"})") == "activation");
        CHECK(first_field(R"({"probe_feature_scale": 1})") == "probe_feature_scale");
        CHECK(first_field(R"({"lr_scheduler": 0.5})") == "lr_scheduler");
        CHECK(first_field(R"({"lr_scheduler": {"gamma": "x"}})") == "lr_scheduler.gamma");
        CHECK(first_field(R"({"seed": -1})") == "seed");
        CHECK(first_field(R"({"h": 1e12})") == "h");
    }
    SECTION("values out of range (validate) name the field once") {
        CHECK(first_field(R"({"lr": 0})") == "lr");
        CHECK(first_field(R"({"lr_scheduler": {"gamma": 0}})") == "lr_scheduler.gamma");
        CHECK(first_field(R"({"top_k": 40, "d": 20})") == "top_k");
        const ConfigParse parsed = config_from_json(R"({"n": "x"})");
        CHECK(parsed.errors.size() == 1);  // the type error, not also a range error for the default
    }
    SECTION("integral numbers are integers whatever their spelling") {
        CHECK(config_from_json(R"({"n": 2000.0, "d": 1e3})").ok());
    }
}

TEST_CASE("config round trip: to_json then from_json gives the same config", "[json]") {
    Config c;
    c.n = 123;
    c.n_test = 45;
    c.d = 67;
    c.h = 89;
    c.label_noise_std = 0.7;
    c.target_activation = Activation::relu;
    c.activation = Activation::softplus;
    c.fix_last_layer = false;
    c.optimizer = OptimizerKind::gd;
    c.lr = 0.1 + 0.2;  // not exactly representable: the text must round-trip all 17 digits
    c.momentum = 0.5;
    c.weight_decay = 0.25;
    c.beta1 = 0.85;
    c.beta2 = 0.95;
    c.eps = 3e-9;
    c.lr_scheduler = {2, 0.6};
    c.enable_weight_normalization = true;
    c.num_steps = 17;
    c.probe_every = 4;
    c.reg_lambda = 1e-4;
    c.probe_feature_scale = FeatureScale::d;
    c.top_k = 5;
    c.probe_update = false;
    c.seed = 0xFFFFFFFFFFFFFFF1ULL;
    c.repeat = 9;
    const std::string text = config_to_json(c);
    const ConfigParse back = config_from_json(text);
    REQUIRE(back.ok());
    CHECK(config_to_json(back.config) == text);
    CHECK(back.config.lr == c.lr);
    CHECK(back.config.seed == c.seed);

    // Every key is written, in the schema's order.
    const json keys = json::parse(text);
    CHECK(keys.size() == config_keys().size());
    CHECK(config_to_json_value(c).begin().key() == "n");
}

TEST_CASE("field errors as JSON", "[json]") {
    const json errors = json(field_errors_to_json({{"lr", "must be finite and > 0 (got 0)"}}));
    CHECK(errors == json::parse(R"j([{"field": "lr", "message": "must be finite and > 0 (got 0)"}])j"));
    CHECK(format_field_error({"lr", "bad"}) == "lr: bad");
}

namespace {

ProbeRecord sample_record() {
    ProbeRecord r;
    r.step = 3;
    r.lr = 0.5;
    r.train_loss = 0.25;
    r.test_loss = std::numeric_limits<double>::quiet_NaN();  // e.g. a diverged refit
    r.kta = 0.4;
    r.sim_w_beta = 0.9;
    SpectralSummary& s = r.spectrum;
    s.eigenvalues = {1, 2, 3};
    s.hill.status = FitStatus::ok;
    s.hill.alpha = 2.5;
    s.hill.xmin = 2;
    s.ks.status = FitStatus::too_few;
    s.ks.message = "3 eigenvalues above the floor, fewer than 10";
    s.peak.status = FitStatus::degenerate;
    s.spectral_norm = 3;
    s.frobenius_norm = 6;
    s.alpha_weighted = 0;
    s.log_spectral_norm = std::log10(3.0);
    s.stable_rank = 2;
    s.mp.rows = 30;
    s.mp.cols = 20;
    s.mp.variance = 1;
    s.num_spikes = 1;
    r.v_beta_overlap = {0.9, 0.1, 0.0};
    r.update.available = true;
    r.update.k = 1;
    r.update.singular_values = {4, 1};
    r.update.u_overlap_prev = {0.5};
    r.update.v_overlap_prev = {0.6};
    r.update.u_overlap_cur = {0.7};
    r.update.v_overlap_cur = {0.8};
    return r;
}

}  // namespace

TEST_CASE("probe record: failed fits and non-finite numbers are null, never NaN", "[json]") {
    const ProbeRecord r = sample_record();
    const json j = json(probe_record_to_json_value(r));
    CHECK(j["step"] == 3);
    CHECK(j["train_loss"] == 0.25);
    CHECK(j["test_loss"].is_null());
    CHECK(j["alpha_hill"] == 2.5);
    CHECK(j["hill_xmin"] == 2);
    for (const char* key : {"alpha_ks", "ks_xmin", "ks_D", "ks_sigma", "alpha_peak", "peak_xmin", "peak_D",
                            "alpha_weighted"})
        CHECK(j[key].is_null());
    CHECK(j["fit_messages"] == json({{"ks", "3 eigenvalues above the floor, fewer than 10"},
                                     {"peak", to_string(FitStatus::degenerate)}}));
    CHECK(j["num_spikes"] == 1);
    CHECK(j["mp_upper"].get<double>() == Approx(r.spectrum.mp.upper()));
    CHECK(j["mp_lower"].get<double>() < j["mp_upper"].get<double>());
    CHECK(j["mp_threshold"].get<double>() >= j["mp_upper"].get<double>());
    for (const char* key : {"eigenvalues", "v_beta_overlap", "update"}) CHECK_FALSE(j.contains(key));
    CHECK(json(probe_record_to_json_value(r)).dump().find("NaN") == std::string::npos);

    // The keys of docs/schema.md's probe table, all present.
    for (const char* key : {"step", "lr", "train_loss", "test_loss", "kta", "sim_w_beta", "alpha_hill", "hill_xmin",
                            "alpha_ks", "ks_xmin", "ks_D", "ks_sigma", "alpha_peak", "peak_xmin", "peak_D",
                            "fit_messages", "spectral_norm", "frobenius_norm", "alpha_weighted",
                            "log_spectral_norm", "stable_rank", "num_spikes", "mp_lower", "mp_upper",
                            "mp_threshold"})
        CHECK(j.contains(key));
}

TEST_CASE("probe record: eigenvalues and detail", "[json]") {
    const ProbeRecord r = sample_record();
    RecordOptions eigen;
    eigen.eigenvalues = true;
    const json with_eigen = json(probe_record_to_json_value(r, eigen));
    CHECK(with_eigen["eigenvalues"] == json({1.0, 2.0, 3.0}));
    CHECK_FALSE(with_eigen.contains("update"));

    RecordOptions detail;
    detail.detail = true;
    const json full = json(probe_record_to_json_value(r, detail));
    CHECK(full["eigenvalues"] == json({1.0, 2.0, 3.0}));
    CHECK(full["v_beta_overlap"] == json({0.9, 0.1, 0.0}));
    CHECK(full["update"]["k"] == 1);
    CHECK(full["update"]["singular_values"] == json({4.0, 1.0}));
    CHECK(full["update"]["v_overlap_cur"] == json({0.8}));

    ProbeRecord step0 = r;  // no update before the first step
    step0.update = UpdateAnalysis{};
    CHECK_FALSE(json(probe_record_to_json_value(step0, detail)).contains("update"));
}

TEST_CASE("run document: config, status, message, probes; one probe a line", "[json]") {
    Config c;
    c.num_steps = 3;
    const std::vector<ProbeRecord> probes = {sample_record(), sample_record()};
    const auto doc = run_to_json_value(c, RunStatus::diverged, "diverged at step 3", probes);
    const std::string text = dump_document(doc);
    const json back = json::parse(text);
    CHECK(back["status"] == "diverged");
    CHECK(back["message"] == "diverged at step 3");
    CHECK(back["probes"].size() == 2);
    CHECK(back["config"]["num_steps"] == 3);
    CHECK(doc.begin().key() == "config");

    // Layout: every probe on its own line, so the file greps and diffs by probe.
    std::istringstream lines(text);
    std::string line;
    int probe_lines = 0;
    while (std::getline(lines, line))
        if (line.find("\"step\":3") != std::string::npos) ++probe_lines;
    CHECK(probe_lines == 2);
}

TEST_CASE("sweep result entry carries the run's place in the grid", "[json]") {
    SweepRun run;
    run.config.lr = 10;
    run.config.optimizer = OptimizerKind::gd;
    run.optimizer = "gd";
    run.lr = 10;
    run.repeat = 2;
    const json j = json(sweep_result_to_json_value(run, RunStatus::finished, "", {sample_record()}));
    CHECK(j["optimizer"] == "gd");
    CHECK(j["lr"] == 10);
    CHECK(j["repeat"] == 2);
    CHECK(j["param"].is_null());
    CHECK(j["value"].is_null());
    CHECK(j["status"] == "finished");
    CHECK(j["config"]["lr"] == 10);
    CHECK(j["probes"].size() == 1);
}
