// Config validation (every error names its field and the allowed range), the memory estimate, and the
// mapping of the reference implementation's YAML configs (cli/reference_yaml).
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "config_schema.hpp"
#include "io/config_json.hpp"
#include "reference_yaml.hpp"

using namespace spiketail;

namespace {

const FieldError* find_error(const std::vector<FieldError>& errors, const std::string& field) {
    for (const FieldError& e : errors)
        if (e.field == field) return &e;
    return nullptr;
}

struct BadValue {
    const char* field;
    std::function<void(Config&)> spoil;
    const char* range;  // a piece of the message that states the allowed range
};

}  // namespace

TEST_CASE("the study's defaults are valid", "[config]") {
    const Config c;
    CHECK(validate(c).empty());
    CHECK(c.n == 2000);
    CHECK(c.d == 1000);
    CHECK(c.h == 1500);
    CHECK(c.optimizer == OptimizerKind::adam);
    CHECK(c.lr == 1.0);
    CHECK(c.num_steps == 10);
}

TEST_CASE("every invalid value is reported on its own field with the allowed range", "[config]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<BadValue> cases = {
        {"n", [](Config& c) { c.n = 0; }, ">= 1"},
        {"n_test", [](Config& c) { c.n_test = -3; }, ">= 1"},
        {"d", [](Config& c) { c.d = 0; }, ">= 1"},
        {"h", [](Config& c) { c.h = 0; }, ">= 1"},
        {"label_noise_std", [](Config& c) { c.label_noise_std = -0.1; }, "[0, 1e+06]"},
        {"label_noise_std", [&](Config& c) { c.label_noise_std = inf; }, "[0, 1e+06]"},
        {"label_noise_std", [](Config& c) { c.label_noise_std = 1e300; }, "[0, 1e+06]"},  // labels overflow float32
        {"lr", [](Config& c) { c.lr = 0; }, "> 0"},
        {"lr", [&](Config& c) { c.lr = nan; }, "finite"},
        {"lr", [&](Config& c) { c.lr = inf; }, "finite"},
        {"lr", [](Config& c) { c.lr = 1e-320; }, "float32"},  // 0 in float32: a run that would never move
        {"lr", [](Config& c) { c.lr = 1e39; }, "float32"},
        {"momentum", [](Config& c) { c.momentum = 1.0; }, "[0, 1)"},
        {"momentum", [](Config& c) { c.momentum = -0.5; }, "[0, 1)"},
        {"beta1", [](Config& c) { c.beta1 = 1.0; }, "[0, 1)"},
        {"beta2", [&](Config& c) { c.beta2 = nan; }, "[0, 1)"},
        {"eps", [](Config& c) { c.eps = 0; }, "> 0"},
        {"weight_decay", [](Config& c) { c.weight_decay = -1; }, ">= 0"},
        {"weight_decay", [&](Config& c) { c.weight_decay = inf; }, "finite"},
        {"reg_lambda", [](Config& c) { c.reg_lambda = 0; }, "> 0"},
        {"reg_lambda", [&](Config& c) { c.reg_lambda = inf; }, "finite"},
        {"lr_scheduler.step_size", [](Config& c) { c.lr_scheduler.step_size = -1; }, ">= 0"},
        {"lr_scheduler.gamma", [](Config& c) { c.lr_scheduler.gamma = 0; }, "(0, 1]"},
        {"lr_scheduler.gamma", [&](Config& c) { c.lr_scheduler.gamma = nan; }, "(0, 1]"},
        {"lr_scheduler.gamma", [](Config& c) { c.lr_scheduler.gamma = 2; }, "(0, 1]"},  // a decay, never a growth
        {"num_steps", [](Config& c) { c.num_steps = -1; }, ">= 0"},
        {"probe_every", [](Config& c) { c.probe_every = 0; }, ">= 1"},
        {"top_k", [](Config& c) { c.top_k = 0; }, "1..min(h, d) = 1..1000"},
        {"top_k", [](Config& c) { c.top_k = 1001; }, "1..min(h, d) = 1..1000"},
        {"repeat", [](Config& c) { c.repeat = -1; }, ">= 0"},
        {"memory", [](Config& c) { c.n = 100000; c.d = 20000; }, "cap of 2.00 GB"},
    };
    for (const BadValue& bad : cases) {
        Config c;
        bad.spoil(c);
        const std::vector<FieldError> errors = validate(c);
        INFO("field " << bad.field);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == bad.field);
        CHECK_THAT(errors[0].message, Catch::Matchers::Contains(bad.range));
    }
}

