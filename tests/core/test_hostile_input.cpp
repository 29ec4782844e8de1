// Hostile input (issue 9): every bad config, sweep or reference YAML document is a FieldError naming its field
// or position, within bounded time and memory — duplicate keys (both positions), numbers beyond double's range,
// nesting, document size, YAML anchors/aliases, several YAML documents, YAML node count, step overflow, and
// sweeps bounded by k_max_sweep_list and k_max_sweep_runs before anything is expanded.
#include <catch2/catch.hpp>
#include <chrono>
#include <climits>
#include <nlohmann/json.hpp>
#include <string>

#include "io/config_json.hpp"
#include "io/json_document.hpp"
#include "io/sweep_json.hpp"
#include "reference_yaml.hpp"
#include "sweep.hpp"
#include "sweep_glue.hpp"

using namespace spiketail;
using Catch::Matchers::Contains;

namespace {

FieldError first_config_error(const std::string& text) {
    const ConfigParse parsed = config_from_json(text);
    return parsed.errors.empty() ? FieldError{"(none)", ""} : parsed.errors.front();
}

FieldError first_sweep_error(const std::string& text) {
    const SweepParse parsed = sweep_from_json(text);
    return parsed.errors.empty() ? FieldError{"(none)", ""} : parsed.errors.front();
}

FieldError first_yaml_error(const std::string& text) {
    const ReferenceMapping m = map_reference_yaml(text);
    return m.errors.empty() ? FieldError{"(none)", ""} : m.errors.front();
}

// A JSON list of count copies of item.
std::string json_list(const std::string& item, std::size_t count) {
    std::string out = "[";
    for (std::size_t i = 0; i < count; ++i) out += (i ? "," : "") + item;
    return out + "]";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("JSON: a duplicate key is refused, naming the key and both positions", "[json][hostile]") {
    const FieldError e = first_config_error(R"({"n": -1, "n": 200})");
    CHECK(e.field == "n");
    CHECK_THAT(e.message, Contains("duplicate key") && Contains("line 1, column 2") && Contains("line 1, column 11"));

    SECTION("at any nesting level") {
        const FieldError nested = first_config_error("{\"lr_scheduler\": {\"gamma\": 0.5,\n  \"gamma\": 0.2}}");
        CHECK(nested.field == "lr_scheduler.gamma");
        CHECK_THAT(nested.message, Contains("line 1, column 19") && Contains("line 2, column 3"));
        CHECK(first_sweep_error(R"({"vary": {"n": [500], "n": [2000]}})").field == "vary.n");
        CHECK(first_sweep_error(R"({"lr": [1], "lr": [2]})").field == "lr");
        CHECK(first_sweep_error(R"({"lr": [1], "n": 10, "repeat": 1, "repeat": 2})").field == "repeat");
    }
    SECTION("escaped spellings of the same key are the same key, as json::parse decodes them") {
        CHECK(first_config_error(R"({"n": 1, "\u006e": 2})").field == "n");
    }
    SECTION("after a byte order mark, which json::parse skips") {
        const FieldError bom = first_config_error("\xEF\xBB\xBF{\"n\": 1, \"n\": 2}");
        CHECK(bom.field == "n");
        CHECK_THAT(bom.message, Contains("line 1, column 2"));
    }
    SECTION("equal keys in different objects, and strings that look like keys, are fine") {
        const JsonScan scan = scan_json(R"({"a": {"x": 1}, "b": {"x": "\"x\": {"}, "c": [{"x": 1}, {"x": 2}]})");
        CHECK(scan.errors.empty());
        CHECK(scan.complete);
    }
    SECTION("every duplicate is listed") {
        const ConfigParse parsed = config_from_json(R"({"n": 1, "n": 2, "d": 1, "d": 2})");
        REQUIRE(parsed.errors.size() == 2);
        CHECK(parsed.errors[1].field == "d");
    }
}

TEST_CASE("JSON: a number beyond double's range names its field and position", "[json][hostile]") {
    FieldError e = first_config_error(R"({"lr": 1e999})");
    CHECK(e.field == "lr");
    CHECK_THAT(e.message, Contains("number overflow") && Contains("1e999") && Contains("line 1, column 8"));
    CHECK(first_config_error(R"({"n": -1e999})").field == "n");
    CHECK(first_config_error("{\"seed\": 1" + std::string(400, '0') + "}").field == "seed");  // an integer too
    CHECK(first_config_error(R"({"lr_scheduler": {"gamma": 1e400}})").field == "lr_scheduler.gamma");
    CHECK(first_sweep_error(R"({"lr": [1, 1e999]})").field == "lr[1]");
    CHECK(first_sweep_error(R"({"vary": {"reg_lambda": [0.1, 2e308]}})").field == "vary.reg_lambda[1]");
    CHECK(first_config_error("1e999").field == "json");
    // Underflow is not an error of the document: 1e-999 reads as 0, which validation refuses by name.
    CHECK(first_config_error(R"({"lr": 1e-999})").field == "lr");
    // A syntax error is still json::parse's, with its position.
    e = first_config_error("{\"n\": 1,\n \"d\" 2}");
    CHECK(e.field == "json");
    CHECK_THAT(e.message, Contains("line 2"));
}

