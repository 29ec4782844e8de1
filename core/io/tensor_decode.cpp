#include "tensor_decode.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "npy_header.hpp"
#include "text_matrix.hpp"

namespace spiketail {
namespace {

std::uint64_t load(const std::uint8_t* p, std::size_t bytes, bool big_endian) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | p[big_endian ? i : bytes - 1 - i];
    return v;
}

float element(const std::uint8_t* p, DType dtype, bool big_endian) {
    switch (dtype) {
        case DType::f16: return half_to_float(static_cast<std::uint16_t>(load(p, 2, big_endian)));
        case DType::bf16: return bfloat16_to_float(static_cast<std::uint16_t>(load(p, 2, big_endian)));
        case DType::f32: {
            const std::uint32_t bits = static_cast<std::uint32_t>(load(p, 4, big_endian));
            float f;
            std::memcpy(&f, &bits, 4);
            return f;
        }
        case DType::f64: {
            const std::uint64_t bits = load(p, 8, big_endian);
            double d;
            std::memcpy(&d, &bits, 8);
            return to_float(d);  // beyond float's range: an infinity, reported by the analysis

        }
        case DType::u8: return static_cast<float>(p[0]);
        case DType::u16: return static_cast<float>(load(p, 2, big_endian));
        case DType::i32: return static_cast<float>(static_cast<std::int32_t>(static_cast<std::uint32_t>(load(p, 4, big_endian))));
        case DType::q8_0:
        case DType::unknown: break;
    }
    return 0.0f;
}

DecodedTensor failed(const TensorEntry& entry, const std::string& message) {
    DecodedTensor d;
    d.tensor = entry;
    d.error = "tensor '" + entry.name + "': " + message;
    return d;
}

// An .npy member's header describes the tensor: its dtype, shape and order replace the entry's, whose bytes are
// then raw data from the returned offset.
std::uint64_t take_npy_header(TensorEntry& t, const NpyHeader& h) {
    t.dtype = h.tensor.dtype;
    t.shape = h.tensor.shape;
    t.fortran_order = h.tensor.fortran_order;
    t.big_endian = h.tensor.big_endian;
    t.encoding = Encoding::raw;
    return h.tensor.ranges.front().offset;
}

}  // namespace

