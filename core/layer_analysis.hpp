// WeightWatcher's per-layer metrics from a layer's ESD (weightwatcher.py 0.7.5.5: apply_esd, apply_powerlaw,
// apply_norm_metrics; RMT_Util.py: matrix_entropy, calc_mp_soft_rank; docs/method.md §15).
//
// Matrices W_s (s = 1..rf), each N x M after orientation (N >= M). ESD: the eigenvalues of every W_s^T W_s
// pooled, λ_1 <= ... <= λ_n, n = num_evals = M·rf, not normalised (squared singular values).
//   lambda_max = spectral_norm = λ_n            norm = Σλ (= Σ ||W_s||_F^2)      log_norm = log10 norm
//   log_spectral_norm = log10 λ_n               stable_rank = norm / λ_n
//   alpha, xmin, D, sigma: the KS-selected power law (powerlaw.hpp ks_alpha = WW's WWFit over λ > 1e-5)
//   alpha_weighted = α log10 λ_n                log_alpha_norm = log10 Σ λ_i^α
//   num_pl_spikes = #{λ >= xmin}                warning: α < 2 "over-trained", α > 6 "under-trained"
//   entropy = −Σ p_i ln p_i / ln r,  p_i = λ_i/Σλ + 1e-10, r = rank + 1e-10 (WW's matrix_entropy),
//             rank = #{√λ_i > √λ_n N eps64} (WW's matrix_rank)
//   MP reference: variance s² = norm / (N M rf) (the entry variance, as WW's randomised W has), edges
//   s²(√N ± √M)²; mp_softrank = λ_+ / λ_n (WW's calc_mp_soft_rank), num_spikes = #{λ > λ_+ + 4 TW} (mp.hpp)
//   alpha_hill: Hill's estimate at x_min = the median (spiketail's PL_Alpha_Hill)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mp.hpp"
#include "powerlaw.hpp"
#include "types.hpp"

namespace spiketail {

// WeightWatcher's warning thresholds (constants.py OVER_TRAINED_THRESH, UNDER_TRAINED_THRESH).
constexpr double k_over_trained_alpha = k_heavy_tail_alpha;  // 2
constexpr double k_under_trained_alpha = 6.0;
// WW's matrix_entropy adds this to every p_i and to the rank (constants.py EPSILON).
constexpr double k_entropy_epsilon = 1e-10;

struct LayerAnalysis {
    bool ok = false;
    std::string message;                 // why there is no spectrum (non-finite weights)
    std::int64_t N = 0, M = 0, rf = 1, num_evals = 0;
    double Q = 0;                        // N / M
    std::vector<double> eigenvalues;     // pooled, ascending
    double lambda_max = 0, norm = 0, log_norm = 0, log_spectral_norm = 0, stable_rank = 0;
    double entropy = 0, mp_softrank = 0;
    std::int64_t rank = 0;               // WW's matrix_rank from √λ (for entropy)
    PowerLawFit ks, hill;
    double alpha_weighted = 0, log_alpha_norm = 0;  // meaningful when ks.ok()
    std::int64_t num_pl_spikes = 0, num_spikes = 0;
    MpLaw mp;
    std::string warning;                 // "", "over-trained", "under-trained"
};

// The squared singular values of one matrix, ascending: the one call into the eigensolver (spectrum.hpp's
// esd_eigenvalues, the smaller Gram in double), so that a faster solver drops in there.
std::vector<double> matrix_eigenvalues(const MatrixF& W);

// Every metric from a layer's matrices (N x M each, either orientation); the pooled eigenvalues are multiplied by
// eigenvalue_scale first (weight_layers.hpp: 1/2 for a Conv2D layer, as WeightWatcher's conv2d_norm).
LayerAnalysis analyze_layer(const std::vector<MatrixF>& matrices, std::int64_t N, std::int64_t M,
                            double eigenvalue_scale = 1.0);
// The same from eigenvalues already computed (any order).
LayerAnalysis analyze_layer_eigenvalues(std::vector<double> eigenvalues, std::int64_t N, std::int64_t M, std::int64_t rf);

// Bytes analyze_layer holds at its peak beyond the matrices themselves: one slice's Gram and eigensolver work
// (spectrum.hpp esd_work_memory_bytes) and the pooled eigenvalues.
double analyze_layer_memory_bytes(std::int64_t N, std::int64_t M, std::int64_t rf);

}  // namespace spiketail
