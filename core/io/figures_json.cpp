#include "figures_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "json_values.hpp"

namespace spiketail {
namespace {

using Json = nlohmann::ordered_json;

Json histogram_or_null(const Histogram& h) {
    if (h.density.empty()) return nullptr;
    return Json{{"edges", h.edges}, {"density", h.density}};
}

Json curve_or_null(const Curve& c) {
    if (c.x.empty()) return nullptr;
    return Json{{"x", c.x}, {"y", c.y}};
}

FitLine line_of(const nlohmann::json& record, const char* alpha_key, const char* xmin_key) {
    FitLine line;
    const double alpha = number_or_nan(record, alpha_key), xmin = number_or_nan(record, xmin_key);
    if (std::isfinite(alpha) && std::isfinite(xmin)) {
        line.alpha = alpha;
        line.xmin = xmin;
    }
    return line;
}

}  // namespace

nlohmann::ordered_json esd_figure_to_json_value(const EsdFigure& f) {
    Json out = Json::object();
    out["dropped"] = f.dropped;
    if (f.range.empty()) {
        out["range"] = nullptr;
    } else {
        out["range"] = Json{{"log", {f.range.log_lo, f.range.log_hi}}, {"linear", {0.0, f.range.linear_hi()}}};
    }
    const double lower = f.bulk.lower(), upper = f.bulk.upper(), threshold = f.bulk.spike_threshold();
    if (std::isfinite(lower) && std::isfinite(upper) && std::isfinite(threshold) && upper > lower) {
        out["bulk"] = Json{{"lower", lower}, {"upper", upper}, {"threshold", threshold}, {"variance", f.bulk.variance}};
    } else {
        out["bulk"] = nullptr;
    }
    out["spikes"] = f.spikes;
    out["log"] = Json{{"current", histogram_or_null(f.log_current)},
                      {"initial", histogram_or_null(f.log_initial)},
                      {"mp", curve_or_null(f.mp_log)},
                      {"hill", curve_or_null(f.hill.log_density)},
                      {"ks", curve_or_null(f.ks.log_density)}};
    out["linear"] = Json{{"current", histogram_or_null(f.linear_current)},
                         {"initial", histogram_or_null(f.linear_initial)},
                         {"mp", curve_or_null(f.mp_linear)}};
    out["ccdf"] = Json{{"empirical", curve_or_null(f.ccdf)},
                       {"hill", curve_or_null(f.hill.ccdf)},
                       {"ks", curve_or_null(f.ks.ccdf)}};
    return out;
}

nlohmann::ordered_json weight_figure_to_json_value(const WeightFigure& f) {
    if (f.edges.empty()) return nullptr;
    return Json{{"edges", f.edges}, {"current", f.current}, {"initial", f.initial}};
}

EsdFigure esd_figure_from_record(const nlohmann::json& config, const nlohmann::json& record,
                                 const std::vector<double>& initial, const EsdRange& range) {
    std::vector<double> eigenvalues;
    if (record.is_object()) {
        const auto it = record.find("eigenvalues");
        if (it != record.end() && it->is_array())
            for (const auto& v : *it)
                if (v.is_number()) eigenvalues.push_back(v.get<double>());
    }
    // W0 is h x d with i.i.d. N(0, 1) entries (docs/method.md §6.2); no MP curve without a usable shape.
    MpLaw mp;
    const double h = number_or_nan(config, "h"), d = number_or_nan(config, "d");
    if (std::isfinite(h) && std::isfinite(d) && h >= 1 && d >= 1) {
        mp.rows = h;
        mp.cols = d;
    } else {
        mp.rows = mp.cols = NAN;
    }
    return esd_figure(eigenvalues, initial, mp, line_of(record, "alpha_hill", "hill_xmin"),
                      line_of(record, "alpha_ks", "ks_xmin"), range);
}

}  // namespace spiketail
