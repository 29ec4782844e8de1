// Partial sweep documents and the merge checks (core/io/sweep_parts.hpp): the identity, the "partial" object,
// complete documents without it, duplicates kept once or refused naming the run, another sweep refused,
// missing runs found. Entries are made without running sessions: the checks only read the documents.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "io/record_json.hpp"
#include "io/sweep_json.hpp"
#include "io/sweep_parts.hpp"
#include "sweep.hpp"

using namespace spiketail;
using Json = nlohmann::ordered_json;

namespace {

SweepSpec small_spec() {
    SweepSpec spec;
    spec.base.n = 50;
    spec.base.d = 20;
    spec.base.h = 30;
    spec.optimizers = {OptimizerKind::gd, OptimizerKind::adam};
    spec.lrs = {0.1, 1};
    spec.repeats = 2;
    return spec;
}

// A finished entry with one made-up probe whose train_loss is `loss`.
Json entry_of(const SweepRun& run, double loss) {
    Json entry = sweep_run_to_json_value(run);
    entry["status"] = "finished";
    entry["message"] = "";
    entry["probes"] = Json::array({Json{{"step", 0}, {"train_loss", loss}}});
    return entry;
}

SweepResults filled(const std::vector<SweepRun>& runs, const std::vector<std::size_t>& which) {
    SweepResults results(runs.size());
    for (std::size_t i : which) {
        results.entries[i] = entry_of(runs[i], 0.5 + static_cast<double>(i));
        results.filled[i] = 1;
    }
    return results;
}

CollectTarget target_of(const std::vector<SweepRun>& runs, const SweepSpec& spec) {
    CollectTarget target;
    target.runs = &runs;
    target.id = sweep_id(spec);
    target.id_origin = "CONFIG";
    target.record = "default";
    return target;
}

}  // namespace

TEST_CASE("the sweep id is FNV-1a 64 of the config as the document writes it", "[parts]") {
    const SweepSpec spec = small_spec();
    CHECK(sweep_id(spec) == hex_64(fnv1a_64(sweep_spec_to_json_value(spec).dump())));
    SweepSpec other = spec;
    other.base.seed = 1;
    CHECK(sweep_id(other) != sweep_id(spec));
}

TEST_CASE("a document with every run has no partial object; one with fewer says which runs it holds", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    const Json complete = sweep_results_document(spec, filled(runs, {0, 1, 2, 3, 4, 5, 6, 7}), {});
    CHECK(complete.size() == 2);
    CHECK(complete.begin().key() == "config");
    CHECK_FALSE(complete.contains("partial"));

    const ShardSpec shard{2, 3};
    const Json part = sweep_results_document(spec, filled(runs, {1, 5, 6}), {true, false}, &shard);
    REQUIRE(part.contains("partial"));
    SweepPartial partial;
    CHECK(sweep_partial_from_json(part["partial"], partial).empty());
    CHECK(partial.sweep_id == sweep_id(spec));
    CHECK(partial.runs_total == 8);
    CHECK(partial.sharded);
    CHECK(partial.shard.index == 2);
    CHECK(partial.record == "eigenvalues");
    CHECK(partial.run_indices == std::vector<std::size_t>{1, 5, 6});
    CHECK(part["runs"].size() == 3);
}

TEST_CASE("parts collected together give the complete document, byte for byte", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    const std::string whole = dump_document(sweep_results_document(spec, filled(runs, {0, 1, 2, 3, 4, 5, 6, 7}), {}));
    // Parts as files hold them: written, then read back as text.
    const Json a = Json::parse(dump_document(sweep_results_document(spec, filled(runs, {0, 3, 4}), {})));
    const Json b = Json::parse(dump_document(sweep_results_document(spec, filled(runs, {1, 2, 4, 5, 6, 7}), {})));
    SweepResults results(runs.size());
    const CollectReport ra = collect_sweep_document(a, "a.json", target_of(runs, spec), results);
    const CollectReport rb = collect_sweep_document(b, "b.json", target_of(runs, spec), results);
    CHECK(ra.errors.empty());
    CHECK(rb.errors.empty());
    CHECK(ra.added == 3);
    CHECK(rb.added == 5);
    CHECK(rb.duplicates == 1);  // run 4, identical in both
    CHECK(results.missing().empty());
    CHECK(dump_document(sweep_results_document(spec, results, {})) == whole);
}

