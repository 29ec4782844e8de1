// Hostile input (issue 9): every bad config, sweep or reference YAML document is a FieldError naming its field
// or position, within bounded time and memory — duplicate keys (both positions), numbers beyond double's range,
// nesting, document size, YAML anchors/aliases, several YAML documents, YAML node count, step overflow, and
// sweeps bounded by k_max_sweep_list and k_max_sweep_runs before anything is expanded.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "io/config_json.hpp"
#include "io/json_document.hpp"
#include "io/sweep_json.hpp"

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
