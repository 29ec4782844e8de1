// Partial sweep documents: the "partial" object, the documents of collected results, and the checks that put
// the runs of any number of documents onto one grid (sweep_parts.hpp).
#include "sweep_parts.hpp"

#include <unordered_map>

#include "config_json.hpp"
#include "sweep_json.hpp"

namespace spiketail {
namespace {

using Json = nlohmann::ordered_json;

std::string number_text(const Json& value) { return value.dump(); }

// The first place where a and b differ, as a path: "probes[3].train_loss: 0.1 vs 0.2".
std::string first_difference(const Json& a, const Json& b, const std::string& path) {
    if (a.type() == b.type() && a.is_object()) {
        for (auto it = a.begin(); it != a.end(); ++it) {
            const auto other = b.find(it.key());
            const std::string at = path.empty() ? it.key() : path + "." + it.key();
            if (other == b.end()) return at + ": only in one";
            if (it.value() != *other) return first_difference(it.value(), *other, at);
        }
        return (path.empty() ? std::string("keys") : path) + ": a key only in one";
    }
    if (a.type() == b.type() && a.is_array() && a.size() == b.size()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i]) return first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]");
    }
    std::string x = a.dump(), y = b.dump();
    if (x.size() > 40) x = x.substr(0, 40) + "…";
    if (y.size() > 40) y = y.substr(0, 40) + "…";
    return (path.empty() ? std::string("the entry") : path) + ": " + x + " vs " + y;
}

// An entry's "status" or "message" when it is a string, else "" (entries are checked for their status only).
std::string text_of(const Json& entry, const char* key) {
    const auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A whole number >= 0 (written as a number here it is signed, read from text unsigned) below `below`.
bool is_index(const Json& value, std::uint64_t below) {
    if (value.is_number_unsigned()) return value.get<std::uint64_t>() < below;
    return value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
           static_cast<std::uint64_t>(value.get<std::int64_t>()) < below;
}

}  // namespace

std::string sweep_id(const SweepSpec& spec) { return hex_64(fnv1a_64(sweep_spec_to_json_value(spec).dump())); }

std::string record_name(const RecordOptions& record) {
    return record.detail ? "detail" : record.eigenvalues ? "eigenvalues" : "default";
}

Json sweep_partial_to_json_value(const SweepPartial& partial) {
    Json out = Json::object();
    out["sweep_id"] = partial.sweep_id;
    out["runs_total"] = partial.runs_total;
    out["shard"] = partial.sharded ? Json{{"index", partial.shard.index}, {"count", partial.shard.count}} : Json(nullptr);
    out["record"] = partial.record;
    out["run_indices"] = partial.run_indices;
    return out;
}

std::vector<FieldError> sweep_partial_from_json(const Json& value, SweepPartial& out) {
    std::vector<FieldError> errors;
    if (!value.is_object()) return {{"partial", "expected an object {sweep_id, runs_total, shard, record, run_indices}"}};
    const auto field = [&](const char* key) -> const Json* {
        const auto it = value.find(key);
        if (it != value.end()) return &*it;
        errors.push_back({std::string("partial.") + key, "missing"});
        return nullptr;
    };
    if (const Json* id = field("sweep_id")) {
        if (id->is_string() && id->get<std::string>().size() == 16 &&
            id->get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos)
            out.sweep_id = id->get<std::string>();
        else
            errors.push_back({"partial.sweep_id", "expected 16 lowercase hexadecimal digits"});
    }
    if (const Json* total = field("runs_total")) {
        if (is_index(*total, UINT64_MAX)) out.runs_total = total->get<std::uint64_t>();
        else errors.push_back({"partial.runs_total", "expected an integer >= 0"});
    }
    if (const Json* shard = field("shard"); shard && !shard->is_null()) {
        const auto index = shard->is_object() ? shard->find("index") : shard->end();
        const auto count = shard->is_object() ? shard->find("count") : shard->end();
        if (!shard->is_object() || index == shard->end() || count == shard->end() || !is_index(*index, k_max_shards + 1u) ||
            !is_index(*count, k_max_shards + 1u)) {
            errors.push_back({"partial.shard", "expected null or {\"index\": K, \"count\": N}"});
        } else {
            out.sharded = true;
            out.shard = {index->get<int>(), count->get<int>()};
            for (FieldError& e : validate_shard(out.shard)) errors.push_back({"partial.shard", e.message});
        }
    }
    if (const Json* record = field("record")) {
        const std::string name = record->is_string() ? record->get<std::string>() : "";
        if (name == "default" || name == "eigenvalues" || name == "detail") out.record = name;
        else errors.push_back({"partial.record", "expected \"default\", \"eigenvalues\" or \"detail\""});
    }
    if (const Json* indices = field("run_indices")) {
        if (!indices->is_array()) errors.push_back({"partial.run_indices", "expected an array of grid indices"});
        for (std::size_t j = 0; indices->is_array() && j < indices->size(); ++j) {
            const Json& x = (*indices)[j];
            if (!is_index(x, out.runs_total) || (j > 0 && x.get<std::uint64_t>() <= out.run_indices.back())) {
                errors.push_back({"partial.run_indices[" + std::to_string(j) + "]",
                                  "expected ascending grid indices below runs_total (" + std::to_string(out.runs_total) + ")"});
                break;
            }
            out.run_indices.push_back(x.get<std::size_t>());
        }
    }
    return errors;
}

