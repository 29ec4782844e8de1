// Glue for the own-weights analysis: JS values <-> the core's index entries and rows. The page reads a file in
// pieces (File.slice), so every call takes bytes it has read; nothing here holds a file.
#include "model_glue.hpp"

#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "io/analyze_document.hpp"
#include "io/json_document.hpp"
#include "io/layer_report.hpp"
#include "io/model_index.hpp"
#include "io/record_json.hpp"
#include "io/tensor_decode.hpp"
#include "layer_analysis.hpp"
#include "pool_plan.hpp"
#include "weight_layers.hpp"

using emscripten::val;

// The user's name filter is a JS regular expression, as typed in the page: tested by JS's own RegExp, caught
// here so that a bad pattern is a status, never a throw through C++ frames. -1: not a regular expression.
EM_JS(int, regex_search_js, (const char* pattern, const char* name), {
    try {
        return new RegExp(UTF8ToString(pattern)).test(UTF8ToString(name)) ? 1 : 0;
    } catch (e) {
        return -1;
    }
});

namespace spiketail::glue {
namespace {

using ordered_json = nlohmann::ordered_json;

bool is_uint8_array(const val& v) {
    return v.typeOf().as<std::string>() == "object" && !v.isNull() && v.instanceof(val::global("Uint8Array"));
}

double number_field(const val& object, const char* key, double fallback) {
    if (object.isUndefined() || object.isNull()) return fallback;
    const val v = object[key];
    return v.isUndefined() ? fallback : v.as<double>();
}

// options: {minSize, maxEvals, maxN, skipEmbeddings}; undefined fields keep WeightWatcher's defaults.
Checked read_layer_options(const val& options, const std::string& where, LayerOptions& out) {
    if (!options.isUndefined() && !options.isNull() && options.typeOf().as<std::string>() != "object")
        return Checked::error("TypeError", where + ": options must be an object (got " + js_type_phrase(options) + ")");
    const std::pair<const char*, std::int64_t*> fields[] = {
        {"minSize", &out.min_evals}, {"maxEvals", &out.max_evals}, {"maxN", &out.max_n}};
    for (const auto& [key, target] : fields) {
        const double x = number_field(options, key, static_cast<double>(*target));
        if (Checked refused = check_integer(where, (std::string("options.") + key).c_str(), x, 0, 9007199254740991.0);
            refused.refused())
            return refused;
        *target = static_cast<std::int64_t>(x);
    }
    if (!options.isUndefined() && !options.isNull()) out.skip_embeddings = options["skipEmbeddings"].isTrue();
    return Checked::undefined();
}

// chunks: [{offset, bytes: Uint8Array}] -> ByteChunks, each under the cap of a header read.
Checked read_chunks(const val& chunks, const std::string& where, double file_size, ByteChunks& out) {
    if (!val::global("Array").call<bool>("isArray", chunks))
        return Checked::error("TypeError", where + ": chunks must be an Array of {offset, bytes} (got " + js_type_phrase(chunks) + ")");
    const unsigned count = chunks["length"].as<unsigned>();
    if (count > 4 * k_max_tensors) return Checked::error("RangeError", where + ": more than " + std::to_string(4 * k_max_tensors) + " chunks");
    double total = 0;
    for (unsigned i = 0; i < count; ++i) {
        const val chunk = chunks[i];
        const std::string name = "chunks[" + std::to_string(i) + "]";
        if (chunk.typeOf().as<std::string>() != "object" || chunk.isNull() || !is_uint8_array(chunk["bytes"]))
            return Checked::error("TypeError", where + ": " + name + " must be {offset, bytes: Uint8Array}");
        const double offset = chunk["offset"].isNumber() ? chunk["offset"].as<double>() : -1;
        const double length = chunk["bytes"]["length"].as<double>();
        if (Checked refused = check_integer(where, (name + ".offset").c_str(), offset, 0, file_size); refused.refused()) return refused;
        if (offset + length > file_size)
            return Checked::error("RangeError", where + ": " + name + " ends at byte " + js_number(offset + length) +
                                                    ", past fileSize " + js_number(file_size));
        total += length;
        if (total > k_max_memory_bytes / 4 || !heap_can_hold(length))
            return Checked::error("RangeError", where + ": the chunks hold " + bytes_text(total) + ", more than the heap takes for headers");
        ByteChunk c;
        c.offset = static_cast<std::uint64_t>(offset);
        c.bytes.resize(static_cast<std::size_t>(length));
        val(emscripten::typed_memory_view(c.bytes.size(), c.bytes.data())).call<void>("set", chunk["bytes"]);
        out.chunks.push_back(std::move(c));
    }
    return Checked::undefined();
}

Checked model_index(const val& format_name, const val& file_name, double file_size, const val& chunks, const val& options) {
    const std::string where = "modelIndex";
    if (!format_name.isString() || !file_name.isString())
        return Checked::error("TypeError", where + ": format and fileName must be strings");
    const ModelFormat format = model_format_from_string(format_name.as<std::string>());
    if (format == ModelFormat::unknown)
        return Checked::error("RangeError", where + ": format must be npy, npz, safetensors, gguf, tfjs, csv or tsv (got \"" +
                                                format_name.as<std::string>().substr(0, 40) + "\")");
    if (Checked refused = check_integer(where, "fileSize", file_size, 0, 9007199254740991.0); refused.refused()) return refused;
    LayerOptions layer_options;
    if (Checked refused = read_layer_options(options, where, layer_options); refused.refused()) return refused;
    std::string pattern;
    std::vector<std::pair<std::string, std::uint64_t>> shard_sizes;
    if (!options.isUndefined() && !options.isNull()) {
        const val layers = options["layers"];
        if (!layers.isUndefined() && !layers.isNull()) {
            if (!layers.isString()) return Checked::error("TypeError", where + ": options.layers must be a string");
            pattern = layers.as<std::string>();
            if (pattern.size() > k_max_tensor_name_bytes || regex_search_js(pattern.c_str(), "") < 0)
                return Checked::error("SyntaxError", where + ": options.layers is not a regular expression: " + pattern.substr(0, 200));
        }
        const val shards = options["shardSizes"];
        if (!shards.isUndefined() && !shards.isNull()) {
            const val keys = val::global("Object").call<val>("keys", shards);
            const unsigned count = keys["length"].as<unsigned>();
            for (unsigned i = 0; i < count && i < k_max_tensors; ++i) {
                const std::string key = keys[i].as<std::string>();
                const double size = shards[key].isNumber() ? shards[key].as<double>() : -1;
                if (Checked refused = check_integer(where, "options.shardSizes[...]", size, 0, 9007199254740991.0); refused.refused())
                    return refused;
                shard_sizes.push_back({key, static_cast<std::uint64_t>(size)});
            }
        }
    }
    ByteChunks have;
    if (Checked refused = read_chunks(chunks, where, file_size, have); refused.refused()) return refused;
    const ModelIndex index = index_model(format, file_name.as<std::string>(), static_cast<std::uint64_t>(file_size), have, shard_sizes);
    if (index.status == IndexStatus::error) return Checked::error("Error", index.error);
    ordered_json out = ordered_json::object();
    if (index.status == IndexStatus::need) {
        out["status"] = "need";
        ordered_json need = ordered_json::array();
        for (const ByteRange& r : index.need) need.push_back({{"offset", r.offset}, {"length", r.length}});
        out["need"] = need;
        return Checked::of(out.dump());
    }
    out["status"] = "ok";
    out["format"] = to_string(format);
    ordered_json shard_names = ordered_json::array();
    for (const std::string& f : index.files) shard_names.push_back(valid_utf8(f));
    out["shards"] = shard_names;
    ordered_json tensors = ordered_json::array();
    for (const TensorEntry& t : index.tensors) {
        const bool selected = pattern.empty() || regex_search_js(pattern.c_str(), t.name.c_str()) == 1;
        tensors.push_back(listed_tensor_json(t, plan_layer(t.name, t.shape, layer_options, selected), selected));
    }
    out["tensors"] = tensors;
    return Checked::of(out.dump());
}

// The bytes analysing an entry takes: a deflated member's declared inflated size, or its ranges concatenated (the
// JSON's: the core's entry keeps no ranges). -1 when the ranges are not [{length}] with lengths >= 0.
double entry_length(const TensorEntry& entry, const nlohmann::json& json) {
    if (entry.compression == Compression::deflate) return static_cast<double>(entry.inflated_length);
    const auto ranges = json.find("ranges");
    if (ranges == json.end() || !ranges->is_array()) return -1;
    double total = 0;
    for (const auto& r : *ranges) {
        const auto length = r.is_object() ? r.find("length") : r.end();
        if (!r.is_object() || length == r.end() || !length->is_number_unsigned()) return -1;
        total += length->get<double>();
    }
    return total;
}

// The entry and options of analyzeLayer / layerBuffer, checked; `length` the bytes that came or will come (for a
// deflated member, as inflated; < 0: the entry's own). Refuses before anything is allocated when the analysis
// would not fit.
Checked read_layer_call(const std::string& where, const val& tensor, const val& options, double& length, TensorEntry& entry,
                        LayerOptions& layer_options) {
    if (tensor.typeOf().as<std::string>() != "object" || tensor.isNull())
        return Checked::error("TypeError", where + ": tensor must be an entry of modelIndex's tensors (got " + js_type_phrase(tensor) + ")");
    if (Checked refused = read_layer_options(options, where, layer_options); refused.refused()) return refused;
    const std::string text = val::global("JSON").call<std::string>("stringify", tensor);
    if (text.size() > 4 * k_max_tensor_name_bytes + 65536) return Checked::error("RangeError", where + ": tensor is not an index entry (too long)");
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    std::string error;
    if (json.is_discarded() || !tensor_entry_from_json(json, entry, error))
        return Checked::error("TypeError", where + ": " + (error.empty() ? "tensor is not an index entry" : error));
    if (length < 0 && (length = entry_length(entry, json)) < 0)
        return Checked::error("TypeError", where + ": tensor.ranges must be an array of {file, offset, length}");
    if (entry.compression == Compression::deflate && length != static_cast<double>(entry.inflated_length))
        return Checked::error("Error", where + ": tensor '" + entry.name + "' inflated to " + js_number(length) +
                                           " bytes; its zip directory declares " + std::to_string(entry.inflated_length) +
                                           " (stop inflating there: more is a zip bomb)");
    // The bytes' storage, their float32 values and the analysis' work space, bounded before any allocation.
    const double need = tensor_analysis_memory_bytes(entry, plan_layer(entry.name, entry.shape, layer_options), length);
    if (need > k_max_memory_bytes)
        return Checked::error("RangeError", where + ": tensor '" + entry.name + "' needs about " + bytes_text(need) +
                                                " to analyse, above the cap of " + bytes_text(k_max_memory_bytes));
    if (!heap_can_hold(need))
        return Checked::error("RangeError", where + ": the wasm heap cannot hold the " + bytes_text(need) + " tensor '" +
                                                entry.name + "' needs now");
    return Checked::undefined();
}

// {row: JSON text, eigenvalues: Float64Array} of one tensor from storage holding its bytes (consumed).
val layer_result(const std::string& file_name, const TensorEntry& entry, MatrixF&& storage, std::size_t length,
                 const LayerOptions& layer_options) {
    LayerReport report = analyze_tensor_storage(file_name, entry, std::move(storage), length, layer_options, true);
    val out = val::object();
    out.set("row", report.row.dump());
    out.set("eigenvalues", to_typed_array<double>(report.eigenvalues, "Float64Array"));
    return out;
}

Checked analyze_layer_bytes(const val& bytes, const val& tensor, const val& file_name, const val& options) {
    const std::string where = "analyzeLayer";
    if (!is_uint8_array(bytes))
        return Checked::error("TypeError", where + ": bytes must be a Uint8Array (got " + js_type_phrase(bytes) + ")");
    if (!file_name.isString()) return Checked::error("TypeError", where + ": fileName must be a string");
    double length = bytes["length"].as<double>();
    TensorEntry entry;
    LayerOptions layer_options;
    if (Checked refused = read_layer_call(where, tensor, options, length, entry, layer_options); refused.refused()) return refused;
    MatrixF storage = tensor_storage(static_cast<std::size_t>(length));
    val(emscripten::typed_memory_view(static_cast<std::size_t>(length), storage_bytes(storage))).call<void>("set", bytes);
    return Checked::of(layer_result(file_name.as<std::string>(), entry, std::move(storage), static_cast<std::size_t>(length), layer_options));
}

}  // namespace

// A tensor's bytes read straight into the heap (spiketail.d.mts, LayerBuffer): the page writes each slice it
// reads through view(), then analyze() decodes and analyses them where they are (a float32 layer in place), so
// the layer exists once in memory while it is analysed.
class LayerBuffer {
public:
    LayerBuffer(TensorEntry entry, LayerOptions options, std::size_t length)
        : m_entry(std::move(entry)), m_options(options), m_length(length), m_storage(tensor_storage(length)) {}

