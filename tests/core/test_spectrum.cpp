// The ESD of a weight matrix (spectrum.hpp, docs/method.md §6) against Eigen's JacobiSVD in double:
//   esd_eigenvalues(W) = squared singular values of W (tall and wide), right_svd satisfies W^T W v = s2 v,
//   the WeightWatcher norms are the stated functions of the eigenvalues, histograms integrate to 1.
// ESD accuracy: the smaller Gram matrix is accumulated in float, each entry a k-term dot product (k = the larger
// dimension) with error <= gamma_k |w_i||w_j|, so ||dG||_2 <= gamma_k ||W||_F^2 and, by Weyl, every eigenvalue is
// within that of the exact one. The Gram is then reduced to tridiagonal form in float, which adds a backward error
// <= c n u ||G||_2 (test_tridiagonalize.cpp, c = 4, n = the Gram's size): the tolerance is the sum of both bounds.
#include <catch2/catch.hpp>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>

#include "helpers.hpp"
#include "spectrum.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

double gram_error_bound(const MatrixF& W) {
    return gamma_float(double(std::max(W.rows(), W.cols()))) * W.cast<double>().squaredNorm();
}

// The ESD's eigenvalues: the Gram's rounding plus the float reduction's, with ||G||_2 <= ||W||_F^2.
double esd_error_bound(const MatrixF& W) {
    return gram_error_bound(W) + 4.0 * double(std::min(W.rows(), W.cols())) * k_float_u * W.cast<double>().squaredNorm();
}

std::string shape(const MatrixF& W) { return std::to_string(W.rows()) + "x" + std::to_string(W.cols()); }

}  // namespace

TEST_CASE("spectrum: esd_eigenvalues are the squared JacobiSVD singular values", "[spectrum]") {
    for (auto [rows, cols] : {std::pair{40, 25}, std::pair{25, 40}, std::pair{30, 30}}) {
        const MatrixF W = gaussian_matrix_f(rows, cols, 300 + rows);
        const std::vector<double> ev = esd_eigenvalues(W);
        REQUIRE(ev.size() == static_cast<std::size_t>(std::min(rows, cols)));
        REQUIRE(std::is_sorted(ev.begin(), ev.end()));
        const VectorD sv = Eigen::JacobiSVD<MatrixD>(W.cast<double>()).singularValues();  // descending
        double err = 0;
        for (std::size_t i = 0; i < ev.size(); ++i) err = std::max(err, std::abs(ev[i] - sv[sv.size() - 1 - i] * sv[sv.size() - 1 - i]));
        CHECK_ERROR("esd " << shape(W) << ": max |lambda_i - s_i^2| (lambda_max " << ev.back() << ")", err,
                    esd_error_bound(W));
    }
}

TEST_CASE("spectrum: right_svd vectors satisfy W^T W v = s2 v and are orthonormal", "[spectrum]") {
    for (auto [rows, cols] : {std::pair{40, 25}, std::pair{25, 40}}) {
        const MatrixF W = gaussian_matrix_f(rows, cols, 400 + rows);
        const RightSvd svd = right_svd(W);
        const int r = std::min(rows, cols);
        REQUIRE(svd.V.rows() == cols);
        REQUIRE(svd.V.cols() == r);
        REQUIRE(svd.s2.size() == r);
        for (int j = 1; j < r; ++j) REQUIRE(svd.s2[j - 1] >= svd.s2[j]);

        const MatrixD Wd = W.cast<double>();
        const MatrixD gram = Wd.transpose() * Wd;
        const double dg = gram_error_bound(W);
        const double lambda_max = svd.s2[0];
        double worst_ratio = 0, worst_err = 0, worst_tol = 0, ortho_tol = 1e-12;
        for (int j = 0; j < r; ++j) {
            const double err = (gram * svd.V.col(j) - svd.s2[j] * svd.V.col(j)).norm();
            // Tall: V are eigenvectors of the perturbed Gram matrix, residual <= ||dG||.
            // Wide: V = W^T U / sigma with U eigenvectors of W W^T + dK, so the residual is <= sigma_max ||dK|| / sigma_j,
            // plus the float product W^T u (error <= gamma_rows ||W||_F) spread by ||W^T W - s2|| <= lambda_max.
            double tol = 1.01 * dg + 1e-12 * lambda_max;
            if (rows < cols) {
                const double sigma = std::sqrt(svd.s2[j]), sigma_max = std::sqrt(lambda_max);
                const double dv = gamma_float(rows) * Wd.norm() / sigma;
                tol = 1.01 * (sigma_max * dg / sigma + 2 * lambda_max * dv);
                ortho_tol = std::max(ortho_tol, 4 * dv + 2 * dg / sigma / sigma);
            }
            if (err / tol > worst_ratio) worst_ratio = err / tol, worst_err = err, worst_tol = tol;
        }
        CHECK_ERROR("right_svd " << shape(W) << ": worst ||W^T W v - s2 v|| (relative to its bound)", worst_err,
                    worst_tol);
        CHECK_ERROR("right_svd " << shape(W) << ": max |V^T V - I|",
                    (svd.V.transpose() * svd.V - MatrixD::Identity(r, r)).cwiseAbs().maxCoeff(), ortho_tol);
    }
}

