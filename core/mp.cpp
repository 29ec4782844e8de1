#include "mp.hpp"

#include <algorithm>
#include <cmath>

namespace spiketail {
namespace {
constexpr double k_pi = 3.14159265358979323846;
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

int count_spikes(const std::vector<double>& eigenvalues, const MpLaw& law) {
    const double threshold = law.spike_threshold();
    return static_cast<int>(std::count_if(eigenvalues.begin(), eigenvalues.end(),
                                          [threshold](double v) { return v > threshold; }));
}

}  // namespace spiketail
