// Figure data (figures.hpp) as JSON for the page, and the ESD figure of a probe record read back from a run
// document (an imported file), so that a stored run is drawn exactly as a live one.
//
// {"dropped": int,
//  "range":  {"log": [lo, hi], "linear": [0, hi]} | null     what the histograms cover (the x axes)
//  "bulk":   {"lower", "upper", "threshold", "variance"} | null   the MP law of the bulk now (mp.hpp fit_bulk)
//  "spikes": [λ, ...]                                          the spikes (mp.hpp spikes_of), descending
//  "log":    {"current": {edges, density}, "initial": {edges, density} | null, "mp": {x, y} | null,
//             "hill": {x, y} | null, "ks": {x, y} | null},                                   x = log10 λ
//  "linear": {"current", "initial", "mp"},                                                  x = λ
//  "ccdf":   {"empirical": {x, y} | null, "hill": {x, y} | null, "ks": {x, y} | null}}       x = λ
// Method: docs/method.md §6.7.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "../figures.hpp"

namespace spiketail {

nlohmann::ordered_json esd_figure_to_json_value(const EsdFigure& figure);
nlohmann::ordered_json weight_figure_to_json_value(const WeightFigure& figure);

// The ESD figure of a stored probe record (with "eigenvalues") of a run with the given config: the MP law of
// its h x d initialisation, the fits of its alpha_hill/hill_xmin and alpha_ks/ks_xmin. Missing or malformed
// parts leave their curves out; nothing throws.
// range: as esd_figure's (empty: the record's and initial eigenvalues' own).
EsdFigure esd_figure_from_record(const nlohmann::json& config, const nlohmann::json& record,
                                 const std::vector<double>& initial, const EsdRange& range = {});

}  // namespace spiketail
