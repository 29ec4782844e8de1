#include "analyze_document.hpp"

#include <cmath>

#include "layer_report.hpp"

namespace spiketail {
namespace {

using ordered_json = nlohmann::ordered_json;

}  // namespace

const std::vector<std::string> k_summary_columns = {"alpha", "alpha_weighted", "log_norm", "log_alpha_norm",
                                                   "log_spectral_norm", "stable_rank", "mp_softrank"};

ordered_json layer_summary(const std::vector<ordered_json>& rows) {
    ordered_json summary = ordered_json::object();
    summary["layers"] = rows.size();
    for (const std::string& column : k_summary_columns) {
        double sum = 0;
        std::size_t count = 0;
        for (const ordered_json& row : rows) {
            const auto it = row.find(column);
            if (it == row.end() || !it->is_number()) continue;
            const double v = it->get<double>();
            if (!std::isfinite(v)) continue;
            sum += v;
            ++count;
        }
        summary[column] = count > 0 ? ordered_json(sum / static_cast<double>(count)) : ordered_json();
    }
    return summary;
}

ordered_json analyze_document(const std::vector<AnalyzedFile>& files) {
    ordered_json file_list = ordered_json::array(), layers = ordered_json::array();
    for (const AnalyzedFile& f : files) {
        ordered_json entry = ordered_json::object();
        entry["file"] = f.file;
        entry["format"] = f.format;
        entry["bytes"] = f.bytes;
        entry["tensors"] = f.tensors;
        entry["error"] = f.error.empty() ? ordered_json() : ordered_json(f.error);
        ordered_json skipped = ordered_json::array();
        std::vector<ordered_json> analysed;
        for (const ordered_json& row : f.results) {
            if (row.is_null()) continue;
            if (row.value("status", "") == "skipped") {
                skipped.push_back({{"name", row["name"]}, {"kind", row["kind"]}, {"shape", row["shape"]}, {"reason", row["message"]}});
                continue;
            }
            analysed.push_back(row);
        }
        entry["layers"] = analysed.size();
        entry["skipped"] = std::move(skipped);
        entry["summary"] = layer_summary(analysed);
        for (ordered_json& row : analysed) layers.push_back(std::move(row));
        file_list.push_back(std::move(entry));
    }
    ordered_json document = ordered_json::object();
    document["files"] = std::move(file_list);
    document["layers"] = std::move(layers);
    return document;
}

std::string analyze_document_csv(const ordered_json& document) {
    std::vector<ordered_json> rows;
    if (document.contains("layers") && document["layers"].is_array())
        for (const ordered_json& row : document["layers"]) rows.push_back(row);
    return layer_rows_csv(rows);
}

bool analyzed_file_from_json(const ordered_json& j, AnalyzedFile& out, std::string& error) {
    if (!j.is_object()) {
        error = "a file must be an object {file, format, bytes, tensors, error, results}";
        return false;
    }
    auto text = [&](const char* key, std::string& target) {
        const auto it = j.find(key);
        if (it == j.end() || it->is_null()) return true;
        if (!it->is_string()) {
            error = std::string(key) + " must be a string";
            return false;
        }
        target = it->get<std::string>();
        return true;
    };
    auto count = [&](const char* key, std::uint64_t& target) {
        const auto it = j.find(key);
        if (it == j.end()) return true;
        if (!it->is_number_unsigned()) {
            error = std::string(key) + " must be an integer >= 0";
            return false;
        }
        target = it->get<std::uint64_t>();
        return true;
    };
    if (!text("file", out.file) || !text("format", out.format) || !text("error", out.error) || !count("bytes", out.bytes) ||
        !count("tensors", out.tensors))
        return false;
    const auto results = j.find("results");
    if (results == j.end()) return true;
    if (!results->is_array()) {
        error = "results must be an array of rows";
        return false;
    }
    for (const auto& row : *results) {
        if (row.is_null()) {
            out.results.push_back(row);
            continue;
        }
        if (!row.is_object()) {
            error = "results: a row must be an object (or null)";
            return false;
        }
        // Every column, in the CLI's order, whatever the front end sent (a row it wrote itself for a tensor
        // that could not be read has only some): missing ones are null, as in every row.
        ordered_json full = ordered_json::object();
        for (const std::string& column : k_layer_columns) {
            const auto it = row.find(column);
            full[column] = it == row.end() ? ordered_json() : *it;
        }
        out.results.push_back(std::move(full));
    }
    return true;
}

}  // namespace spiketail