std::size_t SweepResults::count() const {
    std::size_t k = 0;
    for (char f : filled) k += f != 0;
    return k;
}

std::vector<std::size_t> SweepResults::missing() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < filled.size(); ++i)
        if (!filled[i]) out.push_back(i);
    return out;
}

Json sweep_results_document(const SweepSpec& spec, const SweepResults& results, const RecordOptions& record,
                            const ShardSpec* shard) {
    Json document = Json::object();
    document["config"] = sweep_spec_to_json_value(spec);
    Json runs = Json::array();
    SweepPartial partial;
    for (std::size_t i = 0; i < results.entries.size(); ++i) {
        if (!results.filled[i]) continue;
        runs.push_back(results.entries[i]);
        partial.run_indices.push_back(i);
    }
    if (partial.run_indices.size() < results.entries.size()) {  // only a document with runs missing says so
        partial.sweep_id = sweep_id(spec);
        partial.runs_total = results.entries.size();
        partial.sharded = shard != nullptr;
        if (shard) partial.shard = *shard;
        partial.record = record_name(record);
        document["partial"] = sweep_partial_to_json_value(partial);
    }
    document["runs"] = std::move(runs);
    return document;
}

std::string describe_run(const SweepRun& run, std::size_t index) {
    std::string text = "run " + std::to_string(index) + " (" + run.optimizer + ", lr " + number_text(Json(run.lr)) +
                       ", repeat " + std::to_string(run.repeat);
    if (!run.param.empty())
        text += ", " + run.param + " = " + (run.param == "n" ? std::to_string(static_cast<int>(run.value))
                                                             : number_text(Json(run.value)));
    return text + ")";
}

SweepDocumentHead read_sweep_document_head(const Json& document, const std::string& source) {
    SweepDocumentHead head;
    auto fail = [&](const std::string& field, const std::string& message) { head.errors.push_back({field, message}); };
    if (!document.is_object() || !document.contains("runs") || !document["runs"].is_array() ||
        !document.contains("config") || !document["config"].is_object()) {
        fail(source, "not a sweep result document {\"config\", \"runs\": [...]} (spiketail sweep --out writes one)");
        return head;
    }
    // The config was written by a sweep, so it reads back through the sweep parser; any run count it holds.
    const SweepParse parsed = sweep_from_json(document["config"].dump(), k_max_sweep_runs_raised);
    for (const FieldError& e : parsed.errors) fail(source, "config." + e.field + ": " + e.message);
    if (!parsed.ok()) return head;
    head.spec = parsed.spec;
    head.id = sweep_id(head.spec);
    if (const auto it = document.find("partial"); it != document.end()) {
        head.has_partial = true;
        for (const FieldError& e : sweep_partial_from_json(*it, head.partial)) fail(source, e.field + ": " + e.message);
        if (!head.errors.empty()) return head;
        if (head.partial.sweep_id != head.id)
            fail(source, "partial.sweep_id " + head.partial.sweep_id + " is not the id of the document's config (" +
                             head.id + "): the file was edited");
        else if (head.partial.runs_total != static_cast<std::uint64_t>(count_sweep_runs(head.spec)))
            fail(source, "partial.runs_total " + std::to_string(head.partial.runs_total) + " is not the " +
                             std::to_string(count_sweep_runs(head.spec)) + " runs of the document's config");
        else if (head.partial.run_indices.size() != document["runs"].size())
            fail(source, "partial.run_indices lists " + std::to_string(head.partial.run_indices.size()) +
                             " runs but \"runs\" holds " + std::to_string(document["runs"].size()));
    }
    return head;
}

