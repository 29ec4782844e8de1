// The header of a GGUF file (ggml's docs/gguf.md, versions 2 and 3), all little-endian:
//
//   "GGUF", version u32, tensor_count u64, metadata_kv_count u64
//   metadata: key (string: u64 length + bytes), value type u32, value (scalars, strings, arrays of them, nested)
//   tensor infos: name (string), n_dims u32 (<= 4), ne[n_dims] u64 (ne[0] the innermost), ggml type u32, offset u64
//   padding to general.alignment (default 32); tensor data, each at data start + offset
//
// The shape is ne reversed (NumPy order), so a weight's ne = (in, out) is the C-order matrix [out, in]. F32, F16,
// BF16 and Q8_0 (blocks of 32: an F16 scale d and 32 int8 q, value d·q) are decoded; every other ggml type is
// listed with its reason. The metadata is skipped (its length is only known by walking it): the header is read
// in growing prefixes, up to k_max_gguf_header_bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor_index.hpp"

namespace spiketail {

// A large tokenizer's vocabulary and merges take tens of MB of metadata.
constexpr std::uint64_t k_max_gguf_header_bytes = std::uint64_t{256} << 20;
constexpr std::uint64_t k_gguf_first_read = std::uint64_t{1} << 20;

struct GgufIndex {
    bool ok = false;
    std::string error;
    std::uint64_t need = 0;  // when > 0: read the first `need` bytes and call again
    std::vector<TensorEntry> tensors;
};

GgufIndex index_gguf(const std::uint8_t* bytes, std::size_t size, std::uint64_t file_size);

}  // namespace spiketail