TEST_CASE("validation reports all problems at once", "[config]") {
    Config c;
    c.n = 0;
    c.lr = -1;
    c.probe_every = 0;
    const auto errors = validate(c);
    CHECK(errors.size() == 3);
    CHECK(find_error(errors, "n"));
    CHECK(find_error(errors, "lr"));
    CHECK(find_error(errors, "probe_every"));
}

TEST_CASE("memory estimate: closed form at the study's defaults, and the cap", "[config]") {
    Config c;  // n=2000, n_test=200, d=1000, h=1500, Adam, probe_update
    const double floats = (2.0 * 2000 + 200) * 1000 + (3 + 2) * 1500.0 * 1000 + 2000.0 * 1500 +
                          (2000.0 + 200) * 1500;
    const double doubles = 1500.0 * 1500 + 3 * 1000.0 * 1000;
    const double expected = 4 * floats + 8 * doubles;
    INFO("estimate " << estimate_memory_bytes(c) / 1048576 << " MB");
    CHECK(estimate_memory_bytes(c) == Approx(expected).epsilon(1e-12));
    CHECK(estimate_memory_bytes(c) < k_max_memory_bytes);

    Config gd = c;  // GD without momentum keeps no optimiser buffer, with momentum one, Adam two
    gd.optimizer = OptimizerKind::gd;
    CHECK(estimate_memory_bytes(c) - estimate_memory_bytes(gd) == Approx(2 * 4.0 * 1500 * 1000));
    gd.momentum = 0.9;
    CHECK(estimate_memory_bytes(c) - estimate_memory_bytes(gd) == Approx(4.0 * 1500 * 1000));

    Config big = c;  // the study's n = 8000 still fits
    big.n = 8000;
    CHECK(validate(big).empty());
    big.n = 150000;  // data 2 n d and activations + features 2 n h alone are 150000 x 5000 floats, 3 GB
    const std::vector<FieldError> errors = validate(big);  // find_error points into it: keep it alive
    const FieldError* memory = find_error(errors, "memory");
    REQUIRE(memory);
    INFO(memory->message);
    CHECK_THAT(memory->message, Catch::Matchers::Contains("GB"));
}

TEST_CASE("enum names", "[config]") {
    CHECK(std::string(to_string(OptimizerKind::gd)) == "gd");
    CHECK(std::string(to_string(OptimizerKind::adam)) == "adam");
    CHECK(std::string(to_string(Activation::tanh)) == "tanh");
    CHECK(std::string(to_string(Activation::relu)) == "relu");
    CHECK(std::string(to_string(Activation::softplus)) == "softplus");
    CHECK(std::string(to_string(FeatureScale::sqrt_d)) == "sqrt_d");
    CHECK(std::string(to_string(FeatureScale::d)) == "d");
}

// ---- the reference implementation's YAML configs ----

// configs/main.yml of github.com/kvignesh1420/single-index-ht, as published.
const char* const k_reference_main_yml = R"(L: 2
n: 2000
batch_size: 2000
n_test: 200
batch_size_test: 200
h: 1500
d: 1000
label_noise_std: 0.3
optimizer: 'adam'
momentum: 0
weight_decay: 0
lr: 1
reg_lambda: 0.01
enable_weight_normalization: false
# NOTE: The probing occurs based on number of steps.
num_epochs: 10
probe_freq_steps: 10
probe_weights: true
plot_overlaps: false
probe_features: true
fix_last_layer: true
enable_ww: false  # setting `enable_ww` to True will open plots
)";

