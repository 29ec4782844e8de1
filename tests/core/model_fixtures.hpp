// The test suite's model-file generator: .npy (every float dtype, C and Fortran order, both byte orders,
// format 1.0 and 2.0), .npz (stored and deflated members, NumPy's zip64 local headers), .safetensors
// (F16, BF16, F32, F64) and TF.js manifests with shards (float32, uint8/uint16 and float16 quantised), written
// byte by byte from their specifications, so that the readers are tested against files no reader wrote.
// Values are chosen exactly representable in every dtype used (multiples of 1/8 below 256), so a decode is
// compared for equality. The corrupt, truncated and hostile variants are made from these by the tests.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "inflate.hpp"

namespace spiketail::fixtures {

using Bytes = std::vector<std::uint8_t>;

inline void put(Bytes& b, std::uint64_t v, int bytes, bool big_endian = false) {
    for (int i = 0; i < bytes; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * (big_endian ? bytes - 1 - i : i))));
}
inline void put(Bytes& b, const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }

// float -> binary16 for values exactly representable in it (no rounding needed: the tests use such values).
inline std::uint16_t to_half(float f) {
    if (f == 0.0f) return std::signbit(f) ? 0x8000 : 0;
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    const std::uint32_t sign = (bits >> 16) & 0x8000u;
    const int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
    return static_cast<std::uint16_t>(sign | (static_cast<std::uint32_t>(exponent) << 10) | ((bits >> 13) & 0x3ffu));
}
inline std::uint16_t to_bf16(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    return static_cast<std::uint16_t>(bits >> 16);
}

// values in C order; element types "f2" "f4" "f8" (npy) or "F16" "BF16" "F32" "F64" (safetensors).
inline void put_values(Bytes& b, const std::vector<double>& values, const std::string& type, bool big_endian = false) {
    for (double v : values) {
        const float f = static_cast<float>(v);
        std::uint32_t bits32;
        std::memcpy(&bits32, &f, 4);
        std::uint64_t bits64;
        std::memcpy(&bits64, &v, 8);
        if (type == "f2" || type == "F16") put(b, to_half(f), 2, big_endian);
        else if (type == "BF16") put(b, to_bf16(f), 2, big_endian);
        else if (type == "f4" || type == "F32") put(b, bits32, 4, big_endian);
        else put(b, bits64, 8, big_endian);
    }
}

// Column-major reordering of a C-order array of this shape (what NumPy writes for fortran_order=True).
inline std::vector<double> fortran_of(const std::vector<double>& c_order, const std::vector<std::int64_t>& shape) {
    std::vector<double> out(c_order.size());
    const std::size_t rank = shape.size();
    std::vector<std::int64_t> index(rank, 0);
    for (std::size_t flat = 0; flat < c_order.size(); ++flat) {
        std::int64_t f = 0, stride = 1;
        for (std::size_t k = 0; k < rank; ++k) {
            f += index[k] * stride;
            stride *= shape[k];
        }
        out[static_cast<std::size_t>(f)] = c_order[flat];
        for (std::size_t k = rank; k-- > 0;)
            if (++index[k] < shape[k]) break;
            else index[k] = 0;
    }
    return out;
}

inline std::string shape_tuple(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::int64_t d : shape) s += std::to_string(d) + ", ";
    if (shape.size() > 1) s.resize(s.size() - 2);
    else if (shape.size() == 1) s.resize(s.size() - 1);
    return s + ")";
}

// An .npy file as numpy.lib.format writes it: header padded with spaces to a multiple of 64, ending in '\n'.
inline Bytes npy(const std::vector<double>& c_order, const std::vector<std::int64_t>& shape, const std::string& type = "f4",
                 bool fortran = false, bool big_endian = false, int version = 1) {
    const std::string descr = std::string(big_endian ? ">" : "<") + type;
    std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                         ", 'shape': " + shape_tuple(shape) + ", }";
    const std::size_t prefix = version == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    Bytes b;
    put(b, "\x93NUMPY");
    b.push_back(static_cast<std::uint8_t>(version));
    b.push_back(0);
    put(b, header.size(), version == 1 ? 2 : 4);
    put(b, header);
    put_values(b, fortran ? fortran_of(c_order, shape) : c_order, type, big_endian);
    return b;
}

