// Probe records, runs and sweep results -> JSON in the schema of docs/schema.md.
//
// A fit that could not be made is null, with its reason in "fit_messages"; any other non-finite number
// (e.g. the loss of a diverged run) is null as well, never a NaN presented as a number.
// Method: docs/method.md §6.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "../session.hpp"
#include "../sweep.hpp"

namespace spiketail {

struct RecordOptions {
    bool eigenvalues = false;  // add the ascending eigenvalues of W^T W to every probe
    bool detail = false;       // add eigenvalues, v_beta_overlap and the update analysis
};

nlohmann::ordered_json probe_record_to_json_value(const ProbeRecord& record, const RecordOptions& options = {});
std::string probe_record_to_json(const ProbeRecord& record, const RecordOptions& options = {});

// {"config", "status", "message", "probes"}
nlohmann::ordered_json run_to_json_value(const Config& config, RunStatus status, const std::string& message,
                                         const std::vector<ProbeRecord>& probes, const RecordOptions& options = {});
nlohmann::ordered_json run_to_json_value(const Session& session, const RecordOptions& options = {});

// One entry of a sweep's "runs": {"optimizer", "lr", "repeat", "param", "value", "config", "status",
// "message", "probes"}.
nlohmann::ordered_json sweep_result_to_json_value(const SweepRun& run, RunStatus status, const std::string& message,
                                                  const std::vector<ProbeRecord>& probes,
                                                  const RecordOptions& options = {});

// Text of a document for a file: the top level, its objects and its arrays of objects one item a line
// (a run's probes, a sweep's runs), everything deeper compact. Valid JSON, diff- and grep-friendly.
std::string dump_document(const nlohmann::ordered_json& document);

}  // namespace spiketail