TEST_CASE("reference YAML: the single-run config maps onto the study's defaults", "[config][yaml]") {
    const ReferenceMapping m = map_reference_yaml(k_reference_main_yml);
    REQUIRE(m.ok());
    CHECK_FALSE(m.is_sweep);
    const nlohmann::json& doc = m.document;
    CHECK(doc["num_steps"] == 10);   // 10 epochs x ceil(2000 / 2000)
    CHECK(doc["probe_every"] == 10);
    CHECK(doc["optimizer"] == "adam");  // quoted scalar stays a string
    CHECK(doc["lr"] == 1);
    CHECK(doc["reg_lambda"] == 0.01);
    CHECK(doc["enable_weight_normalization"] == false);
    CHECK_FALSE(doc.contains("L"));
    CHECK_FALSE(doc.contains("batch_size"));
    const std::vector<std::string> ignored = {"batch_size_test", "probe_weights", "plot_overlaps", "probe_features",
                                              "enable_ww"};
    CHECK(m.ignored == ignored);
}

TEST_CASE("reference YAML: mini-batches become full-batch steps, with a note", "[config][yaml]") {
    const ReferenceMapping m = map_reference_yaml("n: 2000\nbatch_size: 500\nnum_epochs: 3\n");
    REQUIRE(m.ok());
    CHECK(m.document["num_steps"] == 12);  // 3 x ceil(2000 / 500)
    REQUIRE(m.notes.size() == 1);
    CHECK_THAT(m.notes[0], Catch::Matchers::Contains("full-batch"));
    CHECK(map_reference_yaml("n: 2000\nbatch_size: 600\nnum_epochs: 2\n").document["num_steps"] == 8);  // ceil
}

TEST_CASE("reference YAML: the learning-rate sweep", "[config][yaml]") {
    const ReferenceMapping m = map_reference_yaml(
        "optimizer:\n  - sgd\n  - adam\nlr:\n  - 0.001\n  - 1\n  - 3000\nnum_epochs: 10\nprobe_freq_steps: 10\n"
        "lightweight: true\nrepeat: 5\n");
    REQUIRE(m.ok());
    CHECK(m.is_sweep);
    CHECK(m.document["optimizer"] == nlohmann::json({"sgd", "adam"}));
    CHECK(m.document["lr"] == nlohmann::json({0.001, 1, 3000}));
    CHECK(m.document["repeat"] == 5);
}

TEST_CASE("reference YAML: parameter studies become vary", "[config][yaml]") {
    SECTION("n (batch_size follows n, so one step per epoch)") {
        const ReferenceMapping m = map_reference_yaml(
            "varying_param: 'n'\nn:\n  - 500\n  - 2000\nnum_epochs: 10\nprobe_freq_steps: 1\nrepeat: 2\n");
        REQUIRE(m.ok());
        CHECK(m.is_sweep);
        CHECK(m.document["vary"] == nlohmann::json({{"n", {500, 2000}}}));
        CHECK_FALSE(m.document.contains("n"));
        CHECK(m.document["num_steps"] == 10);
    }
    SECTION("StepLR gamma lives in lr_scheduler_kwargs") {
        const ReferenceMapping m = map_reference_yaml(
            "varying_param: 'gamma'\nlr_scheduler_cls: 'StepLR'\nlr_scheduler_kwargs:\n  step_size: 1\n"
            "  gamma:\n    - 0.2\n    - 0.4\nnum_epochs: 10\n");
        REQUIRE(m.ok());
        CHECK(m.document["vary"] == nlohmann::json({{"gamma", {0.2, 0.4}}}));
        CHECK(m.document["lr_scheduler"] == nlohmann::json({{"step_size", 1}}));
    }
    SECTION("a single StepLR run") {
        const ReferenceMapping m = map_reference_yaml(
            "lr_scheduler_cls: 'StepLR'\nlr_scheduler_kwargs:\n  step_size: 1\n  gamma: 0.6\n");
        REQUIRE(m.ok());
        CHECK_FALSE(m.is_sweep);
        CHECK(m.document["lr_scheduler"] == nlohmann::json({{"step_size", 1}, {"gamma", 0.6}}));
    }
}

