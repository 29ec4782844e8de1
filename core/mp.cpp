#include "mp.hpp"

#include <algorithm>
#include <cmath>

namespace spiketail {
namespace {
constexpr double k_pi = 3.14159265358979323846;
// Nodes of the midpoint rule in theta for the MP cumulative distribution: with x = mid + half cos(theta) the
// square-root edges become sin(theta) factors and the integrand is smooth, so 2000 nodes put the median within
// ~1e-9 relative, far below the sampling spread of a median of 1000 eigenvalues (~1e-2).
constexpr int k_cdf_nodes = 2000;
}

// With R = max(rows, cols), C = min(rows, cols): x_-/+ = s2 (sqrt R -/+ sqrt C)^2, symmetric in rows and cols.
double MpLaw::lower() const {
    const double r = std::sqrt(rows) - std::sqrt(cols);
    return variance * r * r;
}

double MpLaw::upper() const {
    const double r = std::sqrt(rows) + std::sqrt(cols);
    return variance * r * r;
}

double MpLaw::density(double x) const {
    const double lo = lower(), hi = upper();
    if (x <= lo || x >= hi || x <= 0) return 0.0;
    const double smaller = std::min(rows, cols);
    return std::sqrt((hi - x) * (x - lo)) / (2.0 * k_pi * variance * smaller * x);
}

double MpLaw::spike_threshold() const {
    const double sr = std::sqrt(rows), sc = std::sqrt(cols);
    const double tw_scale = variance * (sr + sc) * std::cbrt(1.0 / sr + 1.0 / sc);
    return upper() + k_tw_sigmas * tw_scale;
}

double MpLaw::median() const {
    const double lo = lower(), hi = upper();
    if (!(hi > lo) || !std::isfinite(hi)) return 0.0;
    const double mid = (lo + hi) / 2, half = (hi - lo) / 2, dtheta = k_pi / k_cdf_nodes;
    // Mass below x(theta), accumulated from theta = pi (x = x_-) towards theta = 0 (x = x_+).
    double mass = 0;
    for (int i = k_cdf_nodes - 1; i >= 0; --i) {
        const double theta = (i + 0.5) * dtheta;
        const double x = mid + half * std::cos(theta);
        const double piece = density(x) * half * std::sin(theta) * dtheta;
        if (mass + piece >= 0.5) {
            // Linear within the node's interval [theta_i - dtheta/2, theta_i + dtheta/2].
            const double t = (0.5 - mass) / piece;
            return mid + half * std::cos(theta + dtheta / 2 - t * dtheta);
        }
        mass += piece;
    }
    return hi;
}

MpLaw fit_bulk(const std::vector<double>& eigenvalues, const MpLaw& shape) {
    std::vector<double> values;
    values.reserve(eigenvalues.size());
    for (double v : eigenvalues)
        if (std::isfinite(v)) values.push_back(v);
    if (values.empty()) return shape;
    const std::size_t half = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + half, values.end());
    double median = values[half];
    if (values.size() % 2 == 0) median = (median + *std::max_element(values.begin(), values.begin() + half)) / 2;
    MpLaw unit = shape;
    unit.variance = 1.0;
    const double unit_median = unit.median();
    if (!(median > 0) || !(unit_median > 0)) return shape;
    MpLaw bulk = shape;
    bulk.variance = median / unit_median;  // every quantile of the law scales with s2
    return bulk;
}

std::vector<double> spikes_of(const std::vector<double>& eigenvalues, const MpLaw& law) {
    std::vector<double> sorted;
    sorted.reserve(eigenvalues.size());
    for (double v : eigenvalues)
        if (std::isfinite(v)) sorted.push_back(v);
    std::sort(sorted.begin(), sorted.end());
    const double threshold = law.spike_threshold();
    const auto first = std::upper_bound(sorted.begin(), sorted.end(), threshold) - sorted.begin();
    for (auto i = std::max<std::ptrdiff_t>(first, 1); i < static_cast<std::ptrdiff_t>(sorted.size()); ++i) {
        if (sorted[i] >= k_spike_gap * sorted[i - 1]) return std::vector<double>(sorted.rbegin(), sorted.rend() - i);
    }
    return {};
}

int count_spikes(const std::vector<double>& eigenvalues, const MpLaw& law) {
    const double threshold = law.spike_threshold();
    return static_cast<int>(std::count_if(eigenvalues.begin(), eigenvalues.end(),
                                          [threshold](double v) { return v > threshold; }));
}

}  // namespace spiketail
