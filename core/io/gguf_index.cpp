#include "gguf_index.hpp"

#include <algorithm>
#include <cstring>

namespace spiketail {
namespace {

constexpr std::uint32_t k_max_dims = 4;                  // GGML_MAX_DIMS
constexpr std::uint64_t k_max_metadata_entries = 1000000;
constexpr int k_max_array_depth = 8;                     // arrays of arrays

// ggml_type values read here (ggml.h); Q8_0 blocks hold 32 values in 34 bytes.
constexpr std::uint32_t k_f32 = 0, k_f16 = 1, k_q8_0 = 8, k_bf16 = 30;

// A cursor over the prefix; running past it is "need more", not an error, unless the prefix is the file.
struct Cursor {
    const std::uint8_t* bytes;
    std::size_t size;
    std::uint64_t file_size, pos = 0;
    bool short_read = false;
    std::string error;

    bool take(std::uint64_t n, const std::uint8_t*& out) {
        if (n > size || pos > size - n) {
            if (n > file_size || pos > file_size - n) {
                if (error.empty()) error = "the header runs past the end of the file at byte " + std::to_string(pos);
            } else {
                short_read = true;
            }
            return false;
        }
        out = bytes + pos;
        pos += n;
        return true;
    }
    bool u32(std::uint32_t& v) {
        const std::uint8_t* p;
        if (!take(4, p)) return false;
        v = p[0] | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
        return true;
    }
    bool u64(std::uint64_t& v) {
        const std::uint8_t* p;
        if (!take(8, p)) return false;
        v = 0;
        for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
        return true;
    }
    bool string(std::string* out, std::uint64_t cap) {
        const std::uint64_t at = pos;
        std::uint64_t n = 0;
        if (!u64(n)) return false;
        if (n > cap) {
            error = "a string of " + std::to_string(n) + " bytes at byte " + std::to_string(at) + ", above the cap of " +
                    std::to_string(cap);
            return false;
        }
        const std::uint8_t* p;
        if (!take(n, p)) return false;
        if (out) out->assign(reinterpret_cast<const char*>(p), n);
        return true;
    }
};

std::uint64_t scalar_size(std::uint32_t type) {
    switch (type) {
        case 0: case 1: case 7: return 1;    // u8, i8, bool
        case 2: case 3: return 2;            // u16, i16
        case 4: case 5: case 6: return 4;    // u32, i32, f32
        case 10: case 11: case 12: return 8; // u64, i64, f64
        default: return 0;                   // 8 string, 9 array
    }
}

bool skip_value(Cursor& c, std::uint32_t type, int depth, std::uint32_t* as_u32) {
    if (const std::uint64_t n = scalar_size(type); n > 0) {
        const std::uint8_t* p;
        if (!c.take(n, p)) return false;
        if (as_u32 && type == 4) *as_u32 = p[0] | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
        return true;
    }
    if (type == 8) return c.string(nullptr, c.file_size);
    if (type != 9) {
        c.error = "unknown metadata value type " + std::to_string(type) + " at byte " + std::to_string(c.pos - 4);
        return false;
    }
    if (depth >= k_max_array_depth) {
        c.error = "arrays nested deeper than " + std::to_string(k_max_array_depth) + " at byte " + std::to_string(c.pos);
        return false;
    }
    std::uint32_t element = 0;
    std::uint64_t count = 0;
    if (!c.u32(element) || !c.u64(count)) return false;
    if (const std::uint64_t n = scalar_size(element); n > 0) {
        if (count > c.file_size / n) {
            c.error = "an array of " + std::to_string(count) + " elements at byte " + std::to_string(c.pos) + " runs past the file";
            return false;
        }
        const std::uint8_t* p;
        return c.take(count * n, p);
    }
    // Strings or arrays: each element is at least 8 bytes (its length or header), so count is bounded by the file.
    if (count > c.file_size / 8) {
        c.error = "an array of " + std::to_string(count) + " elements at byte " + std::to_string(c.pos) + " runs past the file";
        return false;
    }
    for (std::uint64_t i = 0; i < count; ++i)
        if (!skip_value(c, element, depth + 1, nullptr)) return false;
    return true;
}

const char* ggml_type_name(std::uint32_t t) {
    static const char* const names[] = {"F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
                                        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS",
                                        "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64",
                                        "IQ1_M", "BF16"};
    return t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

GgufIndex failed(const std::string& message) {
    GgufIndex g;
    g.error = "gguf: " + message;
    return g;
}

}  // namespace

GgufIndex index_gguf(const std::uint8_t* bytes, std::size_t size, std::uint64_t file_size) {
    Cursor c{bytes, size, file_size, 0, false, {}};
    auto more = [&]() {
        GgufIndex g;
        const std::uint64_t want = std::min(file_size, std::max<std::uint64_t>(k_gguf_first_read, 2 * static_cast<std::uint64_t>(size)));
        if (static_cast<std::uint64_t>(size) >= k_max_gguf_header_bytes || want <= size)
            return failed("the header is longer than the cap of " + std::to_string(k_max_gguf_header_bytes) + " bytes");
        g.need = std::min(want, k_max_gguf_header_bytes);
        return g;
    };
    auto stop = [&]() { return c.short_read ? more() : failed(c.error.empty() ? "malformed header" : c.error); };
    if (file_size < 24) return failed("the file has " + std::to_string(file_size) + " bytes, fewer than the 24 of a header");
    if (!bytes) return more();
    const std::uint8_t* magic;
    if (!c.take(4, magic)) return stop();
    if (std::memcmp(magic, "GGUF", 4) != 0) return failed("no GGUF magic at byte 0");
    std::uint32_t version = 0;
    std::uint64_t tensor_count = 0, kv_count = 0;
    if (!c.u32(version)) return stop();
    if (version != 2 && version != 3) return failed("version " + std::to_string(version) + " at byte 4 (2 and 3 are read)");
    if (!c.u64(tensor_count) || !c.u64(kv_count)) return stop();
    if (tensor_count > k_max_tensors) return failed(std::to_string(tensor_count) + " tensors, above the cap of " + std::to_string(k_max_tensors));
    if (kv_count > k_max_metadata_entries) return failed(std::to_string(kv_count) + " metadata entries at byte 16, above the cap");
    std::uint64_t alignment = 32;
    for (std::uint64_t i = 0; i < kv_count; ++i) {
        std::string key;
        std::uint32_t type = 0, value = 0;
        if (!c.string(&key, 65535) || !c.u32(type)) return stop();
        if (!skip_value(c, type, 0, key == "general.alignment" ? &value : nullptr)) return stop();
        if (key == "general.alignment") {
            if (type != 4 || value == 0 || (value & (value - 1)) != 0)
                return failed("general.alignment is not a power of two u32 (before byte " + std::to_string(c.pos) + ")");
            alignment = value;
        }
    }
    struct Info {
        TensorEntry t;
        std::uint32_t type;
        std::uint64_t offset, ne0;
    };
    std::vector<Info> infos;
    for (std::uint64_t i = 0; i < tensor_count; ++i) {
        Info info{};
        const std::uint64_t at = c.pos;
        std::uint32_t dims = 0;
        if (!c.string(&info.t.name, k_max_tensor_name_bytes) || !c.u32(dims)) return stop();
        if (dims > k_max_dims) return failed("tensor '" + info.t.name + "' at byte " + std::to_string(at) + " has " + std::to_string(dims) + " dimensions");
        std::vector<std::int64_t> ne(dims);
        for (std::uint32_t d = 0; d < dims; ++d) {
            std::uint64_t v = 0;
            if (!c.u64(v)) return stop();
            if (v > (std::uint64_t{1} << 62)) return failed("tensor '" + info.t.name + "' has a dimension of " + std::to_string(v));
            ne[d] = static_cast<std::int64_t>(v);
        }
        if (!c.u32(info.type) || !c.u64(info.offset)) return stop();
        info.t.shape.assign(ne.rbegin(), ne.rend());
        info.ne0 = dims > 0 ? static_cast<std::uint64_t>(ne[0]) : 1;
        infos.push_back(std::move(info));
    }
    const std::uint64_t data_start = (c.pos + alignment - 1) / alignment * alignment;
    if (data_start > file_size) return failed("the tensor data would start at byte " + std::to_string(data_start) + ", past the end");
    GgufIndex g;
    for (Info& info : infos) {
        TensorEntry& t = info.t;
        std::uint64_t elements = 0;
        std::string error;
        if (!shape_elements(t.shape, elements, error)) return failed("tensor '" + t.name + "': " + error);
        std::uint64_t length = 0;
        if (info.type == k_f32) t.dtype = DType::f32, length = elements * 4;
        else if (info.type == k_f16) t.dtype = DType::f16, length = elements * 2;
        else if (info.type == k_bf16) t.dtype = DType::bf16, length = elements * 2;
        else if (info.type == k_q8_0) {
            t.dtype = DType::q8_0;
            if (info.ne0 % 32 != 0) return failed("Q8_0 tensor '" + t.name + "' has ne[0] = " + std::to_string(info.ne0) + ", not a multiple of 32");
            length = elements / 32 * 34;
        } else {
            t.error = std::string("ggml type ") + ggml_type_name(info.type) + " (" + std::to_string(info.type) +
                      ") is not read (F32, F16, BF16 and Q8_0 are)";
            g.tensors.push_back(std::move(t));
            continue;
        }
        if (info.offset > file_size - data_start || length > file_size - data_start - info.offset)
            return failed("tensor '" + t.name + "' (" + std::to_string(length) + " bytes at data offset " + std::to_string(info.offset) +
                          ", file byte " + std::to_string(data_start + info.offset) + ") runs past the end of the file (" +
                          std::to_string(file_size) + " bytes)");
        t.ranges = {ByteRange{"", data_start + info.offset, length}};
        g.tensors.push_back(std::move(t));
    }
    g.ok = true;
    return g;
}

}  // namespace spiketail