TEST_CASE("JSON: nesting and size are bounded before parsing", "[json][hostile]") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    FieldError e = first_config_error(deep);
    CHECK(e.field == "json");
    CHECK_THAT(e.message, Contains("nested deeper than 64"));
    e = first_config_error(R"({"n": )" + std::string(1000, '[') + std::string(1000, ']') + "}");
    CHECK(e.field == "n");
    CHECK(first_sweep_error(R"({"vary": {"n": )" + std::string(100, '[') + std::string(100, ']') + "}}").field == "vary.n");
    // 64 levels are fine for the scanner (the config then says what is wrong with the value).
    CHECK(scan_json(std::string(64, '[') + std::string(64, ']')).errors.empty());

    const std::string huge = "{\"n\": \"" + std::string(k_max_document_bytes, 'x') + "\"}";
    e = first_config_error(huge);
    CHECK(e.field == "json");
    CHECK_THAT(e.message, Contains("4 MiB"));
    CHECK(first_sweep_error(huge).field == "json");
}

TEST_CASE("sweeps: list lengths and the number of runs are bounded before expanding", "[sweep][hostile]") {
    const auto start = std::chrono::steady_clock::now();
    FieldError e = first_sweep_error(R"({"repeat": 1000000000})");
    CHECK(e.field == "repeat");
    CHECK_THAT(e.message, Contains("1000000000 runs") && Contains("limit of 100000 runs") && Contains("--max-runs"));
    CHECK(first_sweep_error(R"({"repeat": 2147483647, "lr": [1, 2]})").field == "repeat");

    e = first_sweep_error(R"({"lr": )" + json_list("0.5", 1000000) + "}");
    CHECK(e.field == "lr");
    CHECK_THAT(e.message, Contains("1000000 entries") && Contains("10000"));
    CHECK(first_sweep_error(R"({"vary": {"reg_lambda": )" + json_list("0.5", 1000000) + "}}").field == "vary.reg_lambda");
    CHECK(first_sweep_error(R"({"optimizer": )" + json_list("\"gd\"", 20000) + "}").field == "optimizer");
    // Each list within its cap, their product beyond the run cap: named after the largest factor.
    CHECK(first_sweep_error(R"({"lr": )" + json_list("0.5", 10000) + R"(, "repeat": 11})").field == "lr");
    CHECK(seconds_since(start) < 10);

    SECTION("at the caps") {
        const SweepParse parsed = sweep_from_json(R"({"lr": )" + json_list("0.5", 10000) + R"(, "repeat": 10})");
        CHECK(parsed.ok());
        CHECK(count_sweep_runs(parsed.spec) == 100000);
    }
    SECTION("the cap is a parameter: a caller may raise it") {
        CHECK(sweep_from_json(R"({"repeat": 100001})").errors.size() == 1);
        const SweepParse raised = sweep_from_json(R"({"repeat": 100001})", 200000);
        CHECK(raised.ok());
        const SweepParse lowered = sweep_from_json(R"({"repeat": 3})", 2);
        REQUIRE_FALSE(lowered.ok());
        CHECK_THAT(lowered.errors[0].message, Contains("limit of 2 runs"));
    }
    SECTION("the count saturates instead of overflowing 64 bits") {
        SweepSpec spec;
        spec.repeats = INT_MAX;
        spec.lrs.assign(10000, 1.0);
        spec.optimizers.assign(10000, OptimizerKind::adam);
        spec.param = "reg_lambda";
        spec.values.assign(10000, 0.1);
        CHECK(count_sweep_runs(spec) == LLONG_MAX);
        const std::vector<FieldError> errors = validate_sweep(spec);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0].message, Contains("more than 9223372036854775807 runs"));
    }
    SECTION("the wasm module's expandSweep gets the same message, not an exception") {
        const nlohmann::json out = nlohmann::json::parse(expand_sweep_json(R"({"repeat": 1000000000})"));
        CHECK(out["ok"] == false);
        CHECK(out["errors"][0]["field"] == "repeat");
        CHECK(out["runs"].empty());
    }
}

