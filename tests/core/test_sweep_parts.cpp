// Partial sweep documents and the merge checks (core/io/sweep_parts.hpp): the identity, the "partial" object,
// complete documents without it, duplicates kept once or refused naming the run, another sweep refused,
// missing runs found. Entries are made without running sessions: the checks only read the documents.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "io/record_json.hpp"
#include "io/sweep_collect.hpp"
#include "io/sweep_json.hpp"
#include "io/sweep_parts.hpp"
#include "sweep_glue.hpp"
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

TEST_CASE("merge: a duplicate in error beside a finished copy keeps the finished one, in either order, with a note", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    const Json finished = sweep_results_document(spec, filled(runs, {0, 1}), {});
    SweepResults failed = filled(runs, {1, 2});
    failed.entries[1]["status"] = "error";
    failed.entries[1]["message"] = "the run failed: std::bad_alloc";
    failed.entries[1]["probes"] = Json::array();
    const Json killed = sweep_results_document(spec, failed, {});
    for (const bool error_first : {false, true}) {
        const std::vector<Json> documents = error_first ? std::vector<Json>{killed, finished} : std::vector<Json>{finished, killed};
        const std::vector<std::string> names = error_first ? std::vector<std::string>{"k.json", "f.json"}
                                                           : std::vector<std::string>{"f.json", "k.json"};
        const CollectedSweep merged = collect_sweep_documents(documents, names, CollectOptions{});
        CAPTURE(error_first);
        CHECK(merged.ok());
        CHECK(merged.duplicates == 1);
        REQUIRE(merged.notes.size() == 1);
        CHECK(merged.notes[0] == "run 1 (gd, lr 1.0, repeat 0) ended in error in k.json (the run failed: std::bad_alloc); "
                                 "kept the finished copy of f.json");
        CHECK(merged.results.entries[1] == filled(runs, {1}).entries[1]);
        CHECK(merged.results.source[1] == "f.json");
        CHECK(merged.results.missing() == std::vector<std::size_t>{3, 4, 5, 6, 7});
    }
    // Two copies in error that say different things: the first is kept, and said.
    SweepResults other = failed;
    other.entries[1]["message"] = "the run failed: killed";
    const CollectedSweep both = collect_sweep_documents({killed, sweep_results_document(spec, other, {})},
                                                        {"k.json", "o.json"}, CollectOptions{});
    CHECK(both.ok());
    REQUIRE(both.notes.size() == 1);
    CHECK_THAT(both.notes[0], Catch::Contains("ended in error in k.json (the run failed: std::bad_alloc) and in o.json "
                                              "(the run failed: killed); the first is kept"));
    CHECK(both.results.entries[1]["message"] == "the run failed: std::bad_alloc");
    // A finished copy and a diverged one are two results of one run: that stays an error naming it.
    SweepResults diverged = filled(runs, {1});
    diverged.entries[1]["status"] = "diverged";
    const CollectedSweep clash = collect_sweep_documents({finished, sweep_results_document(spec, diverged, {})},
                                                         {"f.json", "d.json"}, CollectOptions{});
    REQUIRE(clash.errors.size() == 1);
    CHECK_THAT(clash.errors[0].message, Catch::Contains("run 1 (gd, lr 1.0, repeat 0) differs from the one in f.json"));
}

TEST_CASE("collect_sweep_documents: a target sweep refuses another sweep's document; rerun_errors leaves errors missing", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    SweepResults saved = filled(runs, {0, 3});
    saved.entries[3]["status"] = "error";
    CollectOptions options;
    options.target = &spec;
    options.target_name = "the form";
    options.rerun_errors = true;
    const CollectedSweep resumed = collect_sweep_documents({sweep_results_document(spec, saved, {})}, {"s.json"}, options);
    CHECK(resumed.ok());
    CHECK(resumed.id == sweep_id(spec));
    CHECK(resumed.results.missing() == std::vector<std::size_t>{1, 2, 3, 4, 5, 6, 7});

    SweepSpec other = spec;
    other.repeats = 3;
    options.target = &other;
    const CollectedSweep refused = collect_sweep_documents({sweep_results_document(spec, saved, {})}, {"s.json"}, options);
    REQUIRE(refused.errors.size() == 1);
    CHECK(refused.errors[0].field == "s.json");
    CHECK_THAT(refused.errors[0].message, Catch::StartsWith("belongs to another sweep (sweep_id " + sweep_id(spec) +
                                                            "; the form's is " + sweep_id(other) + ")"));
    options.target = &spec;
    options.record = "eigenvalues";
    const CollectedSweep record = collect_sweep_documents({sweep_results_document(spec, saved, {})}, {"s.json"}, options);
    REQUIRE(record.errors.size() == 1);
    CHECK_THAT(record.errors[0].message, Catch::Contains("recorded as \"default\", not \"eigenvalues\""));
}

TEST_CASE("collectSweep and sweepDocument (the wasm glue): a partial import, its missing runs, the document back", "[parts]") {
    const SweepSpec spec = small_spec();
    const std::vector<SweepRun> runs = expand_sweep(spec);
    const Json part = sweep_results_document(spec, filled(runs, {1, 6}), {});
    Json request = {{"documents", Json::array({Json{{"name", "part.json"}, {"document", part}}})}};
    const Json out = Json::parse(collect_sweep_json(request.dump()));
    REQUIRE(out["ok"] == true);
    CHECK(out["sweep_id"] == sweep_id(spec));
    CHECK(out["record"] == "default");
    CHECK(out["runs"].size() == 8);
    CHECK(out["config"] == part["config"]);
    CHECK(out["missing"] == Json({0, 2, 3, 4, 5, 7}));
    CHECK(out["entries"][1] == part["runs"][0]);
    CHECK(out["entries"][0].is_null());

    // The entries back, as the page holds them: the same partial document; all of them: the complete one.
    const Json again = Json::parse(sweep_document_json(Json{{"sweep", out["config"]}, {"entries", out["entries"]}}.dump()));
    REQUIRE(again["ok"] == true);
    CHECK(again["document"] == part);
    const Json whole = sweep_results_document(spec, filled(runs, {0, 1, 2, 3, 4, 5, 6, 7}), {});
    const Json complete = Json::parse(sweep_document_json(Json{{"sweep", out["config"]}, {"entries", whole["runs"]}}.dump()));
    CHECK(complete["document"] == whole);

    // Another sweep's part, against the sweep on screen.
    SweepSpec other = spec;
    other.base.seed += 1;
    request["sweep"] = sweep_spec_to_json_value(other);
    const Json refused = Json::parse(collect_sweep_json(request.dump()));
    CHECK(refused["ok"] == false);
    CHECK(refused["errors"][0]["field"] == "part.json");
    CHECK_THAT(refused["errors"][0]["message"].get<std::string>(), Catch::Contains("belongs to another sweep") &&
                                                                      Catch::Contains("the sweep on screen's is"));
    CHECK(Json::parse(collect_sweep_json(R"({"documents": []})"))["errors"][0]["field"] == "documents");
    CHECK(Json::parse(collect_sweep_json("[1]"))["ok"] == false);
    CHECK(Json::parse(sweep_document_json(Json{{"sweep", out["config"]}, {"entries", Json::array()}}.dump()))["errors"][0]["field"] == "entries");
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
