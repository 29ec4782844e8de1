#include "spectrum.hpp"

#include "gemm.hpp"
#include "symeig.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

namespace spiketail {
namespace {

// The smaller Gram matrix in double: W^T W (cols x cols) when rows >= cols, else W W^T (rows x rows),
// accumulated in float by the products of gemm.hpp (wasm: the SIMD kernel).
MatrixD smaller_gram(const MatrixF& W) {
    MatrixD gram;
    if (W.rows() >= W.cols()) {
        product_tn_self_double(W, gram);
    } else {
        MatrixF gram_f;
        product_nt(W, W, 1.0f, gram_f);
        gram = gram_f.cast<double>();
    }
    return gram;
}

}  // namespace

// The float Gram (as summed by the GEMM) reduced in float (symeig.hpp symmetric_eigenvalues): docs/method.md §6.1
// compares its eigenvalues with double Eigen's. A failed iteration (non-finite W) gives NaN eigenvalues, which
// the fits report as non_finite.
std::vector<double> esd_eigenvalues(const MatrixF& W) {
    MatrixF gram;
    if (W.rows() >= W.cols())
        product_tn_self(W, 1.0f, gram);
    else
        product_nt_self(W, 1.0f, gram);
    const SymmetricEigenvalues eig = symmetric_eigenvalues(gram);
    return std::vector<double>(eig.values.data(), eig.values.data() + eig.values.size());
}

RightSvd right_svd(const MatrixF& W) {
    Eigen::SelfAdjointEigenSolver<MatrixD> solver(smaller_gram(W), Eigen::ComputeEigenvectors);
    RightSvd svd;
    svd.s2 = solver.eigenvalues().reverse();
    svd.V = solver.eigenvectors().rowwise().reverse();
    if (W.rows() < W.cols()) {
        // Eigenvectors of W W^T are left singular vectors U; V = W^T U / sigma.
        MatrixF WtU;
        product_tn(W, svd.V.cast<float>(), 1.0f, WtU);  // the gemm seam: independent of the thread count
        svd.V = WtU.cast<double>();
        for (Eigen::Index j = 0; j < svd.V.cols(); ++j) {
            const double norm = svd.V.col(j).norm();
            if (norm > 0) svd.V.col(j) /= norm;
        }
    }
    return svd;
}

RightSvd top_right_svd(const MatrixF& W, int k, const VectorD* b) {
    const bool tall = W.rows() >= W.cols();
    MatrixD project(tall ? W.cols() : W.rows(), b ? 1 : 0);
    // For a wide W the Gram's eigenvectors are U, and <v_i, b> = <u_i, W b> / sigma_i.
    if (b) project.col(0) = tall ? *b : VectorD((W * b->cast<float>()).cast<double>());
    const SymmetricEigen eig = symmetric_eigen(smaller_gram(W), k, project);
    RightSvd svd;
    svd.s2 = eig.values;
    // A failed decomposition (a non-finite W: a diverged step) has no projections, not even a column 0.
    if (b && eig.projections.cols() > 0) svd.projection = eig.projections.col(0);
    if (tall) {
        svd.V = eig.top_vectors;
        return svd;
    }
    MatrixF WtU;
    product_tn(W, eig.top_vectors.cast<float>(), 1.0f, WtU);  // the gemm seam: independent of the thread count
    svd.V = WtU.cast<double>();
    for (Eigen::Index j = 0; j < svd.V.cols(); ++j) {
        const double norm = svd.V.col(j).norm();
        if (norm > 0) svd.V.col(j) /= norm;
    }
    if (b)
        for (Eigen::Index i = 0; i < svd.s2.size(); ++i)
            svd.projection[i] = svd.s2[i] > 0 ? svd.projection[i] / std::sqrt(svd.s2[i]) : 0.0;
    return svd;
}

SpectralSummary summarize_eigenvalues(std::vector<double> eigenvalues, const MpLaw& mp) {
    SpectralSummary s;
    std::sort(eigenvalues.begin(), eigenvalues.end());
    s.eigenvalues = std::move(eigenvalues);
    s.mp = mp;
    s.hill = hill_alpha(s.eigenvalues);
    s.ks = ks_alpha(s.eigenvalues);
    s.peak = ks_alpha_peak(s.eigenvalues);
    if (s.eigenvalues.empty()) return s;
    s.spectral_norm = s.eigenvalues.back();
    for (double v : s.eigenvalues) s.frobenius_norm += v;
    s.log_spectral_norm = s.spectral_norm > 0 ? std::log10(s.spectral_norm) : 0.0;
    s.alpha_weighted = s.ks.ok() ? s.ks.alpha * s.log_spectral_norm : 0.0;
    s.stable_rank = s.spectral_norm > 0 ? s.frobenius_norm / s.spectral_norm : 0.0;
    s.num_spikes = static_cast<int>(spikes_of(s.eigenvalues, mp).size());  // apart from the bulk (mp.hpp)
    return s;
}

SpectralSummary analyze_spectrum(const MatrixF& W, double mp_variance) {
    MpLaw mp;
    mp.rows = static_cast<double>(W.rows());
    mp.cols = static_cast<double>(W.cols());
    std::vector<double> eigenvalues = esd_eigenvalues(W);
    if (mp_variance > 0) {
        mp.variance = mp_variance;
    } else {
        mp = fit_bulk(eigenvalues, mp);  // the bulk's scale, not the outliers' (mp.hpp)
    }
    return summarize_eigenvalues(std::move(eigenvalues), mp);
}

double esd_work_memory_bytes(double rows, double cols) {
    const double smaller = std::min(rows, cols);
    return 4.0 * smaller * smaller + k_eigenvalue_work_bytes_per_row * smaller;
}

double analyze_spectrum_memory_bytes(double rows, double cols) { return 4.0 * rows * cols + esd_work_memory_bytes(rows, cols); }

namespace {

// One pass over any contiguous range of numbers (float weights need no double copy).
template <typename T>
Histogram histogram_of(const T* values, std::size_t count, int bins, double lo, double hi) {
    Histogram hist;
    if (bins < 1 || bins > k_max_histogram_bins) return hist;
    if (!(lo < hi)) {
        lo = std::numeric_limits<double>::infinity();
        hi = -lo;
        for (std::size_t i = 0; i < count; ++i)
            if (const double v = values[i]; std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        if (!(lo < hi)) {  // empty or constant: one unit-wide window around the value
            const double c = std::isfinite(lo) ? lo : 0.0;
            lo = c - 0.5;
            hi = c + 0.5;
        }
    }
    const double width = (hi - lo) / bins;
    hist.edges.resize(bins + 1);
    for (int b = 0; b <= bins; ++b) hist.edges[b] = lo + width * b;
    hist.density.assign(bins, 0.0);
    std::size_t counted = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (!(v >= lo && v <= hi)) continue;
        const int b = std::min(bins - 1, static_cast<int>((v - lo) / width));
        hist.density[b] += 1.0;
        ++counted;
    }
    if (counted > 0)
        for (double& d : hist.density) d /= static_cast<double>(counted) * width;
    return hist;
}

}  // namespace

Histogram histogram(const std::vector<double>& values, int bins, double lo, double hi) {
    return histogram_of(values.data(), values.size(), bins, lo, hi);
}

Histogram histogram(const MatrixF& values, int bins, double lo, double hi) {
    return histogram_of(values.data(), static_cast<std::size_t>(values.size()), bins, lo, hi);
}

}  // namespace spiketail
