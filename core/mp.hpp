// Marchenko-Pastur reference for the ESD of a random matrix (docs/method.md §6).
//
// W: rows x cols with i.i.d. entries of variance s2, rows >= cols, q = cols / rows.
// The eigenvalues of W^T W (cols x cols) fill  s2 * rows * [(1 - sqrt q)^2, (1 + sqrt q)^2]  with density
//   p(x) = sqrt((x_+ - x)(x - x_-)) / (2 pi s2 rows q x)   (x_- <= x <= x_+).
// When rows < cols the roles swap (the nonzero spectrum of W W^T is the same).
// Spikes are the outliers of the spectrum *now*: above the spike threshold (x_+ plus a Tracy-Widom margin) of the
// bulk's law — W0's shape, its variance s2 fitted so that the law's median is the median eigenvalue (fit_bulk) —
// and set apart from the eigenvalues below them by a gap (k_spike_gap): a trained bulk also stretches its top
// beyond the MP edge, continuously, and that is the start of a tail, not a spike.
#pragma once
#include <vector>

namespace spiketail {

struct MpLaw {
    double rows = 1, cols = 1, variance = 1;
    double lower() const;
    double upper() const;
    double density(double x) const;  // density of the eigenvalues of the smaller Gram matrix
    // The x with half the law's mass below it (0 when the support is degenerate).
    double median() const;
    // Upper edge plus a margin of k_tw_sigmas standard deviations of the Tracy-Widom law of lambda_max.
    double spike_threshold() const;
};

// Scale of the Tracy-Widom fluctuations of lambda_max is s2 (sqrt r + sqrt c)(1/sqrt r + 1/sqrt c)^(1/3);
// 4 of them put the threshold at about the TW1 99.98% point (its 99.9% quantile is 3.27), so noise is not counted.
constexpr double k_tw_sigmas = 4.0;

// A spike stands apart: at least this factor above the next lower eigenvalue (or above the gap that starts the
// group of spikes). Eigenvalues at a random bulk's edge are 1-4% apart, also when training has stretched it (the
// study's run after one Adam step: 7468 -> 7726 at the top of the bulk, then the spike at 1.0e6); 25% is several
// times that, and an outlier from the one-step theory (BBP) is far further out.
constexpr double k_spike_gap = 1.25;

// The spikes, descending: the eigenvalues above the lowest gap of at least k_spike_gap (λ_i >= k_spike_gap λ_{i-1},
// ascending) among those above law.spike_threshold(); none when no such gap exists (a continuous tail).
std::vector<double> spikes_of(const std::vector<double>& eigenvalues, const MpLaw& law);
// #{λ > law.spike_threshold()}, no gap asked (WeightWatcher's num_spikes of a layer, layer_analysis.cpp). A probe's
// num_spikes is spikes_of(...).size().
int count_spikes(const std::vector<double>& eigenvalues, const MpLaw& law);

// The MP law of the current bulk: the shape (rows, cols) of `shape`, its variance s2 chosen so that the law's
// median equals the median of the eigenvalues. Training widens the bulk (W_t = W0 + updates whose entries are
// not small), so W0's edge would count the widened bulk's top as spikes (74 of them after one Adam step of the
// study's run, where the figure shows one outlier); a spike or a tail moves the median of N eigenvalues by at
// most a few of N positions, while it inflates their mean (||W||_F^2), so the fitted edge follows the bulk.
// Returns `shape` unchanged when the median is not positive or the shape's support is degenerate.
MpLaw fit_bulk(const std::vector<double>& eigenvalues, const MpLaw& shape);

}  // namespace spiketail