float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    if (exponent == 0) {
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // zero or subnormal
        return sign ? -magnitude : magnitude;
    }
    const std::uint32_t bits = exponent == 31 ? sign | 0x7f800000u | (mantissa << 13)
                                              : sign | ((exponent + 112) << 23) | (mantissa << 13);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bfloat16_to_float(std::uint16_t h) {
    const std::uint32_t bits = static_cast<std::uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

DecodedTensor decode_tensor(const TensorEntry& entry, const std::uint8_t* bytes, std::size_t size) {
    if (!entry.error.empty()) return failed(entry, entry.error);
    TensorEntry t = entry;
    std::uint64_t offset = 0;
    if (entry.encoding == Encoding::npy) {
        const NpyHeader h = parse_npy_header(bytes, size, size, entry.name);
        if (!h.ok)
            return failed(entry, h.need > 0 ? "the .npy member ends inside its header (" + std::to_string(size) + " bytes)"
                                            : h.error);
        offset = take_npy_header(t, h);
        // NumPy writes nothing after the data; trailing bytes in a member are ignored as NumPy's reader does.
        size = static_cast<std::size_t>(offset + h.tensor.ranges.front().length);
    } else if (entry.encoding == Encoding::text) {
        DecodedTensor d;
        const TextMatrix shape = read_text_matrix(bytes, size, entry.text_separator, nullptr);
        if (!shape.ok) return failed(entry, shape.error);
        d.values.resize(shape.rows * shape.cols, 1);
        read_text_matrix(bytes, size, entry.text_separator, &d.values);
        t.shape = {shape.rows, shape.cols};
        t.dtype = DType::f32;
        d.tensor = t;
        d.ok = true;
        return d;
    }
    std::uint64_t elements = 0;
    std::string error;
    if (!shape_elements(t.shape, elements, error)) return failed(entry, error);
    if (t.dtype == DType::q8_0) {
        // GGUF Q8_0: blocks of an F16 scale d and 32 int8 q along ne[0] (the last NumPy dimension); value = d q.
        if (elements % 32 != 0 || size != elements / 32 * 34)
            return failed(entry, std::to_string(size) + " bytes of Q8_0 data, but shape " + shape_text(t.shape) + " needs " +
                                     std::to_string(elements / 32 * 34) + " (34 per 32 values)");
        DecodedTensor d;
        d.values.resize(static_cast<Eigen::Index>(elements), 1);
        for (std::uint64_t b = 0; b < elements / 32; ++b) {
            const std::uint8_t* block = bytes + b * 34;
            const float scale = half_to_float(static_cast<std::uint16_t>(block[0] | (block[1] << 8)));
            for (int i = 0; i < 32; ++i)
                d.values(static_cast<Eigen::Index>(b * 32 + i)) = scale * static_cast<float>(static_cast<std::int8_t>(block[2 + i]));
        }
        d.tensor = t;
        d.ok = true;
        return d;
    }
    const std::size_t width = dtype_bytes(t.dtype);
    if (width == 0) return failed(entry, std::string("dtype ") + to_string(t.dtype) + " is not read");
    if (size - offset != elements * width)
        return failed(entry, std::to_string(size - offset) + " bytes of data, but shape " + shape_text(t.shape) + " of " +
                                 to_string(t.dtype) + " needs " + std::to_string(elements * width));
    DecodedTensor d;
    d.values.resize(static_cast<Eigen::Index>(elements), 1);
    const std::uint8_t* p = bytes + offset;
    for (std::uint64_t i = 0; i < elements; ++i, p += width) d.values(static_cast<Eigen::Index>(i)) = element(p, t.dtype, t.big_endian);
    if (t.quantized) {
        const float scale = to_float(t.scale), min = to_float(t.min);
        for (Eigen::Index i = 0; i < d.values.size(); ++i) d.values(i) = d.values(i) * scale + min;
        t.quantized = false;
    }
    d.tensor = t;
    d.ok = true;
    return d;
}

MatrixF tensor_storage(std::size_t size) { return MatrixF(static_cast<Eigen::Index>((size + 3) / 4), 1); }

std::uint8_t* storage_bytes(MatrixF& storage) { return reinterpret_cast<std::uint8_t*>(storage.data()); }

bool decodes_in_place(const TensorEntry& entry) {
    return entry.error.empty() && entry.encoding == Encoding::raw && entry.dtype == DType::f32 && !entry.quantized;
}

DecodedTensor decode_tensor_storage(const TensorEntry& entry, MatrixF&& storage, std::size_t size) {
    std::uint8_t* bytes = storage_bytes(storage);
    size = std::min(size, static_cast<std::size_t>(storage.size()) * 4);
    TensorEntry t = entry;
    std::uint64_t offset = 0, length = size;
    if (entry.error.empty() && entry.encoding == Encoding::npy) {
        const NpyHeader h = parse_npy_header(bytes, size, size, entry.name);
        if (h.ok) {
            offset = take_npy_header(t, h);
            length = h.tensor.ranges.front().length;
        }
    }
    std::uint64_t elements = 0;
    std::string error;
    if (decodes_in_place(t) && shape_elements(t.shape, elements, error) && length == elements * 4 && offset + length <= size) {
        // The bytes are the values: move them to the front past an .npy header, swap a big-endian order.
        if (offset > 0) std::memmove(bytes, bytes + offset, static_cast<std::size_t>(length));
        if (t.big_endian) {
            for (std::uint64_t i = 0; i < elements; ++i) std::reverse(bytes + 4 * i, bytes + 4 * i + 4);
            t.big_endian = false;
        }
        DecodedTensor d;
        d.values = std::move(storage);
        // Drop the header's and the padding's floats. Eigen's conservativeResize copies a column whose row count
        // changes, but reallocates a row whose column count does (a realloc that shrinks stays in place).
        const Eigen::Index stored = d.values.size();
        if (static_cast<std::uint64_t>(stored) != elements) {
            d.values.resize(1, stored);
            d.values.conservativeResize(1, static_cast<Eigen::Index>(elements));
        }
        d.values.resize(static_cast<Eigen::Index>(elements), 1);
        d.tensor = t;
        d.ok = true;
        return d;
    }
    DecodedTensor d = decode_tensor(entry, bytes, size);
    storage.resize(0, 0);
    return d;
}

}  // namespace spiketail