TEST_CASE("reference YAML: anchors and aliases are refused before any tree is built", "[config][yaml][hostile]") {
    FieldError e = first_yaml_error("a: &a [*a]\n");
    CHECK(e.field == "a");
    CHECK_THAT(e.message, Contains("anchors") && Contains("line 1, column 4"));
    e = first_yaml_error("&a {x: *a}\n");
    CHECK(e.field == "yaml");
    CHECK_THAT(e.message, Contains("anchors"));
    const char* const billion_laughs =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    CHECK_THAT(first_yaml_error(billion_laughs).message, Contains("anchors"));
    CHECK_THAT(first_yaml_error("base: &b {n: 1}\nother:\n  <<: *b\n").message, Contains("anchors"));
    CHECK_THROWS_WITH(yaml_to_json("a: &a [*a]\n"), Contains("anchors"));
}

TEST_CASE("reference YAML: one document, each key once, bounded size, nodes and depth", "[config][yaml][hostile]") {
    FieldError e = first_yaml_error("n: 100\n---\nn: 200\n");
    CHECK(e.field == "yaml");
    CHECK_THAT(e.message, Contains("second YAML document") && Contains("line 2"));
    CHECK(first_yaml_error("n: 100\n---\n").field == "yaml");
    CHECK(first_yaml_error("---\nn: 100\n...\n").field == "(none)");  // explicit markers of one document

    e = first_yaml_error("n: -1\nd: 10\nn: 200\n");
    CHECK(e.field == "n");
    CHECK_THAT(e.message, Contains("duplicate key") && Contains("line 1, column 1") && Contains("line 3, column 1"));
    CHECK(first_yaml_error("lr_scheduler_cls: StepLR\nlr_scheduler_kwargs:\n  gamma: 0.1\n  gamma: 0.2\n").field ==
          "lr_scheduler_kwargs.gamma");
    CHECK(first_yaml_error("{n: 1, n: 2}\n").field == "n");
    CHECK(first_yaml_error("n: 1\n'n': 2\n").field == "n");  // quoted or not, the same key
    CHECK(first_yaml_error("? [a]\n: 1\n").message.find("plain word") != std::string::npos);

    const auto start = std::chrono::steady_clock::now();
    std::string big_list = "unknown_key:\n";
    for (int i = 0; i < 300000; ++i) big_list += "- 1\n";
    e = first_yaml_error(big_list);
    CHECK(e.field == "yaml");
    CHECK_THAT(e.message, Contains("100000 nodes"));
    std::string huge = "unknown_key:\n";
    while (huge.size() <= k_max_document_bytes) huge += "- 123456789\n";
    e = first_yaml_error(huge);
    CHECK(e.field == "yaml");
    CHECK_THAT(e.message, Contains("4 MiB"));
    e = first_yaml_error(std::string(5000, '[') + std::string(5000, ']'));
    CHECK(e.field == "yaml");
    CHECK_THAT(e.message, Contains("nested deeper than 64"));
    CHECK(first_yaml_error("lr: " + std::string(100, '[') + std::string(100, ']') + "\n").field == "lr");
    CHECK(seconds_since(start) < 10);
}

TEST_CASE("reference YAML: steps that overflow, repeats below 1 and empty documents are refused", "[config][yaml][hostile]") {
    CHECK(first_yaml_error("num_epochs: 9223372036854775807\nn: 2000\nbatch_size: 1\n").field == "num_epochs");
    const FieldError e = first_yaml_error("num_epochs: 1073741824\nn: 2000\nbatch_size: 1000\n");  // 2^31 steps
    CHECK(e.field == "num_epochs");
    CHECK_THAT(e.message, Contains("2147483647"));
    CHECK(first_yaml_error("num_epochs: 2147483648\n").field == "num_epochs");
    const ReferenceMapping largest = map_reference_yaml("num_epochs: 1073741823\nn: 2000\nbatch_size: 1000\n");
    REQUIRE(largest.ok());
    CHECK(largest.document["num_steps"] == 2147483646);

    CHECK(first_yaml_error("repeat: 0\n").field == "repeat");
    CHECK(first_yaml_error("repeat: -1\n").field == "repeat");
    CHECK(first_yaml_error("repeat: 1.5\n").field == "repeat");
    CHECK(first_yaml_error("repeat: 'x'\n").field == "repeat");
    const ReferenceMapping once = map_reference_yaml("repeat: 1\n");
    CHECK(once.ok());
    CHECK_FALSE(once.is_sweep);

    CHECK(first_yaml_error("# only a comment\n").field == "config");
}
