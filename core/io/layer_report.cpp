#include "layer_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../figures.hpp"
#include "figures_json.hpp"
#include "json_values.hpp"
#include "tensor_decode.hpp"

namespace spiketail {
namespace {

using ordered_json = nlohmann::ordered_json;

// v, or null when it is not a valid value (no fit, M = 0).
ordered_json number_if(double v, bool valid) { return valid ? number_or_null(v) : ordered_json(); }

ordered_json base_row(const std::string& file, const TensorEntry& entry, const char* kind) {
    ordered_json row = ordered_json::object();
    for (const std::string& c : k_layer_columns) row[c] = nullptr;
    row["file"] = valid_utf8(file);
    row["name"] = valid_utf8(entry.name);
    row["kind"] = kind;
    row["shape"] = entry.shape;
    row["dtype"] = to_string(entry.dtype);
    return row;
}

}  // namespace

const std::vector<std::string> k_layer_columns = {
    "file", "name", "kind", "shape", "dtype", "status", "message", "N", "M", "Q", "rf", "num_evals", "lambda_max",
    "spectral_norm", "norm", "log_norm", "log_spectral_norm", "alpha", "xmin", "xmax", "D", "sigma", "alpha_weighted",
    "log_alpha_norm", "stable_rank", "entropy", "mp_softrank", "num_pl_spikes", "num_spikes", "mp_variance",
    "mp_lambda_minus", "mp_lambda_plus", "alpha_hill", "warning"};

ordered_json skipped_row(const std::string& file, const TensorEntry& entry, const LayerPlan& plan) {
    ordered_json row = base_row(file, entry, to_string(plan.kind));
    row["status"] = "skipped";
    row["message"] = valid_utf8(!entry.error.empty() ? entry.error : plan.skip_reason);
    if (plan.N > 0) {
        row["N"] = plan.N;
        row["M"] = plan.M;
        row["Q"] = number_if(static_cast<double>(plan.N) / static_cast<double>(plan.M), plan.M > 0);
        row["rf"] = plan.rf;
        row["num_evals"] = plan.num_evals;
    }
    return row;
}

ordered_json layer_row(const std::string& file, const TensorEntry& entry, LayerKind kind, const LayerAnalysis& a) {
    ordered_json row = base_row(file, entry, to_string(kind));
    row["N"] = a.N;
    row["M"] = a.M;
    row["Q"] = number_if(a.Q, a.M > 0);
    row["rf"] = a.rf;
    row["num_evals"] = a.num_evals;
    if (!a.ok) {
        row["status"] = "failed";
        row["message"] = valid_utf8(a.message);
        return row;
    }
    row["lambda_max"] = a.lambda_max;
    row["spectral_norm"] = a.lambda_max;
    row["norm"] = a.norm;
    row["log_norm"] = a.log_norm;
    row["log_spectral_norm"] = a.log_spectral_norm;
    row["stable_rank"] = a.stable_rank;
    row["entropy"] = number_or_null(a.entropy);
    row["mp_softrank"] = number_or_null(a.mp_softrank);
    row["num_spikes"] = a.num_spikes;
    row["mp_variance"] = a.mp.variance;
    row["mp_lambda_minus"] = a.mp.lower();
    row["mp_lambda_plus"] = a.mp.upper();
    row["alpha_hill"] = number_if(a.hill.alpha, a.hill.ok());
    row["warning"] = a.warning;
    if (a.ks.ok()) {
        row["status"] = "success";
        row["alpha"] = a.ks.alpha;
        row["xmin"] = a.ks.xmin;
        row["xmax"] = a.lambda_max;
        row["D"] = a.ks.D;
        row["sigma"] = a.ks.sigma;
        row["alpha_weighted"] = number_or_null(a.alpha_weighted);
        row["log_alpha_norm"] = number_or_null(a.log_alpha_norm);
        row["num_pl_spikes"] = a.num_pl_spikes;
    } else {
        row["status"] = "failed";
        row["message"] = valid_utf8("power-law fit: " + a.ks.message);
    }
    return row;
}

namespace {

LayerReport report_of(const std::string& file, DecodedTensor&& d, const LayerOptions& options, bool name_selected) {
    LayerReport report;
    if (!d.ok) {
        LayerPlan none;
        none.skip_reason = valid_utf8(d.error);
        report.row = skipped_row(file, d.tensor, none);
        report.row["status"] = "failed";
        return report;
    }
    const LayerPlan plan = plan_layer(d.tensor.name, d.tensor.shape, options, name_selected);
    if (!plan.analyze) {
        report.row = skipped_row(file, d.tensor, plan);
        return report;
    }
    const std::vector<MatrixF> matrices = layer_matrices(plan, d.tensor.shape, d.tensor.fortran_order, std::move(d.values));
    LayerAnalysis a = analyze_layer(matrices, plan.N, plan.M, plan.eigenvalue_scale);
    report.row = layer_row(file, d.tensor, plan.kind, a);
    report.eigenvalues = std::move(a.eigenvalues);
    report.analysed = true;
    return report;
}

}  // namespace

LayerReport analyze_tensor(const std::string& file, const TensorEntry& entry, const std::uint8_t* bytes, std::size_t size,
                           const LayerOptions& options, bool name_selected) {
    return report_of(file, decode_tensor(entry, bytes, size), options, name_selected);
}

LayerReport analyze_tensor_storage(const std::string& file, const TensorEntry& entry, MatrixF&& storage, std::size_t size,
                                   const LayerOptions& options, bool name_selected) {
    return report_of(file, decode_tensor_storage(entry, std::move(storage), size), options, name_selected);
}

std::string layer_rows_csv(const std::vector<ordered_json>& rows) {
    std::string out;
    for (std::size_t i = 0; i < k_layer_columns.size(); ++i) out += (i ? "," : "") + k_layer_columns[i];
    out += "\n";
    for (const ordered_json& row : rows) {
        for (std::size_t i = 0; i < k_layer_columns.size(); ++i) {
            if (i) out += ",";
            const auto it = row.find(k_layer_columns[i]);
            if (it == row.end() || it->is_null()) continue;
            std::string cell;
            if (it->is_array()) {
                for (std::size_t k = 0; k < it->size(); ++k) cell += (k ? "x" : "") + (*it)[k].dump();
            } else if (it->is_string()) {
                cell = it->get<std::string>();
            } else if (it->is_number_float()) {
                char buffer[32];
                std::snprintf(buffer, sizeof buffer, "%.17g", it->get<double>());
                cell = buffer;
            } else {
                cell = it->dump();
            }
            if (cell.find_first_of(",\"\n\r") != std::string::npos) {
                std::string quoted = "\"";
                for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
                cell = quoted + "\"";
            }
            out += cell;
        }
        out += "\n";
    }
    return out;
}

ordered_json tensor_entry_to_json(const TensorEntry& t) {
    ordered_json j = ordered_json::object();
    j["name"] = valid_utf8(t.name);
    j["dtype"] = to_string(t.dtype);
    j["shape"] = t.shape;
    j["encoding"] = t.encoding == Encoding::raw ? "raw" : t.encoding == Encoding::npy ? "npy" : "text";
    j["fortran_order"] = t.fortran_order;
    j["big_endian"] = t.big_endian;
    j["compression"] = t.compression == Compression::deflate ? "deflate" : "none";
    j["inflated_length"] = t.inflated_length;
    j["text_separator"] = std::string(1, t.text_separator);
    j["quantized"] = t.quantized;
    j["scale"] = t.scale;
    j["min"] = t.min;
    ordered_json ranges = ordered_json::array();
    for (const ByteRange& r : t.ranges) ranges.push_back({{"file", valid_utf8(r.file)}, {"offset", r.offset}, {"length", r.length}});
    j["ranges"] = ranges;
    j["byte_length"] = t.stored_bytes();
    j["error"] = t.error.empty() ? ordered_json() : ordered_json(valid_utf8(t.error));
    return j;
}

bool tensor_entry_from_json(const nlohmann::json& j, TensorEntry& t, std::string& error) {
    auto fail = [&](const std::string& what) {
        error = "tensor: " + what;
        return false;
    };
    if (!j.is_object()) return fail("not an object");
    auto str = [&](const char* key, std::string& out) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_string()) return fail(std::string(key) + " must be a string");
        out = it->get<std::string>();
        return true;
    };
    std::string dtype, encoding, compression, separator;
    if (!str("name", t.name) || !str("dtype", dtype) || !str("encoding", encoding) || !str("compression", compression))
        return false;
    if (t.name.size() > k_max_tensor_name_bytes) return fail("name is longer than " + std::to_string(k_max_tensor_name_bytes) + " bytes");
    t.dtype = DType::unknown;
    for (DType d : {DType::f16, DType::bf16, DType::f32, DType::f64, DType::u8, DType::u16, DType::i32, DType::q8_0})
        if (dtype == to_string(d)) t.dtype = d;
    if (encoding == "raw") t.encoding = Encoding::raw;
    else if (encoding == "npy") t.encoding = Encoding::npy;
    else if (encoding == "text") t.encoding = Encoding::text;
    else return fail("encoding must be raw, npy or text");
    t.compression = compression == "deflate" ? Compression::deflate : Compression::none;
    const auto shape = j.find("shape");
    if (shape == j.end() || !shape->is_array() || shape->size() > static_cast<std::size_t>(k_max_tensor_rank))
        return fail("shape must be an array of at most " + std::to_string(k_max_tensor_rank) + " dimensions");
    t.shape.clear();
    for (const auto& d : *shape) {
        if (!d.is_number_unsigned() || d.get<std::uint64_t>() > (std::uint64_t{1} << 62))
            return fail("shape entries must be non-negative integers");
        t.shape.push_back(d.get<std::int64_t>());
    }
    std::uint64_t elements = 0;
    std::string shape_error;
    if (!shape_elements(t.shape, elements, shape_error)) return fail(shape_error);
    auto flag = [&](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_boolean() && it->get<bool>();
    };
    auto number = [&](const char* key, double fallback) {
        const auto it = j.find(key);
        return it != j.end() && it->is_number() ? it->get<double>() : fallback;
    };
    t.fortran_order = flag("fortran_order");
    t.big_endian = flag("big_endian");
    t.quantized = flag("quantized");
    t.scale = number("scale", 1.0);
    t.min = number("min", 0.0);
    const auto sep = j.find("text_separator");
    t.text_separator = sep != j.end() && sep->is_string() && sep->get<std::string>() == "\t" ? '\t' : ',';
    const auto inflated = j.find("inflated_length");
    t.inflated_length = inflated != j.end() && inflated->is_number_unsigned() ? inflated->get<std::uint64_t>() : 0;
    const auto err = j.find("error");
    t.error = err != j.end() && err->is_string() ? err->get<std::string>() : std::string();
    t.ranges.clear();  // where the bytes came from is the front end's business; decode needs only their length
    return true;
}