CollectReport collect_sweep_document(const Json& document, const std::string& source, const CollectTarget& target,
                                     SweepResults& results) {
    CollectReport report;
    const std::vector<SweepRun>& runs = *target.runs;
    auto fail = [&](const std::string& message) { report.errors.push_back({source, message}); };
    const SweepDocumentHead head = read_sweep_document_head(document, source);
    if (!head.errors.empty()) {
        report.errors = head.errors;
        return report;
    }
    if (head.id != target.id) {
        fail("belongs to another sweep (sweep_id " + head.id + "; " + target.id_origin + "'s is " + target.id +
             "): its config differs");
        return report;
    }
    if (head.has_partial && !target.record.empty() && head.partial.record != target.record) {
        fail("its probes are recorded as \"" + head.partial.record + "\", not \"" + target.record +
             "\" (--eigenvalues and --detail must be the same for every part)");
        return report;
    }
    const Json& entries = document["runs"];
    const bool complete = !head.has_partial && entries.size() == runs.size();
    std::vector<Json> expected_config(runs.size());  // built on demand: a config's JSON per grid run
    auto config_of = [&](std::size_t i) -> const Json& {
        if (expected_config[i].is_null()) expected_config[i] = config_to_json_value(runs[i].config);
        return expected_config[i];
    };
    std::unordered_map<std::string, std::vector<std::size_t>> by_config;  // config -> unmatched grid runs, descending
    for (std::size_t j = 0; j < entries.size(); ++j) {
        const Json& entry = entries[j];
        const std::string at = "runs[" + std::to_string(j) + "]";
        if (!entry.is_object() || !entry.contains("config") || !entry["config"].is_object()) {
            fail(at + ": not a sweep run {optimizer, lr, repeat, param, value, config, status, message, probes}");
            continue;
        }
        std::size_t index = runs.size();
        if (head.has_partial) {
            index = head.partial.run_indices[j];
        } else if (complete) {
            index = j;
        } else {  // a progress save of an older spiketail: matched by config, first unfilled
            if (by_config.empty())
                for (std::size_t i = runs.size(); i-- > 0;) by_config[config_of(i).dump()].push_back(i);
            const auto candidates = by_config.find(entry["config"].dump());
            if (candidates != by_config.end() && !candidates->second.empty()) {
                index = candidates->second.back();  // the lowest grid index not matched yet
                candidates->second.pop_back();
            }
            if (index == runs.size()) {
                fail(at + ": its config is no run of the sweep");
                continue;
            }
        }
        const Json expected = sweep_run_to_json_value(runs[index]);
        std::string mismatch;
        for (auto it = expected.begin(); it != expected.end() && mismatch.empty(); ++it) {
            const auto got = entry.find(it.key());
            if (got == entry.end() || *got != it.value()) mismatch = it.key();
        }
        const auto status = entry.find("status");
        const auto probes = entry.find("probes");
        if (mismatch.empty() && (status == entry.end() || !status->is_string() ||
                                 (*status != "finished" && *status != "diverged" && *status != "error")))
            mismatch = "status";
        if (mismatch.empty() && (probes == entry.end() || !probes->is_array())) mismatch = "probes";
        if (!mismatch.empty()) {
            fail(at + ": " + mismatch + " is not that of the sweep's " + describe_run(runs[index], index));
            continue;
        }
        if (target.skip_errors && *status == "error") continue;
        if (results.filled[index]) {
            const Json& kept = results.entries[index];
            const bool kept_error = text_of(kept, "status") == "error", new_error = *status == "error";
            if (kept == entry) {  // equal values (10 and 10.0 are one number); the first kept
                ++report.duplicates;
            } else if (kept_error || new_error) {  // one copy (or both) failed: see sweep_parts.hpp
                const std::string what = describe_run(runs[index], index) + " ended in error in " +
                                         (kept_error ? results.source[index] : source) + " (" +
                                         text_of(kept_error ? kept : entry, "message") + ")";
                if (kept_error && new_error) {
                    report.notes.push_back(what + " and in " + source + " (" + text_of(entry, "message") +
                                           "); the first is kept");
                } else {
                    report.notes.push_back(what + "; kept the " + text_of(kept_error ? entry : kept, "status") +
                                           " copy of " + (kept_error ? source : results.source[index]));
                    ++report.errors_replaced;
                    if (kept_error) {
                        results.entries[index] = entry;
                        results.source[index] = source;
                    }
                }
                ++report.duplicates;
            } else {
                fail(describe_run(runs[index], index) + " differs from the one in " + results.source[index] + " (" +
                     first_difference(kept, entry, "") + ")");
            }
            continue;
        }
        results.entries[index] = entry;
        results.filled[index] = 1;
        results.source[index] = source;
        ++report.added;
    }
    return report;
}

}  // namespace spiketail
