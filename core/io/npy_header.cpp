#include "npy_header.hpp"

#include <cstring>

namespace spiketail {
namespace {

constexpr char k_magic[] = "\x93NUMPY";
constexpr std::size_t k_magic_size = 6;

// A cursor over the dict literal; positions in errors are byte offsets in the file.
struct Literal {
    const char* text;
    std::size_t size, pos = 0, base = 0;
    std::string error;

    std::uint64_t offset() const { return base + pos; }
    void skip_space() {
        while (pos < size && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r')) ++pos;
    }
    bool fail(const std::string& what) {
        if (error.empty()) error = "npy header: " + what + " at byte " + std::to_string(offset());
        return false;
    }
    bool expect(char c) {
        skip_space();
        if (pos < size && text[pos] == c) {
            ++pos;
            return true;
        }
        return fail(std::string("expected '") + c + "'");
    }
    bool peek(char c) {
        skip_space();
        return pos < size && text[pos] == c;
    }
    bool string(std::string& out) {
        skip_space();
        if (pos >= size || (text[pos] != '\'' && text[pos] != '"')) return fail("expected a quoted string");
        const char quote = text[pos++];
        const std::size_t start = pos;
        while (pos < size && text[pos] != quote) {
            if (text[pos] == '\\') return fail("an escaped character in a string");
            ++pos;
        }
        if (pos >= size) return fail("an unterminated string");
        out.assign(text + start, pos - start);
        ++pos;
        return true;
    }
    bool word(const char* w) {
        skip_space();
        const std::size_t n = std::strlen(w);
        if (size - pos >= n && std::memcmp(text + pos, w, n) == 0) {
            pos += n;
            return true;
        }
        return false;
    }
    bool integer(std::int64_t& out) {
        skip_space();
        const std::size_t start = pos;
        std::uint64_t value = 0;
        while (pos < size && text[pos] >= '0' && text[pos] <= '9') {
            if (value > (std::uint64_t{1} << 62) / 10) return fail("a dimension too large");
            value = value * 10 + static_cast<std::uint64_t>(text[pos] - '0');
            ++pos;
        }
        if (pos < size && text[pos] == 'L') ++pos;  // Python 2's long suffix, as NumPy still reads it
        if (pos == start) return fail("expected a non-negative integer");
        out = static_cast<std::int64_t>(value);
        return true;
    }
    bool shape(std::vector<std::int64_t>& out) {
        if (!expect('(')) return false;
        while (!peek(')')) {
            if (out.size() >= static_cast<std::size_t>(k_max_tensor_rank))
                return fail("a shape of more than " + std::to_string(k_max_tensor_rank) + " dimensions");
            std::int64_t d = 0;
            if (!integer(d)) return false;
            out.push_back(d);
            if (!peek(')') && !expect(',')) return false;
        }
        return expect(')');
    }
};

bool parse_descr(const std::string& descr, TensorEntry& t) {
    if (descr.size() != 3) return false;
    const char order = descr[0], kind = descr[1], size = descr[2];
    if (order != '<' && order != '>' && order != '=' && order != '|') return false;
    if (kind != 'f') return false;
    if (size == '2') t.dtype = DType::f16;
    else if (size == '4') t.dtype = DType::f32;
    else if (size == '8') t.dtype = DType::f64;
    else return false;
    t.big_endian = order == '>';
    return true;
}

}  // namespace

NpyHeader parse_npy_header(const std::uint8_t* bytes, std::size_t size, std::uint64_t file_size, const std::string& name) {
    NpyHeader h;
    h.tensor.name = name;
    if (size < 10) {
        if (file_size < 10) {
            h.error = "npy: the file has " + std::to_string(file_size) + " bytes, fewer than the 10 of a header";
            return h;
        }
        h.need = file_size < 12 ? file_size : 12;
        return h;
    }
    if (std::memcmp(bytes, k_magic, k_magic_size) != 0) {
        h.error = "npy: no \\x93NUMPY magic at byte 0";
        return h;
    }
    const int major = bytes[6];
    if (major < 1 || major > 3) {
        h.error = "npy: format version " + std::to_string(major) + "." + std::to_string(bytes[7]) +
                  " at byte 6 (1.0, 2.0 and 3.0 are read)";
        return h;
    }
    std::uint64_t header_start = 10, header_length = bytes[8] | (std::uint64_t{bytes[9]} << 8);
    if (major >= 2) {
        if (size < 12) {
            if (file_size < 12) {
                h.error = "npy: a version " + std::to_string(major) + " header needs 12 bytes; the file has " +
                          std::to_string(file_size);
                return h;
            }
            h.need = 12;
            return h;
        }
        header_start = 12;
        header_length = bytes[8] | (std::uint64_t{bytes[9]} << 8) | (std::uint64_t{bytes[10]} << 16) |
                        (std::uint64_t{bytes[11]} << 24);
    }
    if (header_length > k_max_npy_header_bytes) {
        h.error = "npy: the header length at byte 8 is " + std::to_string(header_length) + " bytes, above the cap of " +
                  std::to_string(k_max_npy_header_bytes);
        return h;
    }
    const std::uint64_t data_offset = header_start + header_length;
    if (data_offset > file_size) {
        h.error = "npy: the header ends at byte " + std::to_string(data_offset) + ", past the end of the file (" +
                  std::to_string(file_size) + " bytes)";
        return h;
    }
    if (size < data_offset) {
        h.need = data_offset;
        return h;
    }
    Literal lit{reinterpret_cast<const char*>(bytes) + header_start, static_cast<std::size_t>(header_length), 0, 0, {}};
    lit.base = header_start;
    TensorEntry& t = h.tensor;
    bool have_descr = false, have_order = false, have_shape = false;
    if (!lit.expect('{')) {
        h.error = lit.error;
        return h;
    }
    while (!lit.peek('}')) {
        std::string key;
        if (!lit.string(key) || !lit.expect(':')) break;
        const std::uint64_t at = lit.offset();
        if (key == "descr") {
            std::string descr;
            if (lit.peek('[')) {
                lit.fail("a structured dtype (descr is a list)");
                break;
            }
            if (!lit.string(descr)) break;
            if (!parse_descr(descr, t)) {
                h.error = "npy: dtype '" + descr + "' at byte " + std::to_string(at) +
                          " is not float16, float32 or float64";
                return h;
            }
            have_descr = true;
        } else if (key == "fortran_order") {
            if (lit.word("True")) t.fortran_order = true;
            else if (lit.word("False")) t.fortran_order = false;
            else {
                lit.fail("fortran_order is not True or False");
                break;
            }
            have_order = true;
        } else if (key == "shape") {
            if (!lit.shape(t.shape)) break;
            have_shape = true;
        } else {
            lit.fail("an unknown key '" + key + "'");
            break;
        }
        if (!lit.peek('}') && !lit.expect(',')) break;
    }
    if (!lit.error.empty()) {
        h.error = lit.error;
        return h;
    }
    if (!have_descr || !have_order || !have_shape) {
        h.error = std::string("npy: the header at byte ") + std::to_string(header_start) + " lacks '" +
                  (!have_descr ? "descr" : !have_order ? "fortran_order" : "shape") + "'";
        return h;
    }
    std::uint64_t elements = 0;
    std::string error;
    if (!shape_elements(t.shape, elements, error)) {
        h.error = "npy: " + error;
        return h;
    }
    const std::uint64_t length = elements * dtype_bytes(t.dtype);
    if (length > file_size - data_offset) {
        h.error = "npy: shape " + shape_text(t.shape) + " needs " + std::to_string(length) + " bytes of data from byte " +
                  std::to_string(data_offset) + ", past the end of the file (" + std::to_string(file_size) + " bytes)";
        return h;
    }
    t.ranges = {ByteRange{"", data_offset, length}};
    h.ok = true;
    return h;
}

}  // namespace spiketail