TEST_CASE("reference YAML: errors name the key", "[config][yaml]") {
    auto first_field = [](const char* yaml) {
        const ReferenceMapping m = map_reference_yaml(yaml);
        return m.errors.empty() ? std::string("(none)") : m.errors.front().field;
    };
    CHECK(first_field("n: 2000\nlearning_rate: 3\n") == "learning_rate");
    CHECK(first_field("L: 3\n") == "L");
    CHECK(first_field("num_epochs: -1\n") == "num_epochs");
    CHECK(first_field("num_epochs: 2\nbatch_size: 0\n") == "batch_size");
    CHECK(first_field("num_epochs: 2\nnum_steps: 3\n") == "num_steps");
    CHECK(first_field("lr_scheduler_cls: 'CosineAnnealingLR'\n") == "lr_scheduler_cls");
    CHECK(first_field("lr_scheduler_cls: StepLR\nlr_scheduler_kwargs:\n  step_size: 1\n  last_epoch: 3\n") ==
          "lr_scheduler_kwargs.last_epoch");
    CHECK(first_field("varying_param: 'h'\n") == "varying_param");
    CHECK(first_field("varying_param: 'n'\nn: 2000\n") == "n");
    CHECK(first_field("n: [1, 2\n") == "yaml");
    CHECK(first_field("- 1\n- 2\n") == "config");
}

TEST_CASE("YAML scalars are typed as PyYAML types them", "[config][yaml]") {
    const nlohmann::json j = yaml_to_json(
        "a: 1\nb: -2\nc: 0.5\nd: 1e-2\ne: true\nf: False\ng: ~\nh: '3'\ni: adam\nj: .inf\nk: \"no\"\n");
    CHECK(j["a"].is_number_integer());
    CHECK(j["b"] == -2);
    CHECK(j["c"] == 0.5);
    CHECK(j["d"] == 0.01);
    CHECK(j["e"] == true);
    CHECK(j["f"] == false);
    CHECK(j["g"].is_null());
    CHECK(j["h"] == "3");
    CHECK(j["i"] == "adam");
    CHECK(std::isinf(j["j"].get<double>()));
    CHECK(j["k"] == "no");
}

TEST_CASE("config schema: one entry per key, defaults of Config{}, ranges that validate() enforces", "[config][schema]") {
    std::vector<std::string> keys;
    for (const FieldSpec& f : config_fields()) keys.push_back(f.key.substr(0, f.key.find('.')));
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    CHECK(keys == config_keys());
    const nlohmann::ordered_json schema = config_schema_to_json_value();
    const nlohmann::ordered_json defaults = config_to_json_value(Config{});
    REQUIRE(schema.size() == config_fields().size());
    for (const auto& field : schema) {
        const std::string key = field["key"];
        const std::size_t dot = key.find('.');
        const auto& expected = dot == std::string::npos ? defaults.at(key) : defaults.at(key.substr(0, dot)).at(key.substr(dot + 1));
        INFO(key);
        CHECK(field["default"] == expected);
    }
    // Every static bound is enforced: a value just outside is refused with the field's rule, one on an
    // inclusive bound is accepted.
    for (const FieldSpec& f : config_fields()) {
        if (!f.value || !f.upper_expression.empty() || f.key == "seed") continue;
        INFO(f.key << ": " << range_rule(f));
        CHECK(in_range(f, f.value(Config{})));
        if (std::isfinite(f.lower)) {
            CHECK_FALSE(in_range(f, f.lower - (f.lower_open ? 0.0 : 1.0)));
            CHECK(in_range(f, f.lower) == !f.lower_open);
        }
        if (f.type == FieldType::number) CHECK_FALSE(in_range(f, INFINITY));
    }
    CHECK(range_rule(*find_config_field("lr")) == "must be finite and > 0, and a nonzero value within float32's range [1.2e-38, 3.4e+38]");
    CHECK_FALSE(in_range(*find_config_field("lr"), 1e-320));
    CHECK_FALSE(in_range(*find_config_field("lr"), 1e39));
    CHECK(in_range(*find_config_field("lr"), 3e38));
    CHECK_FALSE(in_range(*find_config_field("label_noise_std"), 1e300));
    CHECK(range_rule(*find_config_field("momentum")) == "must be in [0, 1)");
    CHECK(range_rule(*find_config_field("n")) == "must be an integer >= 1");
}