TEST_CASE("spectrum: the norms are the stated functions of the eigenvalues", "[spectrum]") {
    const MatrixF W = gaussian_matrix_f(60, 30, 500, 0.5);
    const SpectralSummary s = analyze_spectrum(W, 0.0);
    const double fro2 = W.cast<double>().squaredNorm();
    REQUIRE(s.eigenvalues.size() == 30);
    const double lambda_max = s.eigenvalues.back();
    CHECK(s.spectral_norm == lambda_max);
    // sum lambda = trace of the float Gram matrix: each diagonal entry within gamma_rows of its exact value.
    CHECK_ERROR("norms: sum lambda vs ||W||_F^2 (relative)", std::abs(s.frobenius_norm - fro2) / fro2,
                gamma_float(60) + 1e-14);
    CHECK(s.log_spectral_norm == Approx(std::log10(lambda_max)).epsilon(k_same_formula_rel_tol));
    CHECK(s.stable_rank == Approx(s.frobenius_norm / lambda_max).epsilon(k_same_formula_rel_tol));
    REQUIRE(s.ks.ok());
    CHECK(s.alpha_weighted == Approx(s.ks.alpha * std::log10(lambda_max)).epsilon(k_same_formula_rel_tol));
    // Without a given variance the MP reference is fitted to the bulk's median (mp.hpp fit_bulk), which is close
    // to the entries' 0.25 here: the median of 30 eigenvalues is within ~10% (measured 0.229).
    CHECK(s.mp.variance == fit_bulk(s.eigenvalues, s.mp).variance);
    CHECK(s.mp.variance == Approx(0.25).epsilon(0.1));
    CHECK(s.mp.rows == 60);
    CHECK(s.mp.cols == 30);
    CHECK(analyze_spectrum(W, 2.0).mp.variance == 2.0);
}

TEST_CASE("spectrum: histograms are densities that integrate to 1", "[spectrum]") {
    // A sum of bins x width: exact up to double rounding of the 1/(count width) factor.
    constexpr double k_integral_tol = 1e-12;
    std::vector<double> values;
    Rng rng(9);
    for (int i = 0; i < 1000; ++i) values.push_back(rng.gaussian());
    for (auto [lo, hi] : {std::pair{0.0, 0.0}, std::pair{-1.0, 1.0}}) {
        const Histogram hist = histogram(values, 37, lo, hi);
        REQUIRE(hist.edges.size() == 38);
        REQUIRE(hist.density.size() == 37);
        double integral = 0;
        for (int b = 0; b < 37; ++b) integral += hist.density[b] * (hist.edges[b + 1] - hist.edges[b]);
        CHECK_ERROR("histogram [" << lo << ", " << hi << "]: |integral - 1|", std::abs(integral - 1), k_integral_tol);
    }
    // The auto range spans the values; a constant input still gives a finite, normalised density.
    const Histogram auto_range = histogram(values, 10);
    CHECK(auto_range.edges.front() == *std::min_element(values.begin(), values.end()));
    CHECK(auto_range.edges.back() == Approx(*std::max_element(values.begin(), values.end())).epsilon(k_same_formula_rel_tol));
    const Histogram constant = histogram(std::vector<double>(5, 3.0), 4);
    double integral = 0;
    for (int b = 0; b < 4; ++b) integral += constant.density[b] * (constant.edges[b + 1] - constant.edges[b]);
    CHECK(integral == Approx(1.0));
}

TEST_CASE("spectrum: a bin count outside 1..k_max_histogram_bins gives an empty histogram, allocating nothing", "[spectrum]") {
    const std::vector<double> values = {0.0, 1.0, 2.0};
    for (int bins : {0, -1, k_max_histogram_bins + 1, 1000000000}) {
        const Histogram hist = histogram(values, bins);
        CHECK(hist.edges.empty());
        CHECK(hist.density.empty());
    }
    CHECK(histogram(values, k_max_histogram_bins).density.size() == static_cast<std::size_t>(k_max_histogram_bins));
    // The analysis estimate covers W and the Gram (float) and the reduction's work per row, symmetric in rows and cols.
    CHECK(analyze_spectrum_memory_bytes(3000, 2000) == 4.0 * 3000 * 2000 + 4.0 * 2000 * 2000 + k_eigenvalue_work_bytes_per_row * 2000);
    CHECK(analyze_spectrum_memory_bytes(2000, 3000) == analyze_spectrum_memory_bytes(3000, 2000));
}
