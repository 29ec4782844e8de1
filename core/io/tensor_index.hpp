// A model file's table of contents: every tensor's name, element type, shape and byte ranges, read from the
// file's header bytes alone, so that no reader needs the whole file (docs/method.md §14, caps in docs/limits.md).
//
// A front end indexes a file (model_index.hpp), then reads each tensor's ranges (the CLI with pread, the page
// with File.slice), inflates a deflated zip member (the CLI with zlib, the page with DecompressionStream) and
// hands those bytes to decode_tensor (tensor_decode.hpp). Every byte range is checked against the file's size
// and every shape against the caps here before anything is allocated for it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spiketail {

// Element types as stored. u8/u16 appear only as TF.js quantised weights (value = q * scale + min); q8_0 is
// GGUF's block format (32 values in 34 bytes: an F16 scale and 32 int8).
enum class DType { f16, bf16, f32, f64, u8, u16, i32, q8_0, unknown };
// How a tensor's bytes are laid out: a bare little-endian array (raw), a whole .npy file (an npz member, whose
// own header gives dtype and shape), or text numbers (CSV/TSV).
enum class Encoding { raw, npy, text };
enum class Compression { none, deflate };

struct ByteRange {
    std::string file;          // "" for the indexed file itself; a TF.js shard's path, relative to model.json
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct TensorEntry {
    std::string name;
    DType dtype = DType::unknown;      // unknown for an npz member until its .npy header is read
    std::vector<std::int64_t> shape;   // empty for an npz member until then (and for a scalar)
    bool fortran_order = false;        // npy: column-major
    bool big_endian = false;           // npy '>f4' etc.
    Encoding encoding = Encoding::raw;
    std::vector<ByteRange> ranges;     // concatenated in order they are the tensor's (stored) bytes
    Compression compression = Compression::none;
    std::uint64_t inflated_length = 0;  // deflated members: the size the zip directory declares
    char text_separator = ',';          // text: ',' or '\t'
    // TF.js quantisation: the stored u8/u16 q becomes q * scale + min (float16 quantisation is dtype f16).
    bool quantized = false;
    double scale = 1.0, min = 0.0;
    std::string error;                 // why this tensor cannot be read (listed, never decoded)
    std::uint64_t stored_bytes() const;
};

// Bytes a front end has read so far, at their offsets in one file (the index asks for more, see model_index.hpp).
struct ByteChunk {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> bytes;
};
struct ByteChunks {
    std::vector<ByteChunk> chunks;
    // The bytes [offset, offset + length) when one chunk holds them all, else nullptr.
    const std::uint8_t* find(std::uint64_t offset, std::uint64_t length) const;
};

// ---- caps (docs/limits.md) ----
// A tensor's elements as float32 in the heap: the memory cap of a run (config.hpp), 2 GiB, i.e. 512 Mi numbers.
constexpr std::uint64_t k_max_tensor_elements = std::uint64_t{1} << 29;
constexpr int k_max_tensor_rank = 32;                                         // NumPy's own limit
constexpr std::size_t k_max_tensor_name_bytes = 4096;                         // names are matched by a regex
constexpr std::uint64_t k_max_npy_header_bytes = 65536;                       // NumPy writes < 200
constexpr std::uint64_t k_max_safetensors_header_bytes = 100000000;           // the safetensors library's cap
constexpr std::uint64_t k_max_manifest_bytes = std::uint64_t{64} << 20;       // a TF.js model.json
constexpr std::uint64_t k_max_zip_directory_bytes = std::uint64_t{64} << 20;  // an npz's central directory
constexpr std::size_t k_max_tensors = 100000;                                 // tensors (or members) in one file
constexpr std::uint64_t k_max_text_bytes = std::uint64_t{256} << 20;          // a CSV/TSV file

const char* to_string(DType dtype);
std::size_t dtype_bytes(DType dtype);  // 0 for unknown and for the block format q8_0
// The product of the dimensions, or an error naming the dimension that is negative or takes it past
// k_max_tensor_elements (checked before multiplying: no overflow).
bool shape_elements(const std::vector<std::int64_t>& shape, std::uint64_t& elements, std::string& error);
std::string shape_text(const std::vector<std::int64_t>& shape);  // "[768, 2304]"
// Text as well-formed UTF-8, each invalid byte replaced by U+FFFD: names and messages come from a file's bytes
// and end up in JSON, which must be UTF-8 (nlohmann's dump throws otherwise).
std::string valid_utf8(const std::string& text);
// A double as float, ±infinity beyond float's range (a plain cast of such a double is undefined behaviour);
// a non-finite number stays what it is, and the analysis reports it.
float to_float(double value);

}  // namespace spiketail
