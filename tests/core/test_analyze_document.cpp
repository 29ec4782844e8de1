// The analysis document (io/analyze_document): a file's rows in file order split into `layers` and `skipped`,
// its summary the mean of each summary column over the rows with a finite value (WeightWatcher's get_summary,
// pandas skipping NaN: here null), rows from a front end completed to every column in the CLI's order.
#include <catch2/catch.hpp>
#include <algorithm>

#include "io/analyze_document.hpp"
#include "io/layer_report.hpp"

using namespace spiketail;
using ordered_json = nlohmann::ordered_json;

namespace {

ordered_json row(const char* name, const char* status, ordered_json alpha) {
    ordered_json r = ordered_json::object();
    r["file"] = "m.safetensors";
    r["name"] = name;
    r["kind"] = "dense";
    r["shape"] = {4, 3};
    r["status"] = status;
    r["message"] = nullptr;
    r["alpha"] = alpha;
    r["stable_rank"] = 2.0;
    return r;
}

}  // namespace

TEST_CASE("analyze_document: layers and skipped in file order, summary means over the values present", "[analyze_document]") {
    AnalyzedFile f;
    f.file = "m.safetensors";
    f.format = "safetensors";
    f.bytes = 1000;
    f.tensors = 5;
    f.results = {row("a", "success", 3.0), row("bias", "skipped", nullptr), row("b", "failed", nullptr), ordered_json(),
                 row("c", "success", 5.0)};
    f.results[1]["message"] = "a vector (bias or norm), not a weight matrix";
    const ordered_json doc = analyze_document({f});
    REQUIRE(doc["layers"].size() == 3);
    CHECK(doc["layers"][0]["name"] == "a");
    CHECK(doc["layers"][2]["name"] == "c");
    const ordered_json& file = doc["files"][0];
    CHECK(file["layers"] == 3);
    CHECK(file["error"].is_null());
    REQUIRE(file["skipped"].size() == 1);
    CHECK(file["skipped"][0]["reason"] == "a vector (bias or norm), not a weight matrix");
    // alpha: (3 + 5) / 2 over the two rows that have one; stable_rank over all three; a column no row has: null.
    CHECK(file["summary"]["layers"] == 3);
    CHECK(file["summary"]["alpha"].get<double>() == 4.0);
    CHECK(file["summary"]["stable_rank"].get<double>() == 2.0);
    CHECK(file["summary"]["log_norm"].is_null());
    // The CSV: a header and a row per layer.
    const std::string csv = analyze_document_csv(doc);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
}

TEST_CASE("analyzed_file_from_json: rows completed to every column in order; bad fields named", "[analyze_document]") {
    const ordered_json given = ordered_json::parse(
        R"([{"file": "x.npz", "format": "npz", "bytes": 10, "tensors": 2, "error": null,
             "results": [{"status": "failed", "name": "w", "message": "why"}, null]}])");
    AnalyzedFile f;
    std::string error;
    REQUIRE(analyzed_file_from_json(given[0], f, error));
    REQUIRE(f.results.size() == 2);
    std::vector<std::string> keys;
    for (const auto& item : f.results[0].items()) keys.push_back(item.key());
    CHECK(keys == k_layer_columns);
    CHECK(f.results[0]["alpha"].is_null());
    CHECK(f.results[1].is_null());
    AnalyzedFile bad;
    CHECK_FALSE(analyzed_file_from_json(ordered_json::parse(R"({"bytes": -1})"), bad, error));
    CHECK(error == "bytes must be an integer >= 0");
    CHECK_FALSE(analyzed_file_from_json(ordered_json::parse(R"({"results": [3]})"), bad, error));
    CHECK(error == "results: a row must be an object (or null)");
}
