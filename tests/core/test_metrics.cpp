// Feature and alignment metrics (metrics.hpp, docs/method.md §6):
//   KTA = <F F^T, y y^T>_F / (||F F^T||_F ||y y^T||_F) = ||F^T y||^2 / (||F^T F||_F ||y||^2)
// checked against the explicit n x n kernel, and = 1 when every feature column is a multiple of y;
// squared overlaps of orthonormal bases; |V^T beta|; left singular vectors against JacobiSVD.
#include <catch2/catch.hpp>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <cmath>

#include "helpers.hpp"
#include "metrics.hpp"
#include "ridge.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

// The metric itself is computed in double from float inputs: agreement with another double evaluation is
// limited only by double rounding over n^2 or h^2 terms.
constexpr double k_double_tol = 1e-12;

MatrixD orthonormal_basis(int m, std::uint64_t seed) {
    return Eigen::HouseholderQR<MatrixD>(gaussian_matrix(m, m, seed)).householderQ();
}

}  // namespace

TEST_CASE("metrics: KTA closed form equals the explicit n x n kernel alignment", "[metrics][kta]") {
    const MatrixF F = gaussian_matrix_f(25, 10, 81, 0.3);
    VectorF y = gaussian_matrix_f(25, 1, 82);
    y += F.col(0) * 2.0f;  // some alignment, so KTA is not near its random-feature value
    const MatrixD Fd = F.cast<double>();
    const VectorD yd = y.cast<double>();
    const MatrixD K = Fd * Fd.transpose();  // n x n, formed here only as the reference
    const MatrixD Y = yd * yd.transpose();
    const double explicit_kta = (K.cwiseProduct(Y)).sum() / (K.norm() * Y.norm());
    const double kta = kernel_target_alignment(F, y);
    CHECK_ERROR("kta: closed form vs explicit kernel", std::abs(kta - explicit_kta), k_double_tol);
    CHECK(kta > 0);
    CHECK(kta <= 1);

    // The ridge refit's by-products give the same value (float-accumulated Gram: relative error <= gamma_n).
    const RidgeFit fit = ridge_refit(F, y, 0.01);
    CHECK_ERROR("kta: from ridge_refit's scalars vs explicit kernel",
                std::abs(kernel_target_alignment(fit.fty_norm2, fit.gram_frobenius, fit.yy) - explicit_kta),
                2 * gamma_float(25) * explicit_kta);
}

TEST_CASE("metrics: KTA is 1 for features whose columns are multiples of y", "[metrics][kta]") {
    // F = y c^T: K = ||c||^2 y y^T, perfectly aligned with y y^T. F is rounded to float (relative u per entry),
    // which moves KTA by O(u^2) only, since KTA is stationary at its maximum; 1e-12 is double rounding.
    const VectorF y = gaussian_matrix_f(40, 1, 91);
    const VectorF c = gaussian_matrix_f(7, 1, 92);
    const MatrixF F = y * c.transpose();
    CHECK_ERROR("kta: 1 - KTA for F = y c^T", std::abs(1 - kernel_target_alignment(F, y)), k_double_tol);
    // Degenerate inputs give 0, not NaN.
    CHECK(kernel_target_alignment(MatrixF::Zero(40, 7), y) == 0.0);
    CHECK(kernel_target_alignment(0.0, 0.0, 0.0) == 0.0);
}

TEST_CASE("metrics: squared overlaps of orthonormal bases", "[metrics][overlap]") {
    constexpr int m = 12;
    const MatrixD Q1 = orthonormal_basis(m, 101), Q2 = orthonormal_basis(m, 102);
    // A basis with itself (and with sign flips, which singular vectors are free to make) is the identity.
    MatrixD Q1_flipped = Q1;
    Q1_flipped.col(2) *= -1;
    for (const MatrixD* B : std::initializer_list<const MatrixD*>{&Q1, &Q1_flipped}) {
        const std::vector<double> o = squared_overlaps(Q1, *B, 5);
        REQUIRE(o.size() == 25);
        double err = 0;
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 5; ++j) err = std::max(err, std::abs(o[i * 5 + j] - (i == j ? 1.0 : 0.0)));
        CHECK_ERROR("overlaps: basis with itself vs identity", err, k_double_tol);
    }
    // Two full orthonormal bases: the m x m matrix of squared overlaps is doubly stochastic (rows and columns
    // sum to 1, Parseval), and each entry equals <q1_i, q2_j>^2 by definition.
    const std::vector<double> o = squared_overlaps(Q1, Q2, m);
    REQUIRE(o.size() == m * m);
    double err = 0, entry_err = 0;
    for (int i = 0; i < m; ++i) {
        double row = 0, col = 0;
        for (int j = 0; j < m; ++j) {
            row += o[i * m + j];
            col += o[j * m + i];
            entry_err = std::max(entry_err, std::abs(o[i * m + j] - std::pow(Q1.col(i).dot(Q2.col(j)), 2)));
        }
        err = std::max({err, std::abs(row - 1), std::abs(col - 1)});
    }
    CHECK_ERROR("overlaps: rows and columns of a full basis pair sum to 1", err, k_double_tol);
    CHECK_ERROR("overlaps: entries vs <a_i, b_j>^2", entry_err, k_double_tol);
    // k larger than the number of columns is clipped.
    CHECK(squared_overlaps(Q1.leftCols(3), Q2.leftCols(4), 8).size() == 12);
}

