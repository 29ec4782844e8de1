#include "layer_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "elementwise.hpp"
#include "spectrum.hpp"

namespace spiketail {
namespace {

// WW's matrix_rank: σ_i > σ_max N eps64, here σ_i = √λ_i. The same count for a full-rank layer, whose smallest
// eigenvalues can lie far below the float Gram's rounding (~1e-8 λ_max, measured) and still count, as in WW.
// A rank-deficient layer's zero eigenvalues come out as rounding noise, not 0: the positive ones count too.
double rank_threshold(double lambda_max, std::int64_t N) {
    const double sigma = std::sqrt(lambda_max) * static_cast<double>(N) * std::numeric_limits<double>::epsilon();
    return sigma * sigma;
}

}  // namespace

std::vector<double> matrix_eigenvalues(const MatrixF& W) { return esd_eigenvalues(W); }

LayerAnalysis analyze_layer(const std::vector<MatrixF>& matrices, std::int64_t N, std::int64_t M, double eigenvalue_scale) {
    std::vector<double> pooled;
    for (std::size_t s = 0; s < matrices.size(); ++s) {
        if (!all_finite(matrices[s])) {
            LayerAnalysis a;
            a.N = N;
            a.M = M;
            a.rf = static_cast<std::int64_t>(matrices.size());
            a.message = "the weights hold a NaN or an infinity" +
                        (matrices.size() > 1 ? " (slice " + std::to_string(s) + ")" : std::string());
            return a;
        }
        for (double v : matrix_eigenvalues(matrices[s])) pooled.push_back(v * eigenvalue_scale);
    }
    return analyze_layer_eigenvalues(std::move(pooled), N, M, static_cast<std::int64_t>(matrices.size()));
}

LayerAnalysis analyze_layer_eigenvalues(std::vector<double> eigenvalues, std::int64_t N, std::int64_t M, std::int64_t rf) {
    LayerAnalysis a;
    a.N = N;
    a.M = M;
    a.rf = rf;
    a.Q = M > 0 ? static_cast<double>(N) / static_cast<double>(M) : 0.0;
    std::sort(eigenvalues.begin(), eigenvalues.end());
    // A Gram's rounding can leave a zero eigenvalue slightly negative; an SVD's squares never are.
    for (double& v : eigenvalues) v = std::max(v, 0.0);
    a.eigenvalues = std::move(eigenvalues);
    a.num_evals = static_cast<std::int64_t>(a.eigenvalues.size());
    if (a.eigenvalues.empty() || !(a.eigenvalues.back() > 0)) {
        a.message = a.eigenvalues.empty() ? "no eigenvalues" : "every eigenvalue is zero (a zero matrix)";
        return a;
    }
    a.ok = true;
    const std::vector<double>& ev = a.eigenvalues;
    a.lambda_max = ev.back();
    for (double v : ev) a.norm += v;
    a.log_norm = std::log10(a.norm);
    a.log_spectral_norm = std::log10(a.lambda_max);
    a.stable_rank = a.norm / a.lambda_max;

    const double threshold = rank_threshold(a.lambda_max, N);
    a.rank = std::count_if(ev.begin(), ev.end(), [threshold](double v) { return v > threshold; });
    double h = 0;
    for (double v : ev) {
        const double p = v / a.norm + k_entropy_epsilon;
        h -= p * std::log(p);
    }
    a.entropy = h / std::log(static_cast<double>(a.rank) + k_entropy_epsilon);

    a.ks = ks_alpha(ev);
    a.hill = hill_alpha(ev);
    if (a.ks.ok()) {
        a.alpha_weighted = a.ks.alpha * a.log_spectral_norm;
        double sum = 0;
        for (double v : ev) sum += std::pow(v, a.ks.alpha);
        a.log_alpha_norm = std::log10(sum);
        a.num_pl_spikes = std::count_if(ev.begin(), ev.end(), [&](double v) { return v >= a.ks.xmin; });
        if (a.ks.alpha < k_over_trained_alpha) a.warning = "over-trained";
        else if (a.ks.alpha > k_under_trained_alpha) a.warning = "under-trained";
    }

    a.mp.rows = static_cast<double>(N);
    a.mp.cols = static_cast<double>(M);
    a.mp.variance = a.norm / (static_cast<double>(N) * static_cast<double>(M) * static_cast<double>(rf));
    a.mp_softrank = a.mp.upper() / a.lambda_max;
    a.num_spikes = count_spikes(ev, a.mp);
    return a;
}

double analyze_layer_memory_bytes(std::int64_t N, std::int64_t M, std::int64_t rf) {
    return esd_work_memory_bytes(static_cast<double>(N), static_cast<double>(M)) +
           8.0 * static_cast<double>(M) * static_cast<double>(rf);
}

}  // namespace spiketail
