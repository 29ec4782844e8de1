// The header of a .safetensors file (huggingface/safetensors, "format"):
//
//   offset 0   N: uint64 little-endian, the header's length (the safetensors library refuses N > 100 MB)
//          8   N bytes of JSON: {"__metadata__": {...}, "<name>": {"dtype": "F32", "shape": [..],
//              "data_offsets": [begin, end]}, ...}, offsets relative to the data, which starts at 8 + N
//
// Every tensor is listed; F16, BF16, F32 and F64 can be decoded, any other dtype is listed with its reason.
// Each tensor's offsets are checked against its shape and dtype (end - begin = elements x size) and against
// the file's size; an error names the tensor and the byte offset.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor_index.hpp"

namespace spiketail {

struct SafetensorsIndex {
    bool ok = false;
    std::string error;
    std::uint64_t need = 0;  // when > 0: read the first `need` bytes and call again
    std::vector<TensorEntry> tensors;
};

// bytes: the file's first `size` bytes.
SafetensorsIndex index_safetensors(const std::uint8_t* bytes, std::size_t size, std::uint64_t file_size);

}  // namespace spiketail
