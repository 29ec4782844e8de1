#include "tensor_index.hpp"

#include <limits>

namespace spiketail {

std::uint64_t TensorEntry::stored_bytes() const {
    std::uint64_t total = 0;
    for (const ByteRange& r : ranges) total += r.length;
    return total;
}

const std::uint8_t* ByteChunks::find(std::uint64_t offset, std::uint64_t length) const {
    static const std::uint8_t nothing = 0;
    if (length == 0) return &nothing;  // an empty range is always held (an empty file's whole text)
    for (const ByteChunk& c : chunks)
        if (offset >= c.offset && offset - c.offset <= c.bytes.size() && length <= c.bytes.size() - (offset - c.offset))
            return c.bytes.data() + (offset - c.offset);
    return nullptr;
}

const char* to_string(DType dtype) {
    switch (dtype) {
        case DType::f16: return "F16";
        case DType::bf16: return "BF16";
        case DType::f32: return "F32";
        case DType::f64: return "F64";
        case DType::u8: return "U8";
        case DType::u16: return "U16";
        case DType::i32: return "I32";
        case DType::q8_0: return "Q8_0";
        case DType::unknown: break;
    }
    return "unknown";
}

std::size_t dtype_bytes(DType dtype) {
    switch (dtype) {
        case DType::u8: return 1;
        case DType::f16:
        case DType::bf16:
        case DType::u16: return 2;
        case DType::f32:
        case DType::i32: return 4;
        case DType::f64: return 8;
        case DType::q8_0:
        case DType::unknown: break;
    }
    return 0;
}

bool shape_elements(const std::vector<std::int64_t>& shape, std::uint64_t& elements, std::string& error) {
    if (shape.size() > static_cast<std::size_t>(k_max_tensor_rank)) {
        error = "rank " + std::to_string(shape.size()) + " is above " + std::to_string(k_max_tensor_rank);
        return false;
    }
    elements = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] < 0) {
            error = "dimension " + std::to_string(i) + " is negative (" + std::to_string(shape[i]) + ")";
            return false;
        }
        if (shape[i] == 0) elements = 0;
    }
    if (elements == 0) return true;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const std::int64_t d = shape[i];
        // The cap is checked before each multiplication, so none overflows.
        if (elements > k_max_tensor_elements / static_cast<std::uint64_t>(d)) {
            error = "shape " + shape_text(shape) + " has more than " + std::to_string(k_max_tensor_elements) +
                    " elements (at dimension " + std::to_string(i) + ")";
            return false;
        }
        elements *= static_cast<std::uint64_t>(d);
    }
    return true;
}

std::string valid_utf8(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = s[i];
        std::size_t len = 0;
        unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte (RFC 3629)
        if (c < 0x80) len = 1;
        else if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4) len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        bool ok = len > 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) ok = s[i + k] >= (k == 1 ? lo : 0x80) && s[i + k] <= (k == 1 ? hi : 0xBF);
        if (ok) {
            out.append(text, i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        }
    }
    return out;
}

float to_float(double value) {
    constexpr double k_float_max = 3.4028234663852886e38;
    if (value > k_float_max) return std::numeric_limits<float>::infinity();
    if (value < -k_float_max) return -std::numeric_limits<float>::infinity();
    return static_cast<float>(value);  // NaN converts to NaN
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

}  // namespace spiketail