bool tensor_pending(const TensorEntry& entry) {
    return entry.error.empty() && entry.encoding == Encoding::npy && entry.dtype == DType::unknown;
}

double tensor_analysis_memory_bytes(const TensorEntry& entry, const LayerPlan& plan, double length) {
    const double storage = 4.0 * std::ceil(length / 4);
    if (tensor_pending(entry)) return storage + 8.0 * (length / 2) + 28.0 * (length / 2);
    double elements = 1;
    for (std::int64_t d : entry.shape) elements *= static_cast<double>(d);
    // In place, the storage is the values (when it holds them all: fewer bytes than the shape needs fail to decode).
    const double values = decodes_in_place(entry) ? std::max(0.0, 4.0 * elements - storage) : 4.0 * elements;
    const double slices = entry.shape.size() == 4 ? 4.0 * elements : 0.0;
    return storage + values + slices + analyze_layer_memory_bytes(plan.N, plan.M, plan.rf);
}

bool tensor_needs_reading(const TensorEntry& entry, const LayerPlan& plan, bool name_selected) {
    return entry.error.empty() && name_selected && (plan.analyze || tensor_pending(entry));
}

ordered_json listed_tensor_json(const TensorEntry& entry, const LayerPlan& plan, bool name_selected) {
    ordered_json j = tensor_entry_to_json(entry);
    const bool read = tensor_needs_reading(entry, plan, name_selected);
    j["kind"] = tensor_pending(entry) ? "pending" : to_string(plan.kind);
    j["analyze"] = read;
    j["skip_reason"] = read ? ordered_json()
                            : !entry.error.empty() ? ordered_json(valid_utf8(entry.error))
                            : !name_selected ? ordered_json("name not selected by the filter")
                                             : ordered_json(valid_utf8(plan.skip_reason));
    j["N"] = plan.N;
    j["M"] = plan.M;
    j["rf"] = plan.rf;
    j["num_evals"] = plan.num_evals;
    const double length = static_cast<double>(entry.compression == Compression::deflate ? entry.inflated_length : entry.stored_bytes());
    j["memory_bytes"] = read ? tensor_analysis_memory_bytes(entry, plan, length) : 0.0;
    return j;
}

ordered_json layer_figure_json(const std::vector<double>& eigenvalues, std::int64_t N, std::int64_t M, std::int64_t rf) {
    const LayerAnalysis a = analyze_layer_eigenvalues(eigenvalues, N, M, rf);
    const EsdFigure figure = esd_figure(a.eigenvalues, {}, a.mp, fit_line(a.hill), fit_line(a.ks));
    return esd_figure_to_json_value(figure);
}

}  // namespace spiketail
