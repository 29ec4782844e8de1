// Fuzz target: a run document as the page imports it (web/worker.js "figures" -> the wasm esdFigureOf): its
// config, each probe record and the first probe's eigenvalues as the initial spectrum, through
// core/io/figures_json.hpp esd_figure_from_record and the figure's JSON; and the whole document given as config
// and record at once, for shapes a run document does not have; and the run's findings (core/io/findings_json.hpp
// runs_findings_json, the wasm runFindings of the guided tour) of the document as one run and as a list of runs.
// Checks: nothing throws; the figure and the findings dump.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "io/figures_json.hpp"
#include "io/findings_json.hpp"

using namespace spiketail;

namespace {

// The numbers of record["eigenvalues"], as the page passes a probe's eigenvalues (Float64Array.from).
std::vector<double> eigenvalues_of(const nlohmann::json& record) {
    std::vector<double> out;
    if (!record.is_object()) return out;
    const auto it = record.find("eigenvalues");
    if (it == record.end() || !it->is_array()) return out;
    for (const nlohmann::json& v : *it)
        if (v.is_number()) out.push_back(v.get<double>());
    return out;
}

void draw(const nlohmann::json& config, const nlohmann::json& record, const std::vector<double>& initial) {
    (void)esd_figure_to_json_value(esd_figure_from_record(config, record, initial)).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // As wasm/bindings.cpp esd_figure_of: parse without exceptions; a discarded value is drawn as well.
    const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    draw(doc, doc, {});
    (void)runs_findings_json(nlohmann::json::array({doc})).dump();
    (void)runs_findings_json(doc).dump();
    if (!doc.is_object()) return 0;
    const auto config = doc.find("config");
    const auto probes = doc.find("probes");
    if (config == doc.end() || probes == doc.end() || !probes->is_array() || probes->empty()) return 0;
    const std::vector<double> initial = eigenvalues_of(probes->front());
    int drawn = 0;
    for (const nlohmann::json& record : *probes) {
        draw(*config, record, initial);
        if (++drawn == 16) break;  // throughput: each figure is a few histograms and fits
    }
    return 0;
}
