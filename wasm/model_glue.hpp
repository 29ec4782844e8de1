// The wasm API of the "Analyze weights" view (spiketail.d.mts: modelIndex, analyzeLayer, layerFigure): argument
// checks and conversions only; reading, deciding and computing are core/io's and core's.
#pragma once

namespace spiketail::glue {

// Registers the functions with embind; called from EMSCRIPTEN_BINDINGS in bindings.cpp.
void register_model_functions();

}  // namespace spiketail::glue
