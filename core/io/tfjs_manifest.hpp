// A TensorFlow.js weights manifest (tfjs-core io/types.ts, WeightsManifestConfig): either model.json, whose
// "weightsManifest" holds the groups, or a *weights_manifest.json that is the array of groups itself.
//
//   group   {"paths": ["group1-shard1of2.bin", ...], "weights": [entry, ...]}
//   entry   {"name", "shape", "dtype": "float32", "quantization"?: {"dtype": "uint8" | "uint16" | "float16",
//            "scale", "min"}}   (older converters write the same three keys)
// A group's shards, concatenated in the order of "paths", hold its weights back to back, each
// elements x (quantised or plain) dtype size bytes; a weight may straddle two shards. A quantised u8/u16 value
// q stands for q * scale + min. The shards' sizes (which the manifest does not give) come from the front end,
// which reads the files next to model.json; a missing shard is named in the error of the tensors it holds.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensor_index.hpp"

namespace spiketail {

struct TfjsIndex {
    bool ok = false;
    std::string error;
    std::vector<TensorEntry> tensors;  // ranges name shard paths as the manifest writes them
    std::vector<std::string> shards;   // every path the manifest names
};

// text: the manifest's JSON; shard_sizes: (path as in "paths", size in bytes) of the shards found.
TfjsIndex index_tfjs_manifest(const std::uint8_t* text, std::size_t size,
                              const std::vector<std::pair<std::string, std::uint64_t>>& shard_sizes);

}  // namespace spiketail
