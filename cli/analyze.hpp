// spiketail analyze FILE...: every layer of model files, analysed as WeightWatcher does (core/layer_analysis),
// in a pool of --jobs workers, each reading and analysing one tensor at a time; rows in file order whatever
// finishes first. Writes {files: [...], layers: [...]} (docs/schema.md, "Analyze document") or, to an --out
// ending in .csv, the layers as CSV.
#pragma once
#include "arguments.hpp"

namespace spiketail {

// Exit status: 0 done (layers whose fit failed included), 1 output not written, 2 a file could not be read
// or indexed (named on stderr; the document still lists it with its error and the other files' layers).
int command_analyze(const Options& options);

}  // namespace spiketail
