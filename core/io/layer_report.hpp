// One tensor of a model file -> its row of the analysis table, as JSON; the same object in the CLI's
// `analyze` document and from the wasm module (docs/schema.md "Analyze document").
//
//   entry + bytes --decode_tensor--> values --plan_layer/layer_matrices--> matrices --analyze_layer--> row
//
// A row has every column of k_layer_columns; a value that does not apply is null (a skipped tensor has no
// alpha; a failed fit has none either, where WeightWatcher writes -1). Index entries cross as JSON too, so
// that the page can hand an entry of modelIndex back to analyzeLayer unchanged.
#pragma once
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "../layer_analysis.hpp"
#include "../weight_layers.hpp"
#include "model_index.hpp"
#include "tensor_index.hpp"

namespace spiketail {

// The row's keys in order (also the CSV header).
extern const std::vector<std::string> k_layer_columns;

struct LayerReport {
    nlohmann::ordered_json row;
    std::vector<double> eigenvalues;  // the pooled ESD when analysed (for the figures)
    bool analysed = false;            // status "success" or "failed" (a fit that could not be made)
};

// The row of a tensor that will not be analysed (filtered, not a matrix, unreadable).
nlohmann::ordered_json skipped_row(const std::string& file, const TensorEntry& entry, const LayerPlan& plan);
// Decodes and analyses one tensor (bytes: its ranges concatenated, a deflated member inflated).
LayerReport analyze_tensor(const std::string& file, const TensorEntry& entry, const std::uint8_t* bytes, std::size_t size,
                           const LayerOptions& options, bool name_selected);
// The same from storage holding the bytes (tensor_decode.hpp tensor_storage): a float32 layer is analysed in the
// storage itself, without a second copy; the storage is consumed.
LayerReport analyze_tensor_storage(const std::string& file, const TensorEntry& entry, MatrixF&& storage, std::size_t size,
                                   const LayerOptions& options, bool name_selected);
// The row of an analysis (the file and name columns from the arguments).
nlohmann::ordered_json layer_row(const std::string& file, const TensorEntry& entry, LayerKind kind, const LayerAnalysis& a);

// The CSV of rows (header k_layer_columns; a shape as 768x2304; null as empty; text quoted when needed).
std::string layer_rows_csv(const std::vector<nlohmann::ordered_json>& rows);

// An index entry as JSON {name, dtype, shape, ranges: [{file, offset, length}], ...} and back (the parse
// names the bad field; a shape or range is re-checked against the caps).
nlohmann::ordered_json tensor_entry_to_json(const TensorEntry& entry);
bool tensor_entry_from_json(const nlohmann::json& json, TensorEntry& entry, std::string& error);
// An npz member not yet read: its dtype and shape come from its own .npy header, after inflating.
bool tensor_pending(const TensorEntry& entry);
// The most memory analysing one tensor takes, in bytes, from its `length` bytes as analyze_tensor_storage gets
// them (the ranges concatenated, a deflated member inflated): the storage of those bytes, their float32 values
// unless the storage becomes them (decodes_in_place), a Conv2D kernel's slices (built before its stored-order
// values are freed) and the analysis' work space (analyze_layer_memory_bytes). An npz member not yet read has no
// dtype or shape: at most one value per 2 bytes (F16), values twice and a Gram of as many entries.
double tensor_analysis_memory_bytes(const TensorEntry& entry, const LayerPlan& plan, double length);
// Whether a front end reads this tensor's bytes: readable, selected by name, and a layer (or pending).
bool tensor_needs_reading(const TensorEntry& entry, const LayerPlan& plan, bool name_selected);
// The index entry with its layer plan for listing: kind ("pending" for an npz member not yet read), analyze
// (tensor_needs_reading), skip_reason, N, M, rf, num_evals, memory_bytes (tensor_analysis_memory_bytes: what a
// front end budgets for analysing it, e.g. how many workers may hold such layers at once).
nlohmann::ordered_json listed_tensor_json(const TensorEntry& entry, const LayerPlan& plan, bool name_selected);

// The per-layer figures (figures.hpp) of an ESD: log/linear histograms with the MP law and both power-law lines,
// and the tail CCDF; N, M, rf give the MP law as analyze_layer does.
nlohmann::ordered_json layer_figure_json(const std::vector<double>& eigenvalues, std::int64_t N, std::int64_t M, std::int64_t rf);

}  // namespace spiketail
