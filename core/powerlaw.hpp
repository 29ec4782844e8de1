// Power-law fits of the ESD tail, p(lambda) ~ lambda^(-alpha) for lambda >= x_min (docs/method.md §6),
// following Clauset, Shalizi & Newman (2009) and WeightWatcher's PL_Alpha_Hill / PL_Alpha_KS.
//
// eigenvalues sorted ascending lambda_1..lambda_N (values <= 1e-5 dropped first), candidate x_min = lambda_i:
//   k_i     = N - i
//   alpha_i = 1 + k_i / sum_{j >= i} ln(lambda_j / lambda_i)             (Hill / maximum likelihood)
//   D_i     = max_{m < k_i} | 1 - (lambda_{i+m} / lambda_i)^(1 - alpha_i) - m / k_i |   (KS distance)
//   sigma   = (alpha - 1) / sqrt(k)
#pragma once
#include <string>
#include <vector>

namespace spiketail {

enum class FitStatus { ok, too_few, degenerate, non_finite };

struct PowerLawFit {
    FitStatus status = FitStatus::too_few;
    std::string message;      // why the fit could not be made; empty when ok
    double alpha = 0.0;
    double xmin = 0.0;
    double D = 0.0;           // KS distance of the fit (also reported for the Hill fit)
    double sigma = 0.0;       // standard error (alpha - 1) / sqrt(k)
    int k = 0;                // eigenvalues in the tail
    bool ok() const { return status == FitStatus::ok; }
};

// Eigenvalues at or below this are numerical zeros of a rank-deficient Gram matrix.
constexpr double k_eigenvalue_floor = 1e-5;
// Fewer eigenvalues than this above the floor give no meaningful tail fit.
constexpr int k_min_fit_eigenvalues = 10;
// alpha below this is a very heavy tail (WeightWatcher's "over-trained" warning, docs/method.md §8); the
// figures draw it as their reference line.
constexpr double k_heavy_tail_alpha = 2.0;
// Above this alpha a fitted "tail" decays faster than any heavy tail: it is no power law. A random (MP) bulk
// has no power-law tail, and the KS scan then settles on its last few eigenvalues with an alpha of 20-30 (28.9
// at step 0 of the study's run). WeightWatcher's "under-trained" warning uses the same bound (docs/method.md §8).
constexpr double k_no_power_law_alpha = 6.0;

// What a fit says about the tail, the one reading every front end shows (docs/method.md §6.3):
//   heavy         alpha < k_heavy_tail_alpha
//   power_law     k_heavy_tail_alpha <= alpha <= k_no_power_law_alpha
//   no_power_law  alpha > k_no_power_law_alpha, or a tail of fewer than k_min_fit_eigenvalues eigenvalues
//                 (a straight line through a handful of points is not a power law)
//   no_fit        the fit could not be made (its status says why)
enum class TailShape { heavy, power_law, no_power_law, no_fit };
TailShape tail_shape(const PowerLawFit& fit);
const char* to_string(TailShape shape);

// x_min = median eigenvalue (PL_Alpha_Hill).
PowerLawFit hill_alpha(const std::vector<double>& eigenvalues);
// x_min chosen by the smallest KS distance over every candidate (PL_Alpha_KS).
PowerLawFit ks_alpha(const std::vector<double>& eigenvalues);
// As ks_alpha, but only candidates within [0.95, 1.5] x the peak of a 100-bin histogram of log10 lambda.
PowerLawFit ks_alpha_peak(const std::vector<double>& eigenvalues);

const char* to_string(FitStatus status);

}  // namespace spiketail
