// The wasm module's expandSweep (spiketail.d.mts): a sweep document in, its expansion out, both as JSON text.
// Glue for the page's sweep planner, so it lives beside bindings.cpp rather than in the core.
#pragma once
#include <string>

namespace spiketail {

// {"ok", "errors": [{field, message}], "runs": [run, ...], "config", "memory"}, a run as sweep_run_to_json_value
// writes it (without results), "config" the sweep document's config as `spiketail sweep` writes it, "memory" the
// largest run's estimate in bytes; no runs, config or memory when the document has an error.
std::string expand_sweep_json(const std::string& sweep_json);

}  // namespace spiketail
