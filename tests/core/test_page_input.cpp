// What the page sends the core and shows back (issues 9 and 10): an empty key is named, not a blank field;
// StepLR's gamma is a decay in (0, 1]; a sweep list with an unreadable entry still has its other entries
// checked by the core, each under its own index ("lr=abc,-1" in a link reports lr[0] and lr[1]).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "config_schema.hpp"
#include "io/config_json.hpp"
#include "io/sweep_json.hpp"

using namespace spiketail;
using Catch::Matchers::Contains;

namespace {

std::vector<FieldError> config_errors(const std::string& text) { return config_from_json(text).errors; }
std::vector<FieldError> sweep_errors(const std::string& text) { return sweep_from_json(text).errors; }

const FieldError* error_for(const std::vector<FieldError>& errors, const std::string& field) {
    for (const FieldError& e : errors)
        if (e.field == field) return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("an empty key is named as \"\" with a message that says so", "[json][page]") {
    std::vector<FieldError> errors = config_errors(R"({"": 1})");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "\"\"");
    CHECK_THAT(errors[0].message, Contains("empty string") && Contains("docs/schema.md"));

    errors = config_errors(R"({"lr_scheduler": {"": 0.5}})");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "lr_scheduler.\"\"");
    CHECK_THAT(errors[0].message, Contains("empty string"));

    // Given twice, it is a duplicate key, still named.
    errors = config_errors("{\"\": 1, \"\": 2}");
    REQUIRE_FALSE(errors.empty());
    CHECK(errors[0].field == "\"\"");
    CHECK_THAT(errors[0].message, Contains("duplicate key"));

    errors = sweep_errors(R"({"vary": {"": [1, 2]}})");
    REQUIRE_FALSE(errors.empty());
    CHECK(errors[0].field == "vary.\"\"");
    CHECK_THAT(errors[0].message, Contains("cannot be varied"));

    // No error of any document above has an empty field.
    for (const char* text : {R"({"": 1})", R"({"lr_scheduler": {"": 0.5}})", "{\"\": 1, \"\": 2}"})
        for (const FieldError& e : config_errors(text)) CHECK_FALSE(e.field.empty());
}

TEST_CASE("StepLR's gamma is in (0, 1]", "[config][page]") {
    const FieldSpec* gamma = find_config_field("lr_scheduler.gamma");
    REQUIRE(gamma != nullptr);
    CHECK(range_rule(*gamma) == "must be in (0, 1]");
    CHECK(config_errors(R"({"lr_scheduler": {"step_size": 1, "gamma": 1}})").empty());
    CHECK(config_errors(R"({"lr_scheduler": {"step_size": 1, "gamma": 0.2}})").empty());
    for (const char* text : {R"({"lr_scheduler": {"gamma": 2}})", R"({"lr_scheduler": {"gamma": 1.0000001}})",
                             R"({"lr_scheduler": {"gamma": 0}})"}) {
        INFO(text);
        const std::vector<FieldError> errors = config_errors(text);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == "lr_scheduler.gamma");
        CHECK_THAT(errors[0].message, Contains("(0, 1]"));
    }
    // A gamma study names the entry.
    const std::vector<FieldError> errors = sweep_errors(R"({"vary": {"gamma": [0.5, 2]}})");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "vary.gamma[1]");
}

TEST_CASE("a sweep list's unreadable entry does not hide the others' errors", "[sweep][page]") {
    std::vector<FieldError> errors = sweep_errors(R"({"lr": ["abc", -1, 0.5]})");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].field == "lr[0]");
    CHECK_THAT(errors[0].message, Contains("expected a number"));
    CHECK(errors[1].field == "lr[1]");
    CHECK_THAT(errors[1].message, Contains("> 0"));

    errors = sweep_errors(R"({"vary": {"reg_lambda": [true, 0, 0.1]}})");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].field == "vary.reg_lambda[0]");
    CHECK(errors[1].field == "vary.reg_lambda[1]");

    // vary.n: an unreadable entry and a fraction, each once.
    errors = sweep_errors(R"({"vary": {"n": ["x", 500.5, 600]}})");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].field == "vary.n[0]");
    CHECK(errors[1].field == "vary.n[1]");

    // Any other error stops before the runs are checked (they would be of a config the document does not
    // say), as before.
    errors = sweep_errors(R"({"n": "abc", "lr": [-1]})");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "n");
    CHECK(error_for(sweep_errors(R"({"lr": ["abc", 1]})"), "lr[1]") == nullptr);
}
