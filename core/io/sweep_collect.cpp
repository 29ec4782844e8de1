// Collecting sweep documents onto one grid (sweep_collect.hpp).
#include "sweep_collect.hpp"

namespace spiketail {

CollectedSweep collect_sweep_documents(const std::vector<nlohmann::ordered_json>& documents,
                                       const std::vector<std::string>& names, const CollectOptions& options) {
    CollectedSweep out;
    if (documents.empty() || names.size() != documents.size()) {
        out.errors.push_back({"documents", "expected at least one sweep document, each with its name"});
        return out;
    }
    std::string origin = options.target_name;
    if (options.target) {
        out.spec = *options.target;
        out.id = sweep_id(out.spec);
    } else {
        const SweepDocumentHead head = read_sweep_document_head(documents.front(), names.front());
        if (!head.errors.empty()) {
            out.errors = head.errors;
            return out;
        }
        out.spec = head.spec;
        out.id = head.id;
        origin = names.front();
    }
    out.runs = expand_sweep(out.spec);
    out.record = options.record;
    for (std::size_t k = 0; k < documents.size() && out.record.empty(); ++k) {
        const SweepDocumentHead head = read_sweep_document_head(documents[k], names[k]);
        if (head.errors.empty() && head.has_partial) out.record = head.partial.record;
    }
    CollectTarget collect;
    collect.runs = &out.runs;
    collect.id = out.id;
    collect.id_origin = origin;
    collect.record = out.record;
    collect.skip_errors = options.rerun_errors;
    out.results = SweepResults(out.runs.size());
    for (std::size_t k = 0; k < documents.size(); ++k) {
        CollectReport report = collect_sweep_document(documents[k], names[k], collect, out.results);
        out.duplicates += report.duplicates;
        out.errors.insert(out.errors.end(), report.errors.begin(), report.errors.end());
        out.notes.insert(out.notes.end(), report.notes.begin(), report.notes.end());
    }
    return out;
}

}  // namespace spiketail
