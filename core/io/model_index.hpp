// Which reader a file goes to, and the index of a whole model file in rounds (docs/method.md §14):
//
//   ModelIndex r = index_model(format, name, size, have, shard_sizes);
//   while (r.status == IndexStatus::need) { read each of r.need into have; r = index_model(...); }
//
// Each round re-reads the header bytes given so far; what it still needs is a short list of byte ranges (the
// npy, safetensors or GGUF header (GGUF's in growing prefixes), a zip's tail, directory and local headers, a stored npz member's .npy header).
// A CSV/TSV is indexed from its whole text, a TF.js manifest from its JSON and its shards' sizes. The same
// function serves the CLI (pread) and the page (File.slice).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensor_index.hpp"

namespace spiketail {

enum class ModelFormat { npy, npz, safetensors, gguf, tfjs, csv, tsv, unknown };
enum class IndexStatus { ok, need, error };

struct ModelIndex {
    IndexStatus status = IndexStatus::error;
    std::string error;
    std::vector<ByteRange> need;       // status need: these ranges of the file
    std::vector<TensorEntry> tensors;  // status ok: in file order
    std::vector<std::string> files;    // other files the tensors' ranges name (a TF.js manifest's shards)
};

const char* to_string(ModelFormat format);
// "npy", "npz", "safetensors", "gguf", "tfjs", "csv", "tsv"; unknown otherwise.
ModelFormat model_format_from_string(const std::string& name);
// From the file name: .npy .npz .safetensors .gguf .csv .tsv/.tab, and model.json or *weights_manifest.json (or any
// other .json) as TF.js.
ModelFormat model_format_from_name(const std::string& file_name);

// name: the file's name (an .npy's single tensor is named by its stem, a CSV's likewise).
ModelIndex index_model(ModelFormat format, const std::string& name, std::uint64_t file_size, const ByteChunks& have,
                       const std::vector<std::pair<std::string, std::uint64_t>>& shard_sizes = {});

// The name without its directory and extension ("runs/w1.npy" -> "w1").
std::string file_stem(const std::string& path);

}  // namespace spiketail