TEST_CASE("merge checks: a different duplicate, another sweep, another record, a foreign run", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    const Json a = sweep_results_document(spec, filled(runs, {0, 2}), {});
    SweepResults results(runs.size());
    REQUIRE(collect_sweep_document(a, "a.json", target_of(runs, spec), results).errors.empty());

    SweepResults changed = filled(runs, {2});
    changed.entries[2]["probes"][0]["train_loss"] = 9.25;
    const CollectReport different =
        collect_sweep_document(sweep_results_document(spec, changed, {}), "b.json", target_of(runs, spec), results);
    REQUIRE(different.errors.size() == 1);
    CHECK(different.errors[0].field == "b.json");
    CHECK_THAT(different.errors[0].message, Catch::Contains("run 2 (adam, lr 0.1, repeat 0) differs from the one in a.json") &&
                                                Catch::Contains("probes[0].train_loss: 2.5 vs 9.25"));

    SweepSpec other = spec;
    other.base.h = 31;
    const std::vector<SweepRun> other_runs = expand_sweep(other);
    const CollectReport foreign = collect_sweep_document(sweep_results_document(other, filled(other_runs, {1}), {}),
                                                         "c.json", target_of(runs, spec), results);
    REQUIRE(foreign.errors.size() == 1);
    CHECK_THAT(foreign.errors[0].message, Catch::Contains("belongs to another sweep"));

    const CollectReport record = collect_sweep_document(sweep_results_document(spec, filled(runs, {3}), {false, true}),
                                                        "d.json", target_of(runs, spec), results);
    REQUIRE(record.errors.size() == 1);
    CHECK_THAT(record.errors[0].message, Catch::Contains("recorded as \"detail\""));

    Json tampered = sweep_results_document(spec, filled(runs, {5}), {});
    tampered["runs"][0]["lr"] = 10.0;
    const CollectReport bad = collect_sweep_document(tampered, "e.json", target_of(runs, spec), results);
    REQUIRE(bad.errors.size() == 1);
    CHECK_THAT(bad.errors[0].message, Catch::Contains("runs[0]: lr is not that of the sweep's run 5"));
    CHECK(results.missing() == std::vector<std::size_t>{1, 3, 4, 5, 6, 7});
}

TEST_CASE("--resume's reading: runs with status error are left to run again", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    SweepResults saved = filled(runs, {0, 1});
    saved.entries[1]["status"] = "error";
    CollectTarget target = target_of(runs, spec);
    target.skip_errors = true;
    SweepResults results(runs.size());
    const CollectReport report = collect_sweep_document(sweep_results_document(spec, saved, {}), "out.json", target, results);
    CHECK(report.errors.empty());
    CHECK(report.added == 1);
    CHECK(results.missing().size() == 7);
}

TEST_CASE("a partial object that does not fit its document is refused, naming the field", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    Json part = sweep_results_document(spec, filled(runs, {1, 2}), {});
    Json descending = part;
    descending["partial"]["run_indices"] = Json::array({2, 1});
    CHECK(read_sweep_document_head(descending, "p.json").errors.front().message.find("partial.run_indices[1]") == 0);
    Json edited = part;
    edited["config"]["seed"] = 7;
    CHECK_THAT(read_sweep_document_head(edited, "p.json").errors.front().message, Catch::Contains("was edited"));
    Json short_list = part;
    short_list["partial"]["run_indices"] = Json::array({1});
    CHECK_THAT(read_sweep_document_head(short_list, "p.json").errors.front().message, Catch::Contains("lists 1 runs"));
    CHECK(read_sweep_document_head(Json::array(), "p.json").errors.size() == 1);
}
