// The document of an analysis of model files (docs/schema.md "Analyze document"), assembled in one place for
// both front ends: `spiketail analyze` writes it, the page's "Analyze weights" view shows and exports it.
//
//   {files: [{file, format, bytes, tensors, error, layers, skipped: [{name, kind, shape, reason}], summary}],
//    layers: [row, ...]}
//
// A file's results are its tensors' rows in file order (io/layer_report.hpp): a row of status "skipped" goes to
// the file's `skipped` list, any other to `layers`. summary: WeightWatcher's get_summary(), the mean of each
// of its summary columns over the file's layers that have a value (pandas' mean skips NaN; here: null).
#pragma once
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace spiketail {

// The columns a file's summary averages, in order (WeightWatcher 0.7's get_summary).
extern const std::vector<std::string> k_summary_columns;

struct AnalyzedFile {
    std::string file;     // as given (a path for the CLI, a file name in the page)
    std::string format;   // to_string(ModelFormat)
    std::uint64_t bytes = 0;
    std::uint64_t tensors = 0;  // how many its index lists
    std::string error;          // why it could not be read (then it has no results)
    std::vector<nlohmann::ordered_json> results;  // rows in file order; a null entry (not analysed yet) is left out
};

// The means of k_summary_columns over rows (null where no row has a finite value), and the count of rows.
nlohmann::ordered_json layer_summary(const std::vector<nlohmann::ordered_json>& rows);

nlohmann::ordered_json analyze_document(const std::vector<AnalyzedFile>& files);

// The document's layers as CSV (layer_rows_csv of its "layers").
std::string analyze_document_csv(const nlohmann::ordered_json& document);

// An AnalyzedFile from the JSON the page sends ({file, format, bytes, tensors, error, results}), parsed as
// ordered_json; each row gets every column of k_layer_columns in order (missing: null). false with the bad
// field named in `error`.
bool analyzed_file_from_json(const nlohmann::ordered_json& json, AnalyzedFile& out, std::string& error);

}  // namespace spiketail