    double length() const { return static_cast<double>(m_length); }

    // A Uint8Array over bytes [offset, offset + count) of the buffer, in the heap: valid until the next call that
    // may grow the heap (write into it at once).
    Checked view(double offset, double count) {
        const std::string where = "LayerBuffer.view";
        if (m_storage.size() == 0 && m_length > 0) return Checked::error("Error", where + ": the buffer was analysed already");
        if (Checked refused = check_integer(where, "offset", offset, 0, static_cast<double>(m_length)); refused.refused()) return refused;
        if (Checked refused = check_integer(where, "length", count, 0, static_cast<double>(m_length) - offset); refused.refused())
            return refused;
        return Checked::of(val(emscripten::typed_memory_view(static_cast<std::size_t>(count),
                                                             storage_bytes(m_storage) + static_cast<std::size_t>(offset))));
    }

    // {row, eigenvalues} as analyzeLayer's; the buffer is empty afterwards (its memory freed or become the values).
    Checked analyze(const val& file_name) {
        const std::string where = "LayerBuffer.analyze";
        if (!file_name.isString()) return Checked::error("TypeError", where + ": fileName must be a string");
        if (m_storage.size() == 0 && m_length > 0) return Checked::error("Error", where + ": the buffer was analysed already");
        return Checked::of(layer_result(file_name.as<std::string>(), m_entry, std::move(m_storage), m_length, m_options));
    }

private:
    TensorEntry m_entry;
    LayerOptions m_options;
    std::size_t m_length;
    MatrixF m_storage;
};

namespace {

Checked layer_buffer(const val& tensor, const val& options) {
    const std::string where = "layerBuffer";
    double length = -1;
    TensorEntry entry;
    LayerOptions layer_options;
    if (Checked refused = read_layer_call(where, tensor, options, length, entry, layer_options); refused.refused()) return refused;
    return Checked::of(val(LayerBuffer(std::move(entry), layer_options, static_cast<std::size_t>(length))));
}

// The Analyze view's pool size (pool_plan.hpp) for `cores` cores, `jobs` layers, the largest memory_bytes.
Checked layer_pool_size_of(double cores, double jobs, double largest_bytes) {
    const std::string where = "layerPoolSize";
    if (Checked refused = check_integer(where, "cores", cores, 0, 65536); refused.refused()) return refused;
    if (Checked refused = check_integer(where, "jobs", jobs, 0, 9007199254740991.0); refused.refused()) return refused;
    if (Checked refused = check_finite(where, "largestBytes", largest_bytes, false); refused.refused()) return refused;
    return Checked::of(val(layer_pool_size(static_cast<int>(cores), static_cast<std::int64_t>(jobs), largest_bytes)));
}

// The sweep view's pool size (pool_plan.hpp) for `requested` workers, `runs` runs, the largest run's bytes.
Checked run_pool_size_of(double requested, double runs, double bytes_per_run) {
    const std::string where = "runPoolSize";
    if (Checked refused = check_integer(where, "requested", requested, 0, 65536); refused.refused()) return refused;
    if (Checked refused = check_integer(where, "runs", runs, 0, 9007199254740991.0); refused.refused()) return refused;
    if (Checked refused = check_finite(where, "bytesPerRun", bytes_per_run, false); refused.refused()) return refused;
    return Checked::of(val(run_pool_size(static_cast<int>(requested), static_cast<std::int64_t>(runs), bytes_per_run)));
}

Checked layer_figure(const val& eigenvalues, double N, double M, double rf) {
    const std::string where = "layerFigure";
    const std::pair<const char*, double> sizes[] = {{"N", N}, {"M", M}, {"rf", rf}};
    for (const auto& [name, x] : sizes)
        if (Checked refused = check_integer(where, name, x, 1, 9007199254740991.0); refused.refused()) return refused;
    std::vector<double> values;
    if (Checked refused = copy_numbers(eigenvalues, where, "eigenvalues", values); refused.refused()) return refused;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isnan(values[i])) return Checked::error("TypeError", where + ": eigenvalues[" + std::to_string(i) + "] is NaN");
    return Checked::of(layer_figure_json(values, static_cast<std::int64_t>(N), static_cast<std::int64_t>(M),
                                         static_cast<std::int64_t>(rf)).dump());
}


// The reader a file goes to, from its name; "" when none does (e.g. a TF.js shard, which its manifest names).
Checked model_format_of(const val& file_name) {
    if (!file_name.isString()) return Checked::error("TypeError", "modelFormatOf: fileName must be a string (got " + js_type_phrase(file_name) + ")");
    const ModelFormat format = model_format_from_name(file_name.as<std::string>());
    return Checked::of(std::string(format == ModelFormat::unknown ? "" : to_string(format)));
}

// The analysis document of the files on the page (core/io/analyze_document.hpp), as the CLI writes it: JSON
// laid out as its files, or the CSV of its layers.
Checked analyze_document_text(const val& files_json, const val& csv) {
    const std::string where = "analyzeDocument";
    const DocumentArg argument = read_result_document(files_json, where, "filesJson");
    if (!argument.ok()) return document_refusal(argument, where);
    if (!csv.isTrue() && !csv.isFalse()) return Checked::error("TypeError", where + ": csv must be a boolean (got " + js_type_phrase(csv) + ")");
    if (scan_json(argument.text).too_deep)
        return Checked::error("RangeError", where + ": filesJson nests deeper than " + std::to_string(k_max_document_depth) + " levels");
    const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(argument.text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array())
        return Checked::error("TypeError", where + ": filesJson must be a JSON array of {file, format, bytes, tensors, error, results}");
    std::vector<AnalyzedFile> files(parsed.size());
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        std::string error;
        if (!analyzed_file_from_json(parsed[i], files[i], error))
            return Checked::error("TypeError", where + ": files[" + std::to_string(i) + "]: " + error);
    }
    const nlohmann::ordered_json document = analyze_document(files);
    return Checked::of(csv.isTrue() ? analyze_document_csv(document) : dump_document(document));
}

}  // namespace

void register_model_functions() {
    emscripten::function("modelIndex", &model_index);
    emscripten::function("analyzeLayer", &analyze_layer_bytes);
    emscripten::class_<LayerBuffer>("LayerBuffer")
        .function("length", &LayerBuffer::length)
        .function("view", &LayerBuffer::view)
        .function("analyze", &LayerBuffer::analyze);
    emscripten::function("layerBuffer", &layer_buffer);
    emscripten::function("layerPoolSize", &layer_pool_size_of);
    emscripten::function("runPoolSize", &run_pool_size_of);
    emscripten::function("layerFigure", &layer_figure);
    emscripten::function("modelFormatOf", &model_format_of);
    emscripten::function("analyzeDocument", &analyze_document_text);
}

}  // namespace spiketail::glue