struct ZipInput {
    std::string name;
    Bytes bytes;
    bool deflate = false;
    bool zip64_local = true;  // NumPy's savez: saturated sizes in the local header, the real ones in its zip64 extra
};

// A zip (an .npz when the members are .npy files) with a central directory and an end record.
inline Bytes zip(const std::vector<ZipInput>& members) {
    Bytes out, directory;
    for (const ZipInput& m : members) {
        const Bytes data = m.deflate ? deflate_raw(m.bytes) : m.bytes;
        const std::uint64_t offset = out.size();
        const std::uint16_t method = m.deflate ? 8 : 0;
        put(out, 0x04034b50, 4);
        put(out, m.zip64_local ? 45 : 20, 2);
        put(out, 0, 2);  // flags
        put(out, method, 2);
        put(out, 0, 4);  // time, date
        put(out, 0, 4);  // crc (not checked by the reader)
        put(out, m.zip64_local ? 0xFFFFFFFFu : data.size(), 4);
        put(out, m.zip64_local ? 0xFFFFFFFFu : m.bytes.size(), 4);
        put(out, m.name.size(), 2);
        put(out, m.zip64_local ? 20 : 0, 2);
        put(out, m.name);
        if (m.zip64_local) {
            put(out, 1, 2);
            put(out, 16, 2);
            put(out, m.bytes.size(), 8);
            put(out, data.size(), 8);
        }
        out.insert(out.end(), data.begin(), data.end());
        put(directory, 0x02014b50, 4);
        put(directory, 20, 2);
        put(directory, 20, 2);
        put(directory, 0, 2);
        put(directory, method, 2);
        put(directory, 0, 4);
        put(directory, 0, 4);
        put(directory, data.size(), 4);
        put(directory, m.bytes.size(), 4);
        put(directory, m.name.size(), 2);
        put(directory, 0, 2);  // extra
        put(directory, 0, 2);  // comment
        put(directory, 0, 2);  // disk
        put(directory, 0, 2);  // internal attributes
        put(directory, 0, 4);  // external attributes
        put(directory, offset, 4);
        put(directory, m.name);
    }
    const std::uint64_t cd_offset = out.size();
    out.insert(out.end(), directory.begin(), directory.end());
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, members.size(), 2);
    put(out, members.size(), 2);
    put(out, directory.size(), 4);
    put(out, cd_offset, 4);
    put(out, 0, 2);
    return out;
}

struct StTensor {
    std::string name, dtype;
    std::vector<std::int64_t> shape;
    std::vector<double> values;  // C order
};

