#include "figures.hpp"

#include <algorithm>
#include <cmath>

namespace spiketail {
namespace {

constexpr double k_ln10 = 2.302585092994045684;

std::vector<double> above_floor(const std::vector<double>& values) {
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v) && v > k_eigenvalue_floor) out.push_back(v);
    return out;
}

std::vector<double> log10_of(const std::vector<double>& values) {
    std::vector<double> out(values.size());
    std::transform(values.begin(), values.end(), out.begin(), [](double v) { return std::log10(v); });
    return out;
}

}  // namespace

double EsdRange::linear_hi() const { return std::pow(10.0, log_hi); }

EsdRange grow_esd_range(EsdRange range, const std::vector<double>& eigenvalues) {
    double lo = INFINITY, hi = -INFINITY;
    for (double v : eigenvalues)
        if (std::isfinite(v) && v > k_eigenvalue_floor) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (!(lo <= hi)) return range;
    const double step = k_esd_range_step;
    double log_lo = std::floor(std::log10(lo) / step) * step, log_hi = std::ceil(std::log10(hi) / step) * step;
    if (!(log_hi > log_lo)) log_hi = log_lo + step;  // all eigenvalues on one multiple of the step
    if (range.empty()) return EsdRange{log_lo, log_hi};
    return EsdRange{std::min(range.log_lo, log_lo), std::max(range.log_hi, log_hi)};
}

int esd_bins(std::size_t count) {
    const double bins = std::round(2.0 * std::sqrt(static_cast<double>(count)));
    return static_cast<int>(std::clamp(bins, 20.0, 80.0));
}

FitLine fit_line(const PowerLawFit& fit) {
    FitLine line;
    if (fit.ok()) {
        line.alpha = fit.alpha;
        line.xmin = fit.xmin;
    }
    return line;
}

PowerLawLines power_law_lines(const std::vector<double>& positive, const FitLine& fit) {
    PowerLawLines lines;
    if (!fit.ok() || positive.empty()) return lines;
    const double top = *std::max_element(positive.begin(), positive.end());
    const auto k = std::count_if(positive.begin(), positive.end(), [&](double v) { return v >= fit.xmin; });
    if (k == 0 || !(top > fit.xmin)) return lines;
    const double tail = static_cast<double>(k) / static_cast<double>(positive.size());
    const int last = k_power_law_curve_points - 1;
    for (int i = 0; i <= last; ++i) {
        const double x = fit.xmin * std::pow(top / fit.xmin, static_cast<double>(i) / last);
        const double survival = tail * std::pow(x / fit.xmin, 1.0 - fit.alpha);  // (k/N)(λ/x_min)^(1−α)
        lines.log_density.x.push_back(std::log10(x));
        lines.log_density.y.push_back((fit.alpha - 1.0) * survival * k_ln10);  // p(λ) λ ln 10
        lines.ccdf.x.push_back(x);
        lines.ccdf.y.push_back(survival);
    }
    return lines;
}

EsdFigure esd_figure(const std::vector<double>& eigenvalues, const std::vector<double>& initial, const MpLaw& mp,
                     const FitLine& hill, const FitLine& ks, const EsdRange& range) {
    EsdFigure f;
    const std::vector<double> current = above_floor(eigenvalues), start = above_floor(initial);
    f.dropped = static_cast<int>(eigenvalues.size() - current.size());
    if (current.empty()) return f;

    // The bulk and its outliers exactly as the probe counts them (session.cpp: the same fit_bulk on the same
    // eigenvalues), so the figure's spikes are the readout's num_spikes.
    f.bulk = fit_bulk(eigenvalues, mp);
    f.spikes = spikes_of(eigenvalues, f.bulk);

    // Current and initial share their bins, over the run's range, so the histograms compare bar by bar and
    // step by step.
    f.range = grow_esd_range(grow_esd_range(range, current), start);
    const int bins = esd_bins(current.size());
    f.log_current = histogram(log10_of(current), bins, f.range.log_lo, f.range.log_hi);
    if (!start.empty()) f.log_initial = histogram(log10_of(start), bins, f.range.log_lo, f.range.log_hi);
    f.linear_current = histogram(current, 2 * bins, 0.0, f.range.linear_hi());
    if (!start.empty()) f.linear_initial = histogram(start, 2 * bins, 0.0, f.range.linear_hi());

    const double mp_lo = mp.lower(), mp_hi = mp.upper();
    if (std::isfinite(mp_lo) && std::isfinite(mp_hi) && mp_hi > mp_lo) {
        for (int i = 0; i < k_mp_curve_points; ++i) {
            const double x = mp_lo + (mp_hi - mp_lo) * ((i + 0.5) / k_mp_curve_points);
            const double p = mp.density(x);
            f.mp_linear.x.push_back(x);
            f.mp_linear.y.push_back(p);
            f.mp_log.x.push_back(std::log10(x));
            f.mp_log.y.push_back(p * x * k_ln10);
        }
    }

    std::vector<double> sorted = current;
    std::sort(sorted.begin(), sorted.end());
    f.hill = power_law_lines(sorted, hill);
    f.ks = power_law_lines(sorted, ks);
    const double N = static_cast<double>(sorted.size());
    f.ccdf.x = sorted;
    f.ccdf.y.resize(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) f.ccdf.y[i] = (N - static_cast<double>(i)) / N;
    return f;
}

WeightFigure weight_figure(const MatrixF& W, const MatrixF& W0, int bins) {
    WeightFigure f;
    if (W.size() == 0 || W0.size() == 0 || bins < 1) return f;
    const double lo = std::min(W.minCoeff(), W0.minCoeff()), hi = std::max(W.maxCoeff(), W0.maxCoeff());
    const Histogram now = histogram(W, bins, lo, hi), then = histogram(W0, bins, lo, hi);
    f.edges = now.edges;
    f.current = now.density;
    f.initial = then.density;
    return f;
}

}  // namespace spiketail