TEST_CASE("metrics: singular_vector_alignment is |V^T beta|", "[metrics][alignment]") {
    constexpr int m = 9;
    const MatrixD V = orthonormal_basis(m, 111);
    // beta along one column: alignment is the unit vector e_3.
    std::vector<double> a = singular_vector_alignment(V, V.col(3));
    double err = 0;
    for (int i = 0; i < m; ++i) err = std::max(err, std::abs(a[i] - (i == 3 ? 1.0 : 0.0)));
    CHECK_ERROR("alignment: beta = v_3 gives e_3", err, k_double_tol);
    // beta = -v_3 too (absolute values), and for any unit beta the squares sum to 1 over a full basis.
    CHECK(singular_vector_alignment(V, -V.col(3))[3] == Approx(1.0).epsilon(k_same_formula_rel_tol));
    VectorD beta = gaussian_matrix(m, 1, 112);
    beta.normalize();
    a = singular_vector_alignment(V, beta);
    double sum2 = 0;
    for (double x : a) sum2 += x * x;
    CHECK_ERROR("alignment: sum |<v_i, beta>|^2 over a full basis - 1", std::abs(sum2 - 1), k_double_tol);
}

TEST_CASE("metrics: left singular vectors agree with JacobiSVD up to sign", "[metrics][alignment]") {
    // Spread singular values (a diagonal scaling of an orthonormal pair) so each singular vector is well separated.
    constexpr int rows = 30, cols = 12, k = 4;
    const MatrixD U0 = orthonormal_basis(rows, 121).leftCols(cols), V0 = orthonormal_basis(cols, 122);
    VectorD sigma(cols);
    for (int j = 0; j < cols; ++j) sigma[j] = 10.0 / (1 + j);
    const MatrixF W = (U0 * sigma.asDiagonal() * V0.transpose()).cast<float>();
    const RightSvd svd = right_svd(W);
    const MatrixD U = left_singular_vectors(W, svd, k);
    REQUIRE(U.cols() == k);
    const Eigen::JacobiSVD<MatrixD> ref(W.cast<double>(), Eigen::ComputeThinU);
    const VectorD s = ref.singularValues();
    const double fro = W.cast<double>().norm();
    double dir_err = 0, dir_tol = 0, norm_err = 0, norm_tol = 0;
    for (int j = 0; j < k; ++j) {
        // u_j = W v_j / sigma_j: v_j is off by theta <= ||dG|| / gap (Davis-Kahan, float Gram), and the float product
        // W v_j adds a relative error delta <= gamma_cols ||W||_F / sigma_j. The direction error is at most
        // theta + delta, so 1 - |cos| <= (theta + delta)^2 / 2; the norm is off by at most theta + delta.
        const double gap = std::min(j > 0 ? s[j - 1] * s[j - 1] - s[j] * s[j] : 1e300, s[j] * s[j] - s[j + 1] * s[j + 1]);
        const double theta = gamma_float(rows) * fro * fro / gap, delta = gamma_float(cols) * fro / s[j];
        dir_err = std::max(dir_err, 1 - std::abs(U.col(j).normalized().dot(ref.matrixU().col(j))));
        dir_tol = std::max(dir_tol, 0.5 * (theta + delta) * (theta + delta));
        norm_err = std::max(norm_err, std::abs(U.col(j).norm() - 1));
        norm_tol = std::max(norm_tol, theta + delta);
    }
    CHECK_ERROR("left_singular_vectors: max 1 - |<u_j, u_j ref>| (directions)", dir_err, dir_tol);
    CHECK_ERROR("left_singular_vectors: max | ||u_j|| - 1 |", norm_err, norm_tol);
}
