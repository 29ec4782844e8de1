// Marchenko-Pastur reference for the ESD of a random matrix (docs/method.md §6).
//
// W: rows x cols with i.i.d. entries of variance s2, rows >= cols, q = cols / rows.
// The eigenvalues of W^T W (cols x cols) fill  s2 * rows * [(1 - sqrt q)^2, (1 + sqrt q)^2]  with density
//   p(x) = sqrt((x_+ - x)(x - x_-)) / (2 pi s2 rows q x)   (x_- <= x <= x_+).
// When rows < cols the roles swap (the nonzero spectrum of W W^T is the same).
// Eigenvalues above x_+ plus a Tracy-Widom margin count as spikes.
#pragma once
#include <vector>

namespace spiketail {

struct MpLaw {
    double rows = 1, cols = 1, variance = 1;
    double lower() const;
    double upper() const;
    double density(double x) const;  // density of the eigenvalues of the smaller Gram matrix
    // Upper edge plus a margin of k_tw_sigmas standard deviations of the Tracy-Widom law of lambda_max.
    double spike_threshold() const;
};

// Scale of the Tracy-Widom fluctuations of lambda_max is s2 (sqrt r + sqrt c)(1/sqrt r + 1/sqrt c)^(1/3);
// 4 of them put the threshold at about the TW1 99.98% point (its 99.9% quantile is 3.27), so noise is not counted.
constexpr double k_tw_sigmas = 4.0;

int count_spikes(const std::vector<double>& eigenvalues, const MpLaw& law);

}  // namespace spiketail
