#include "tfjs_manifest.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace spiketail {
namespace {

TfjsIndex failed(std::string message) {
    TfjsIndex t;
    t.error = "tfjs: " + std::move(message);
    return t;
}

// TF.js dtypes and their stored sizes; "string" has no fixed size, so nothing after it can be located.
bool tfjs_dtype(const std::string& name, DType& dtype) {
    if (name == "float32") dtype = DType::f32;
    else if (name == "int32") dtype = DType::i32;
    else if (name == "float16") dtype = DType::f16;
    else if (name == "uint8") dtype = DType::u8;
    else if (name == "uint16") dtype = DType::u16;
    else if (name == "bool") dtype = DType::u8;
    else return false;
    return true;
}

}  // namespace

TfjsIndex index_tfjs_manifest(const std::uint8_t* text, std::size_t size,
                              const std::vector<std::pair<std::string, std::uint64_t>>& shard_sizes) {
    if (size > k_max_manifest_bytes)
        return failed("the manifest has " + std::to_string(size) + " bytes, above the cap of " + std::to_string(k_max_manifest_bytes));
    const nlohmann::json doc = nlohmann::json::parse(text, text + size, nullptr, false);
    if (doc.is_discarded()) return failed("the manifest is not valid JSON");
    const nlohmann::json* groups = &doc;
    if (doc.is_object()) {
        if (!doc.contains("weightsManifest")) return failed("model.json has no \"weightsManifest\"");
        groups = &doc["weightsManifest"];
    }
    if (!groups->is_array()) return failed("the weights manifest is not an array of groups");
    TfjsIndex out;
    for (std::size_t g = 0; g < groups->size(); ++g) {
        const nlohmann::json& group = (*groups)[g];
        const std::string where = "weightsManifest[" + std::to_string(g) + "]";
        if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() || !group.contains("weights") ||
            !group["weights"].is_array())
            return failed(where + " lacks a \"paths\" or \"weights\" array");
        // The shards of this group as one address space: [start_i, start_i + size_i).
        std::vector<ByteRange> shards;
        std::uint64_t total = 0;
        std::string missing;
        for (const auto& p : group["paths"]) {
            if (!p.is_string()) return failed(where + ".paths has an entry that is not a string");
            const std::string path = p.get<std::string>();
            out.shards.push_back(path);
            std::uint64_t shard_size = 0;
            bool found = false;
            for (const auto& [name, bytes] : shard_sizes)
                if (name == path) found = true, shard_size = bytes;
            if (!found && missing.empty()) missing = path;
            shards.push_back(ByteRange{path, total, shard_size});
            total += shard_size;
        }
        std::uint64_t offset = 0;
        bool lost = false;  // after a string tensor, offsets are unknown
        for (std::size_t w = 0; w < group["weights"].size(); ++w) {
            if (out.tensors.size() >= k_max_tensors) return failed("more than " + std::to_string(k_max_tensors) + " weights");
            const nlohmann::json& weight = group["weights"][w];
            const std::string wwhere = where + ".weights[" + std::to_string(w) + "]";
            if (!weight.is_object() || !weight.contains("name") || !weight["name"].is_string() || !weight.contains("shape") ||
                !weight["shape"].is_array() || !weight.contains("dtype") || !weight["dtype"].is_string())
                return failed(wwhere + " lacks a string name, a shape array or a string dtype");
            TensorEntry t;
            t.name = weight["name"].get<std::string>();
            if (t.name.size() > k_max_tensor_name_bytes) return failed(wwhere + " has a name above " + std::to_string(k_max_tensor_name_bytes) + " bytes");
            for (const auto& d : weight["shape"]) {
                if (!d.is_number_unsigned() || d.get<std::uint64_t>() > (std::uint64_t{1} << 62))
                    return failed(wwhere + " ('" + t.name + "') has a shape entry that is not a non-negative integer");
                if (t.shape.size() >= static_cast<std::size_t>(k_max_tensor_rank)) return failed(wwhere + " has too many dimensions");
                t.shape.push_back(d.get<std::int64_t>());
            }
            std::uint64_t elements = 0;
            std::string error;
            if (!shape_elements(t.shape, elements, error)) return failed(wwhere + " ('" + t.name + "'): " + error);
            const std::string dtype = weight["dtype"].get<std::string>();
            if (dtype == "string") {
                t.error = "string tensors are not read";
                lost = true;
                out.tensors.push_back(std::move(t));
                continue;
            }
            if (!tfjs_dtype(dtype, t.dtype)) return failed(wwhere + " ('" + t.name + "') has an unknown dtype '" + dtype.substr(0, 40) + "'");
            if (dtype != "float32") t.error = "dtype " + dtype + " is not a weight matrix";
            if (weight.contains("quantization")) {
                const nlohmann::json& q = weight["quantization"];
                if (!q.is_object() || !q.contains("dtype") || !q["dtype"].is_string() ||
                    !tfjs_dtype(q["dtype"].get<std::string>(), t.dtype) ||
                    (t.dtype != DType::u8 && t.dtype != DType::u16 && t.dtype != DType::f16))
                    return failed(wwhere + " ('" + t.name + "') has a quantization without dtype uint8, uint16 or float16");
                if (t.dtype != DType::f16) {
                    if (!q.contains("scale") || !q["scale"].is_number() || !q.contains("min") || !q["min"].is_number())
                        return failed(wwhere + " ('" + t.name + "') is quantised to " + q["dtype"].get<std::string>() +
                                      " without a numeric scale and min");
                    t.quantized = true;
                    t.scale = q["scale"].get<double>();
                    t.min = q["min"].get<double>();
                }
            }
            const std::uint64_t length = elements * dtype_bytes(t.dtype);
            if (lost) t.error = "follows a string tensor, whose length the manifest does not give";
            else if (!missing.empty()) t.error = "shard '" + missing + "' was not found next to the manifest";
            else if (offset > total || length > total - offset)
                t.error = "needs " + std::to_string(length) + " bytes from byte " + std::to_string(offset) +
                          " of its group's shards, past their end (" + std::to_string(total) + " bytes)";
            else {
                // The pieces of [offset, offset + length) in each shard it overlaps.
                for (const ByteRange& s : shards) {
                    const std::uint64_t lo = std::max(offset, s.offset), hi = std::min(offset + length, s.offset + s.length);
                    if (lo < hi) t.ranges.push_back(ByteRange{s.file, lo - s.offset, hi - lo});
                }
            }
            if (!lost) offset += length;
            out.tensors.push_back(std::move(t));
        }
    }
    out.ok = true;
    return out;
}

}  // namespace spiketail
