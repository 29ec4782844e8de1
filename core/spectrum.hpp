// The spectral analysis of one weight matrix: the ESD and everything measured from it (docs/method.md §6).
// Takes a matrix, not a training session, so that any weight matrix can be analysed.
//
// W: rows x cols. ESD = eigenvalues of the smaller Gram matrix (W^T W if rows >= cols, else W W^T),
// not normalised (as WeightWatcher), i.e. the squared singular values of W.
#pragma once
#include <vector>

#include "mp.hpp"
#include "powerlaw.hpp"
#include "types.hpp"

namespace spiketail {

struct SpectralSummary {
    std::vector<double> eigenvalues;  // ascending, all of them (including those below the fit floor)
    PowerLawFit hill, ks, peak;
    double spectral_norm = 0;         // lambda_max
    double frobenius_norm = 0;        // ||W||_F^2 = sum lambda
    double alpha_weighted = 0;        // alpha_KS * log10 lambda_max (0 when the fit failed)
    double log_spectral_norm = 0;     // log10 lambda_max
    double stable_rank = 0;           // sum lambda / lambda_max
    MpLaw mp;
    int num_spikes = 0;
};

// Squared singular values of W, ascending: eigenvalues only of the smaller Gram matrix, summed and reduced to
// tridiagonal form in float, the tridiagonal's eigenvalues in double (symeig.hpp symmetric_eigenvalues).
std::vector<double> esd_eigenvalues(const MatrixF& W);

// Right singular vectors and squared singular values of W, descending: W^T W = V diag(s2) V^T.
struct RightSvd {
    MatrixD V;           // cols x r, columns ordered by descending s2 (r = all, or the top k)
    VectorD s2;          // every squared singular value, descending
    VectorD projection;  // <v_i, b> for every right singular vector v_i, when a vector b was given
};
// Every right singular vector (Eigen's dense solver: the reference the fast path is tested against).
RightSvd right_svd(const MatrixF& W);
// Only the top k singular vectors, and the projections of b (cols) on all of them (symeig.hpp):
// the cost of the eigenvalues alone.
RightSvd top_right_svd(const MatrixF& W, int k, const VectorD* b = nullptr);

// mp_variance: the entry variance of the random reference; <= 0 fits it to the bulk (fit_bulk, mp.hpp).
SpectralSummary analyze_spectrum(const MatrixF& W, double mp_variance);
// An upper bound of the bytes analyze_spectrum of a rows x cols matrix holds at its peak, W included: W and the
// smaller Gram matrix in float (reduced in place), and per row of the Gram the reduction's panel W (32 floats),
// its rank-2k operands (2 x 64 floats), the symv's partial sums (8 floats) and T, the eigenvalues and the fits'
// arrays in double: under 2 KB per row.
constexpr double k_eigenvalue_work_bytes_per_row = 2048.0;
double analyze_spectrum_memory_bytes(double rows, double cols);
// The same without the matrix itself (the Gram and the eigensolver's work): what esd_eigenvalues adds to W.
double esd_work_memory_bytes(double rows, double cols);
SpectralSummary summarize_eigenvalues(std::vector<double> eigenvalues, const MpLaw& mp);

struct Histogram {
    std::vector<double> edges;    // bins + 1
    std::vector<double> density;  // bins; integrates to 1 over the edges
};
// The most bins a histogram has: a figure needs tens; a million is 16 MB of edges and densities.
constexpr int k_max_histogram_bins = 1000000;
// Density histogram of values in [lo, hi]; lo >= hi means the values' own range. Empty for bins outside
// 1..k_max_histogram_bins.
Histogram histogram(const std::vector<double>& values, int bins, double lo = 0, double hi = 0);
// The same over the entries of a matrix (e.g. the weights W).
Histogram histogram(const MatrixF& values, int bins, double lo = 0, double hi = 0);

}  // namespace spiketail