inline std::string json_shape(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

inline Bytes safetensors(const std::vector<StTensor>& tensors) {
    Bytes data;
    std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
    for (const StTensor& t : tensors) {
        const std::size_t begin = data.size();
        put_values(data, t.values, t.dtype);
        header += ",\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":" + json_shape(t.shape) +
                  ",\"data_offsets\":[" + std::to_string(begin) + "," + std::to_string(data.size()) + "]}";
    }
    header += "}";
    while (header.size() % 8) header += ' ';
    Bytes out;
    put(out, header.size(), 8);
    put(out, header);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

struct TfjsWeight {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<double> values;  // C order
    std::string quantization;    // "", "uint8", "uint16", "float16"
    double scale = 1, min = 0;   // quantised values are min + scale * q: values must be on that grid
};

struct TfjsModel {
    std::string manifest;
    std::vector<std::pair<std::string, Bytes>> shards;
};

// One weight group, its bytes cut into shards of shard_bytes (so a weight may straddle two).
inline TfjsModel tfjs(const std::vector<TfjsWeight>& weights, std::size_t shard_bytes) {
    Bytes all;
    std::string entries;
    for (const TfjsWeight& w : weights) {
        entries += std::string(entries.empty() ? "" : ",") + "{\"name\":\"" + w.name + "\",\"shape\":" + json_shape(w.shape) +
                   ",\"dtype\":\"float32\"";
        if (w.quantization.empty()) put_values(all, w.values, "f4");
        else if (w.quantization == "float16") {
            entries += ",\"quantization\":{\"dtype\":\"float16\"}";
            put_values(all, w.values, "f2");
        } else {
            char numbers[96];
            std::snprintf(numbers, sizeof numbers, "\"scale\":%.17g,\"min\":%.17g", w.scale, w.min);
            entries += ",\"quantization\":{\"dtype\":\"" + w.quantization + "\"," + numbers + "}";
            for (double v : w.values) put(all, static_cast<std::uint64_t>(std::llround((v - w.min) / w.scale)), w.quantization == "uint8" ? 1 : 2);
        }
        entries += "}";
    }
    TfjsModel model;
    std::string paths;
    for (std::size_t start = 0, k = 1; start < all.size(); start += shard_bytes, ++k) {
        const std::string name = "group1-shard" + std::to_string(k) + ".bin";
        model.shards.push_back({name, Bytes(all.begin() + start, all.begin() + std::min(all.size(), start + shard_bytes))});
        paths += std::string(paths.empty() ? "" : ",") + "\"" + name + "\"";
    }
    model.manifest = "{\"format\":\"layers-model\",\"modelTopology\":{},\"weightsManifest\":[{\"paths\":[" + paths +
                     "],\"weights\":[" + entries + "]}]}";
    return model;
}

struct GgufTensor {
    std::string name;
    std::uint32_t type;              // ggml type: 0 F32, 1 F16, 30 BF16, 8 Q8_0 (others: bytes of zeros)
    std::vector<std::int64_t> shape; // NumPy order; ne is its reverse
    std::vector<double> values;      // C order; Q8_0: multiples of 0.5 in [-63.5, 63.5] (scale 0.5 per block)
    std::uint64_t raw_bytes = 0;     // for other types: how many bytes to write
};

inline void put_gguf_string(Bytes& b, const std::string& s) {
    put(b, s.size(), 8);
    put(b, s);
}

// A GGUF v3 file: metadata (a string, general.alignment, an array of strings, a nested array), then the
// tensor infos and the data, each tensor aligned to 32 bytes.
inline Bytes gguf(const std::vector<GgufTensor>& tensors) {
    Bytes data;
    std::vector<std::uint64_t> offsets;
    for (const GgufTensor& t : tensors) {
        while (data.size() % 32) data.push_back(0);
        offsets.push_back(data.size());
        if (t.type == 0) put_values(data, t.values, "f4");
        else if (t.type == 1) put_values(data, t.values, "f2");
        else if (t.type == 30) put_values(data, t.values, "BF16");
        else if (t.type == 8) {
            for (std::size_t b = 0; b < t.values.size(); b += 32) {
                put(data, to_half(0.5f), 2);
                for (std::size_t i = 0; i < 32; ++i) data.push_back(static_cast<std::uint8_t>(static_cast<std::int8_t>(std::lround(t.values[b + i] / 0.5))));
            }
        } else {
            data.insert(data.end(), t.raw_bytes, 0);
        }
    }
    Bytes out;
    put(out, "GGUF");
    put(out, 3, 4);
    put(out, tensors.size(), 8);
    put(out, 4, 8);  // metadata entries
    put_gguf_string(out, "general.architecture");
    put(out, 8, 4);
    put_gguf_string(out, "llama");
    put_gguf_string(out, "general.alignment");
    put(out, 4, 4);
    put(out, 32, 4);
    put_gguf_string(out, "tokenizer.ggml.tokens");
    put(out, 9, 4);
    put(out, 8, 4);
    put(out, 3, 8);
    for (const char* token : {"<s>", "a", "b"}) put_gguf_string(out, token);
    put_gguf_string(out, "nested");
    put(out, 9, 4);
    put(out, 9, 4);  // an array of arrays of u32
    put(out, 2, 8);
    for (int k = 0; k < 2; ++k) {
        put(out, 4, 4);
        put(out, 2, 8);
        put(out, 7, 4);
        put(out, 9, 4);
    }
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        put_gguf_string(out, tensors[i].name);
        put(out, tensors[i].shape.size(), 4);
        for (std::size_t d = tensors[i].shape.size(); d-- > 0;) put(out, static_cast<std::uint64_t>(tensors[i].shape[d]), 8);
        put(out, tensors[i].type, 4);
        put(out, offsets[i], 8);
    }
    while (out.size() % 32) out.push_back(0);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

}  // namespace spiketail::fixtures
