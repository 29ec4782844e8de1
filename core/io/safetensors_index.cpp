#include "safetensors_index.hpp"

#include <nlohmann/json.hpp>

namespace spiketail {
namespace {

struct StDType {
    const char* name;
    DType dtype;  // unknown: listed, not decoded
    std::size_t bytes;
};
constexpr StDType k_dtypes[] = {
    {"F16", DType::f16, 2},     {"BF16", DType::bf16, 2},   {"F32", DType::f32, 4},     {"F64", DType::f64, 8},
    {"BOOL", DType::unknown, 1}, {"U8", DType::unknown, 1},  {"I8", DType::unknown, 1},  {"F8_E4M3", DType::unknown, 1},
    {"F8_E5M2", DType::unknown, 1}, {"I16", DType::unknown, 2}, {"U16", DType::unknown, 2}, {"I32", DType::unknown, 4},
    {"U32", DType::unknown, 4}, {"I64", DType::unknown, 8},  {"U64", DType::unknown, 8},
};

SafetensorsIndex failed(std::string message) {
    SafetensorsIndex s;
    s.error = "safetensors: " + std::move(message);
    return s;
}

}  // namespace

SafetensorsIndex index_safetensors(const std::uint8_t* bytes, std::size_t size, std::uint64_t file_size) {
    if (file_size < 8) return failed("the file has " + std::to_string(file_size) + " bytes, fewer than the 8 of the header length");
    if (size < 8) {
        SafetensorsIndex s;
        s.need = 8;
        return s;
    }
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
    if (n > k_max_safetensors_header_bytes)
        return failed("the header length at byte 0 is " + std::to_string(n) + " bytes, above the cap of " +
                      std::to_string(k_max_safetensors_header_bytes));
    if (n > file_size - 8)
        return failed("the header (" + std::to_string(n) + " bytes from byte 8) runs past the end of the file (" +
                      std::to_string(file_size) + " bytes)");
    if (size < 8 + n) {
        SafetensorsIndex s;
        s.need = 8 + n;
        return s;
    }
    // Never throws: a syntax error gives a discarded value (the wasm build cannot catch exceptions).
    const nlohmann::ordered_json header = nlohmann::ordered_json::parse(bytes + 8, bytes + 8 + n, nullptr, false);
    if (header.is_discarded()) return failed("the JSON header (bytes 8 to " + std::to_string(8 + n) + ") is not valid JSON");
    if (!header.is_object()) return failed("the JSON header at byte 8 is not an object");
    if (header.size() > k_max_tensors)
        return failed(std::to_string(header.size()) + " entries in the header, above the cap of " + std::to_string(k_max_tensors));
    const std::uint64_t data_start = 8 + n, data_size = file_size - data_start;
    SafetensorsIndex s;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") continue;
        const std::string where = "tensor '" + name.substr(0, 200) + "'";
        if (name.size() > k_max_tensor_name_bytes)
            return failed("a tensor name of " + std::to_string(name.size()) + " bytes, above the cap of " +
                          std::to_string(k_max_tensor_name_bytes));
        if (!info.is_object() || !info.contains("dtype") || !info["dtype"].is_string() || !info.contains("shape") ||
            !info["shape"].is_array() || !info.contains("data_offsets") || !info["data_offsets"].is_array() ||
            info["data_offsets"].size() != 2)
            return failed(where + " lacks a string dtype, a shape array or two data_offsets");
        TensorEntry t;
        t.name = name;
        const std::string dtype = info["dtype"].get<std::string>();
        std::size_t element_bytes = 0;
        for (const StDType& d : k_dtypes)
            if (dtype == d.name) t.dtype = d.dtype, element_bytes = d.bytes;
        if (element_bytes == 0) return failed(where + " has an unknown dtype '" + dtype.substr(0, 40) + "'");
        if (t.dtype == DType::unknown) t.error = "dtype " + dtype + " is not read (F16, BF16, F32 and F64 are)";
        if (info["shape"].size() > static_cast<std::size_t>(k_max_tensor_rank))
            return failed(where + " has a shape of " + std::to_string(info["shape"].size()) + " dimensions");
        for (const auto& d : info["shape"]) {
            if (!d.is_number_unsigned()) return failed(where + " has a shape entry that is not a non-negative integer");
            const std::uint64_t v = d.get<std::uint64_t>();
            if (v > (std::uint64_t{1} << 62)) return failed(where + " has a dimension of " + std::to_string(v));
            t.shape.push_back(static_cast<std::int64_t>(v));
        }
        std::uint64_t elements = 0;
        std::string error;
        if (!shape_elements(t.shape, elements, error)) return failed(where + ": " + error);
        const auto& offsets = info["data_offsets"];
        if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
            return failed(where + " has data_offsets that are not non-negative integers");
        const std::uint64_t begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
        if (end < begin || end > data_size)
            return failed(where + " has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                          "] outside the " + std::to_string(data_size) + " data bytes (file bytes " +
                          std::to_string(data_start) + " to " + std::to_string(file_size) + ")");
        if (end - begin != elements * element_bytes)
            return failed(where + " has " + std::to_string(end - begin) + " data bytes, but shape " + shape_text(t.shape) +
                          " of " + dtype + " needs " + std::to_string(elements * element_bytes));
        t.ranges = {ByteRange{"", data_start + begin, end - begin}};
        s.tensors.push_back(std::move(t));
    }
    s.ok = true;
    return s;
}

}  // namespace spiketail
