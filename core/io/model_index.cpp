#include "model_index.hpp"

#include <algorithm>

#include "gguf_index.hpp"
#include "npy_header.hpp"
#include "safetensors_index.hpp"
#include "text_matrix.hpp"
#include "tfjs_manifest.hpp"
#include "zip_directory.hpp"

namespace spiketail {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        char c = s[s.size() - suffix.size() + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

ModelIndex error(const std::string& message) {
    ModelIndex m;
    m.error = valid_utf8(message);
    return m;
}

ModelIndex need(std::vector<ByteRange> ranges) {
    ModelIndex m;
    m.status = IndexStatus::need;
    m.need = std::move(ranges);
    return m;
}

ModelIndex ok(std::vector<TensorEntry> tensors) {
    ModelIndex m;
    m.status = IndexStatus::ok;
    m.tensors = std::move(tensors);
    for (TensorEntry& t : m.tensors) {  // names and reasons reach JSON: UTF-8 (ranges keep the shard paths as given)
        t.name = valid_utf8(t.name);
        t.error = valid_utf8(t.error);
    }
    return m;
}

// The bytes from `offset` that one chunk holds (the longest prefix available), for headers read in steps.
std::size_t available_from(const ByteChunks& have, std::uint64_t offset, const std::uint8_t*& bytes) {
    bytes = nullptr;
    std::size_t longest = 0;
    for (const ByteChunk& c : have.chunks)
        if (offset >= c.offset && offset - c.offset < c.bytes.size() && c.bytes.size() - (offset - c.offset) > longest) {
            bytes = c.bytes.data() + (offset - c.offset);
            longest = static_cast<std::size_t>(c.bytes.size() - (offset - c.offset));
        }
    return longest;
}

ModelIndex index_npz(std::uint64_t file_size, const ByteChunks& have) {
    const ZipIndex zip = index_zip(have, file_size);
    if (!zip.error.empty()) return error("npz: " + zip.error);
    if (!zip.ok) return need(zip.need);
    std::vector<TensorEntry> tensors;
    std::vector<ByteRange> more;
    for (const ZipMember& m : zip.members) {
        TensorEntry t;
        t.name = ends_with(m.name, ".npy") ? m.name.substr(0, m.name.size() - 4) : m.name;
        if (t.name.size() > k_max_tensor_name_bytes) return error("npz: a member name above " + std::to_string(k_max_tensor_name_bytes) + " bytes");
        t.encoding = Encoding::npy;
        t.compression = m.compression;
        t.inflated_length = m.uncompressed_size;
        t.ranges = {ByteRange{"", m.data_offset, m.compressed_size}};
        if (!ends_with(m.name, ".npy")) t.error = "member '" + m.name + "' is not an .npy array";
        else if (m.compression == Compression::none) {
            // A stored member's .npy header gives its dtype and shape now (a deflated one's once inflated).
            const std::uint8_t* bytes = nullptr;
            const std::size_t size = std::min<std::uint64_t>(available_from(have, m.data_offset, bytes), m.compressed_size);
            const NpyHeader h = parse_npy_header(bytes, bytes ? size : 0, m.compressed_size, t.name);
            if (h.need > 0) more.push_back(ByteRange{"", m.data_offset, std::max<std::uint64_t>(h.need, 128)});
            else if (!h.ok) t.error = "member '" + m.name + "' (data at byte " + std::to_string(m.data_offset) + "): " + h.error;
            else {
                t.dtype = h.tensor.dtype;
                t.shape = h.tensor.shape;
                t.fortran_order = h.tensor.fortran_order;
                t.big_endian = h.tensor.big_endian;
            }
        }
        tensors.push_back(std::move(t));
    }
    for (ByteRange& r : more)  // never past the member
        for (const ZipMember& m : zip.members)
            if (m.data_offset == r.offset) r.length = std::min(r.length, m.compressed_size);
    if (!more.empty()) return need(more);
    return ok(std::move(tensors));
}

}  // namespace

const char* to_string(ModelFormat format) {
    switch (format) {
        case ModelFormat::npy: return "npy";
        case ModelFormat::npz: return "npz";
        case ModelFormat::safetensors: return "safetensors";
        case ModelFormat::gguf: return "gguf";
        case ModelFormat::tfjs: return "tfjs";
        case ModelFormat::csv: return "csv";
        case ModelFormat::tsv: return "tsv";
        case ModelFormat::unknown: break;
    }
    return "unknown";
}

ModelFormat model_format_from_string(const std::string& name) {
    for (ModelFormat f : {ModelFormat::npy, ModelFormat::npz, ModelFormat::safetensors, ModelFormat::gguf, ModelFormat::tfjs,
                          ModelFormat::csv, ModelFormat::tsv})
        if (name == to_string(f)) return f;
    return ModelFormat::unknown;
}

ModelFormat model_format_from_name(const std::string& file_name) {
    if (ends_with(file_name, ".npy")) return ModelFormat::npy;
    if (ends_with(file_name, ".npz")) return ModelFormat::npz;
    if (ends_with(file_name, ".safetensors")) return ModelFormat::safetensors;
    if (ends_with(file_name, ".gguf")) return ModelFormat::gguf;
    if (ends_with(file_name, ".json")) return ModelFormat::tfjs;
    if (ends_with(file_name, ".csv")) return ModelFormat::csv;
    if (ends_with(file_name, ".tsv") || ends_with(file_name, ".tab")) return ModelFormat::tsv;
    return ModelFormat::unknown;
}

std::string file_stem(const std::string& path) {
    const std::size_t slash = path.find_last_of("/\\");
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::size_t dot = base.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

ModelIndex index_model(ModelFormat format, const std::string& name, std::uint64_t file_size, const ByteChunks& have,
                       const std::vector<std::pair<std::string, std::uint64_t>>& shard_sizes) {
    const std::uint8_t* head = nullptr;
    const std::size_t head_size = available_from(have, 0, head);
    switch (format) {
        case ModelFormat::npy: {
            const NpyHeader h = parse_npy_header(head, head ? head_size : 0, file_size, file_stem(name));
            if (h.need > 0) return need({ByteRange{"", 0, h.need}});
            if (!h.ok) return error(h.error);
            return ok({h.tensor});
        }
        case ModelFormat::safetensors: {
            const SafetensorsIndex s = index_safetensors(head, head ? head_size : 0, file_size);
            if (s.need > 0) return need({ByteRange{"", 0, s.need}});
            if (!s.ok) return error(s.error);
            return ok(s.tensors);
        }
        case ModelFormat::gguf: {
            const GgufIndex g = index_gguf(head, head ? head_size : 0, file_size);
            if (g.need > 0) return need({ByteRange{"", 0, g.need}});
            if (!g.ok) return error(g.error);
            return ok(g.tensors);
        }
        case ModelFormat::npz: return index_npz(file_size, have);
        case ModelFormat::tfjs:
        case ModelFormat::csv:
        case ModelFormat::tsv: {
            const std::uint64_t cap = format == ModelFormat::tfjs ? k_max_manifest_bytes : k_max_text_bytes;
            if (file_size > cap)
                return error(std::string(to_string(format)) + ": the file has " + std::to_string(file_size) +
                             " bytes, above the cap of " + std::to_string(cap));
            if (!have.find(0, file_size)) return need({ByteRange{"", 0, file_size}});
            if (format == ModelFormat::tfjs) {
                const TfjsIndex t = index_tfjs_manifest(head, static_cast<std::size_t>(file_size), shard_sizes);
                if (!t.ok) return error(t.error);
                ModelIndex m = ok(t.tensors);
                m.files = t.shards;  // raw paths: the front end opens them; shown only through valid_utf8
                return m;
            }
            const char separator = format == ModelFormat::csv ? ',' : '\t';
            const TextMatrix m = read_text_matrix(head, static_cast<std::size_t>(file_size), separator, nullptr);
            if (!m.ok) return error(m.error);
            TensorEntry t;
            t.name = file_stem(name);
            t.dtype = DType::f32;
            t.shape = {m.rows, m.cols};
            t.encoding = Encoding::text;
            t.text_separator = separator;
            t.ranges = {ByteRange{"", 0, file_size}};
            return ok({t});
        }
        case ModelFormat::unknown: break;
    }
    return error("unknown file format (npy, npz, safetensors, gguf, tfjs, csv and tsv are read)");
}

}  // namespace spiketail
