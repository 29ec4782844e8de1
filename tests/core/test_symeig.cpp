// symmetric_eigen (symeig.hpp) against Eigen's dense SelfAdjointEigenSolver on matrices with known structure.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <cstdio>

#include "rng.hpp"
#include "spectrum.hpp"
#include "symeig.hpp"

using namespace spiketail;

namespace {

// Relative accuracy expected of a backward-stable solver in double: a small multiple of n * epsilon.
constexpr double k_eig_tol = 1e-11;

Eigen::MatrixXd gaussian_matrix(int rows, int cols, std::uint64_t seed) {
    Rng rng(seed);
    Eigen::MatrixXd M(rows, cols);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) M(i, j) = rng.gaussian();
    return M;
}

}  // namespace

TEST_CASE("symmetric_eigen matches Eigen's dense solver: values, top vectors and projections", "[symeig]") {
    for (int n : {1, 2, 17, 120}) {
        Eigen::MatrixXd W = gaussian_matrix(n + n / 2, n, 7 + n);
        W.row(0) *= 20.0;  // a planted spike, as after a large Adam step
        const Eigen::MatrixXd A = W.transpose() * W;
        const Eigen::MatrixXd B = gaussian_matrix(n, 2, 99);
        const int k = std::min(n, 5);
        const SymmetricEigen ours = symmetric_eigen(A, k, B);
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ref(A);
        const Eigen::VectorXd values = ref.eigenvalues().reverse();
        const Eigen::MatrixXd V = ref.eigenvectors().rowwise().reverse();
        REQUIRE(ours.ok);
        const double scale = values.cwiseAbs().maxCoeff();
        const double value_err = (ours.values - values).cwiseAbs().maxCoeff() / scale;
        const double residual = (A * ours.top_vectors - ours.top_vectors * ours.values.head(k).asDiagonal()).norm() / scale;
        const double orthogonality = (ours.top_vectors.transpose() * ours.top_vectors - Eigen::MatrixXd::Identity(k, k)).norm();
        const double projection_err = (ours.projections.cwiseAbs() - (V.transpose() * B).cwiseAbs()).cwiseAbs().maxCoeff() / B.norm();
        std::printf("symeig n=%d: value %.1e residual %.1e orthogonality %.1e projection %.1e (tol %.0e)\n", n,
                    value_err, residual, orthogonality, projection_err, k_eig_tol);
        CHECK(value_err < k_eig_tol);
        CHECK(residual < k_eig_tol);
        CHECK(orthogonality < k_eig_tol);
        // Projections on near-degenerate eigenvectors are defined only up to rotation within the cluster;
        // these Gaussian spectra have gaps well above the solver's error, so they are individually defined.
        CHECK(projection_err < 1e-8);
    }
}

TEST_CASE("symmetric_eigen separates repeated eigenvalues into orthonormal vectors", "[symeig]") {
    // diag(5, 3, 3, 3, 1) in a random orthonormal basis: the three vectors of 3 must come out orthonormal.
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian_matrix(5, 5, 3));
    const Eigen::MatrixXd Q = qr.householderQ();
    Eigen::VectorXd lambda(5);
    lambda << 5, 3, 3, 3, 1;
    const Eigen::MatrixXd A = Q * lambda.asDiagonal() * Q.transpose();
    const SymmetricEigen ours = symmetric_eigen(A, 4, Eigen::MatrixXd(5, 0));
    const double orthogonality = (ours.top_vectors.transpose() * ours.top_vectors - Eigen::MatrixXd::Identity(4, 4)).norm();
    const double residual = (A * ours.top_vectors - ours.top_vectors * ours.values.head(4).asDiagonal()).norm();
    std::printf("symeig repeated: orthogonality %.1e residual %.1e (tol %.0e)\n", orthogonality, residual, k_eig_tol);
    CHECK(orthogonality < k_eig_tol);
    CHECK(residual < k_eig_tol);
}

TEST_CASE("top_right_svd agrees with the full right_svd for tall and wide matrices", "[symeig][spectrum]") {
    for (auto shape : {std::pair<int, int>{90, 60}, std::pair<int, int>{40, 70}}) {
        const MatrixF W = gaussian_matrix(shape.first, shape.second, 11).cast<float>();
        const VectorD b = gaussian_matrix(shape.second, 1, 12).col(0).normalized();
        const RightSvd full = right_svd(W);
        const RightSvd fast = top_right_svd(W, 3, &b);
        const Eigen::Index r = std::min(full.s2.size(), fast.s2.size());
        const double value_err = (full.s2.head(r) - fast.s2.head(r)).cwiseAbs().maxCoeff() / full.s2[0];
        double vector_err = 0, projection_err = 0;
        for (int j = 0; j < 3; ++j) vector_err = std::max(vector_err, 1.0 - std::abs(full.V.col(j).dot(fast.V.col(j))));
        for (Eigen::Index i = 0; i < r; ++i)
            projection_err = std::max(projection_err, std::abs(std::abs(full.V.col(i).dot(b)) - std::abs(fast.projection[i])));
        std::printf("top_right_svd %dx%d: value %.1e vector %.1e projection %.1e\n", shape.first, shape.second, value_err,
                    vector_err, projection_err);
        // The Gram matrix is accumulated in float: relative errors of order 1e-6 are the float input's, not the solver's.
        CHECK(value_err < 1e-9);
        CHECK(vector_err < 1e-6);
        CHECK(projection_err < 1e-4);
    }
}
