// The wasm module's expandSweep, collectSweep and sweepDocument (spiketail.d.mts): JSON text in and out. Glue
// for the page's sweep planner, so it lives beside bindings.cpp rather than in the core.
#pragma once
#include <string>

namespace spiketail {

// {"ok", "errors": [{field, message}], "runs": [run, ...], "config", "memory"}, a run as sweep_run_to_json_value
// writes it (without results), "config" the sweep document's config as `spiketail sweep` writes it, "memory" the
// largest run's estimate in bytes; no runs, config or memory when the document has an error.
std::string expand_sweep_json(const std::string& sweep_json);

// Import and Resume (io/sweep_collect.hpp): {"documents": [{"name", "document"}, ...], "sweep": a sweep config
// (optional: the sweep the documents must belong to; else the first document's), "rerun_errors": bool,
// "record": what every partial document's probes must hold (optional)} ->
// {"ok", "errors": [{field, message}], "notes": [text], "sweep_id", "record", "config", "runs", "memory",
// "entries": [entry | null per grid run], "missing": [grid index], "duplicates"}; config, runs and memory as
// expand_sweep_json's. Not ok: only ok, errors and notes.
std::string collect_sweep_json(const std::string& request_json);

// Export: {"sweep": a sweep config, "entries": [entry | null per grid run], "record": "default" (the default),
// "eigenvalues" or "detail"} -> {"ok", "errors", "document"}: the
// document `spiketail sweep` writes, complete ({config, runs}) or partial ({config, partial, runs}).
std::string sweep_document_json(const std::string& request_json);

}  // namespace spiketail
