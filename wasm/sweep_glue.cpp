#include "sweep_glue.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "io/config_json.hpp"
#include "io/sweep_collect.hpp"
#include "io/sweep_json.hpp"
#include "sweep.hpp"

namespace spiketail {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& out) { return out.dump(-1, ' ', false, Json::error_handler_t::replace); }

// "runs", "config" and "memory" of a valid sweep into out.
void put_expansion(const SweepSpec& spec, const std::vector<SweepRun>& expanded, Json& out) {
    Json runs = Json::array();
    double memory = 0;  // the largest run's estimate, by which the page sizes its pool of workers
    for (const SweepRun& run : expanded) {
        runs.push_back(sweep_run_to_json_value(run));
        memory = std::max(memory, estimate_memory_bytes(run.config));
    }
    out["runs"] = std::move(runs);
    out["config"] = sweep_spec_to_json_value(spec);  // the sweep document's "config", as the CLI writes it
    out["memory"] = memory;
}

Json refusal(const std::vector<FieldError>& errors) {
    Json out = Json::object();
    out["ok"] = false;
    out["errors"] = field_errors_to_json(errors);
    return out;
}

// The request's "sweep" (a sweep config, as a sweep document's "config" or the page's form writes it).
bool read_sweep(const Json& request, SweepSpec& spec, std::vector<FieldError>& errors) {
    const auto it = request.find("sweep");
    if (it == request.end() || !it->is_object()) {
        errors.push_back({"sweep", "expected the sweep's config, an object"});
        return false;
    }
    const SweepParse parsed = sweep_from_json(it->dump());
    for (const FieldError& e : parsed.errors) errors.push_back({"sweep." + e.field, e.message});
    spec = parsed.spec;
    return parsed.ok();
}

// The request's "record": "default", "eigenvalues" or "detail".
bool read_record(const Json& request, std::string& record, std::vector<FieldError>& errors) {
    const auto it = request.find("record");
    record = it != request.end() && it->is_string() ? it->get<std::string>() : "";
    if (record == "default" || record == "eigenvalues" || record == "detail") return true;
    errors.push_back({"record", "expected \"default\", \"eigenvalues\" or \"detail\""});
    return false;
}

}  // namespace

std::string expand_sweep_json(const std::string& sweep_json) {
    const SweepParse parsed = sweep_from_json(sweep_json);
    Json out = Json::object();
    out["ok"] = parsed.ok();
    out["errors"] = field_errors_to_json(parsed.errors);
    out["runs"] = Json::array();
    if (parsed.ok()) put_expansion(parsed.spec, expand_sweep(parsed.spec), out);
    return dump(out);
}

std::string collect_sweep_json(const std::string& request_json) {
    const Json request = Json::parse(request_json, nullptr, false);
    if (!request.is_object()) return dump(refusal({{"json", "expected an object {documents, sweep?, rerun_errors?}"}}));
    std::vector<FieldError> errors;
    SweepSpec target;
    const bool has_target = request.contains("sweep");
    if (has_target && !read_sweep(request, target, errors)) return dump(refusal(errors));
    const auto list = request.find("documents");
    std::vector<Json> documents;
    std::vector<std::string> names;
    for (std::size_t k = 0; list != request.end() && list->is_array() && k < list->size(); ++k) {
        const Json& item = (*list)[k];
        const auto name = item.is_object() ? item.find("name") : item.end();
        const auto document = item.is_object() ? item.find("document") : item.end();
        if (name == item.end() || !name->is_string() || document == item.end()) {
            errors.push_back({"documents[" + std::to_string(k) + "]", "expected {\"name\": text, \"document\": a sweep document}"});
            continue;
        }
        names.push_back(name->get<std::string>());
        documents.push_back(*document);
    }
    if (list == request.end() || !list->is_array() || list->empty())
        errors.push_back({"documents", "expected a list of one or more {name, document}"});
    CollectOptions options;
    options.target = has_target ? &target : nullptr;
    options.target_name = "the sweep on screen";
    if (const auto rerun = request.find("rerun_errors"); rerun != request.end()) {
        if (rerun->is_boolean()) options.rerun_errors = rerun->get<bool>();
        else errors.push_back({"rerun_errors", "expected true or false"});
    }
    if (request.contains("record") && !read_record(request, options.record, errors)) return dump(refusal(errors));
    if (!errors.empty()) return dump(refusal(errors));

    const CollectedSweep collected = collect_sweep_documents(documents, names, options);
    Json out = refusal(collected.errors);
    out["ok"] = collected.ok();
    out["notes"] = collected.notes;
    if (!collected.ok()) return dump(out);
    out["sweep_id"] = collected.id;
    out["record"] = collected.record.empty() ? std::string("default") : collected.record;
    put_expansion(collected.spec, collected.runs, out);
    Json entries = Json::array();
    for (std::size_t i = 0; i < collected.runs.size(); ++i)
        entries.push_back(collected.results.filled[i] ? collected.results.entries[i] : Json(nullptr));
    out["entries"] = std::move(entries);
    out["missing"] = collected.results.missing();
    out["duplicates"] = collected.duplicates;
    return dump(out);
}

std::string sweep_document_json(const std::string& request_json) {
    const Json request = Json::parse(request_json, nullptr, false);
    if (!request.is_object()) return dump(refusal({{"json", "expected an object {sweep, entries}"}}));
    std::vector<FieldError> errors;
    SweepSpec spec;
    if (!read_sweep(request, spec, errors)) return dump(refusal(errors));
    const std::vector<SweepRun> runs = expand_sweep(spec);
    const std::size_t count = runs.size();
    const auto entries = request.find("entries");
    if (entries == request.end() || !entries->is_array() || entries->size() != count)
        return dump(refusal({{"entries", "expected one entry (or null) per run of the sweep: " + std::to_string(count)}}));
    std::string record = "default";  // what the page's runs record
    if (request.contains("record") && !read_record(request, record, errors)) return dump(refusal(errors));
    SweepResults results(count);
    for (std::size_t i = 0; i < count; ++i) {
        const Json& entry = (*entries)[i];
        if (entry.is_null()) continue;
        const auto status = entry.is_object() ? entry.find("status") : entry.end();
        const auto probes = entry.is_object() ? entry.find("probes") : entry.end();
        if (status == entry.end() || !status->is_string() || probes == entry.end() || !probes->is_array())
            return dump(refusal({{"entries[" + std::to_string(i) + "]", "expected a run's entry {status, message, probes} or null"}}));
        // The run's keys and config as the core writes them (JS has one kind of number: 1.0 came back as 1),
        // its outcome as the page has it.
        Json filled = sweep_run_to_json_value(runs[i]);
        filled["status"] = *status;
        const auto message = entry.find("message");
        filled["message"] = message != entry.end() && message->is_string() ? *message : Json("");
        filled["probes"] = *probes;
        results.entries[i] = std::move(filled);
        results.filled[i] = 1;
    }
    Json out = refusal({});
    out["ok"] = true;
    RecordOptions options;
    options.detail = record == "detail";
    options.eigenvalues = record != "default";
    out["document"] = sweep_results_document(spec, results, options);
    return dump(out);
}

}  // namespace spiketail
