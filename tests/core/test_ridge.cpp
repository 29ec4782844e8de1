// Ridge refit of the last layer (ridge.hpp, docs/method.md §5) against Eigen's dense solvers in double:
//   primal  a = (F^T F + c I_h)^-1 F^T y     and     dual  a = F^T (F F^T + c I_n)^-1 y,     c = lambda n / h,
// on a tall (n >= h: ridge_refit takes the primal path) and a wide (n < h: dual path) problem, each compared with
// both references, which must agree with each other (push-through identity).
#include <catch2/catch.hpp>
#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>

#include "helpers.hpp"
#include "ridge.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

// The two double references agree to rounding in double, amplified by the conditioning (< 1e4 here).
constexpr double k_reference_agreement_tol = 1e-10;

struct Reference {
    VectorD primal, dual;
    double lambda_min = 0;  // smallest eigenvalue of the regularised Gram matrix that ridge_refit factorises
    double gram_error = 0;  // bound on ||fl(Gram) - Gram||_2 for a float-accumulated Gram matrix
};

Reference solve_reference(const MatrixF& F, const VectorF& y, double lambda) {
    const MatrixD Fd = F.cast<double>();
    const VectorD yd = y.cast<double>();
    const double n = double(F.rows()), h = double(F.cols());
    const double c = lambda * n / h;
    Reference r;
    const MatrixD primal_gram = Fd.transpose() * Fd + c * MatrixD::Identity(F.cols(), F.cols());
    const MatrixD dual_gram = Fd * Fd.transpose() + c * MatrixD::Identity(F.rows(), F.rows());
    r.primal = primal_gram.llt().solve(Fd.transpose() * yd);
    r.dual = Fd.transpose() * dual_gram.llt().solve(yd);
    const bool dual = F.rows() < F.cols();
    const MatrixD& used = dual ? dual_gram : primal_gram;
    r.lambda_min = Eigen::SelfAdjointEigenSolver<MatrixD>(used, Eigen::EigenvaluesOnly).eigenvalues()[0];
    // Each Gram entry is a k-term float dot product (k = h for F F^T, n for F^T F): error <= gamma_k |f_i||f_j|,
    // so ||Delta G||_2 <= ||Delta G||_F <= gamma_k ||F||_F^2.
    r.gram_error = gamma_float(dual ? h : n) * Fd.squaredNorm();
    return r;
}

void check_problem(int n, int h, double lambda) {
    const MatrixF F = gaussian_matrix_f(n, h, 1000 + n + h, 1.0 / std::sqrt(double(h)));
    const VectorF y = gaussian_matrix_f(n, 1, 2000 + n + h);
    const RidgeFit fit = ridge_refit(F, y, lambda);
    REQUIRE(fit.ok);
    REQUIRE(fit.a.size() == h);
    const Reference ref = solve_reference(F, y, lambda);
    const std::string what = std::string(n < h ? "ridge dual" : "ridge primal") + " n=" + std::to_string(n) +
                             " h=" + std::to_string(h) + " lambda=" + std::to_string(lambda);

    CHECK_ERROR(what << ": primal vs dual reference (relative)",
                (ref.primal - ref.dual).norm() / ref.primal.norm(), k_reference_agreement_tol);

    // Perturbation bound for (G + dG + cI) a' = b:  ||a' - a|| <= ||dG|| ||a|| / (lambda_min - ||dG||).
    // On the dual path a = F^T u, and ||F^T|| <= ||F||_F carries u's error to a (F's entries are exact in double).
    const double dg = ref.gram_error;
    REQUIRE(dg < 0.5 * ref.lambda_min);
    double tol = dg / (ref.lambda_min - dg);
    if (n < h) {
        const MatrixD Fd = F.cast<double>();
        const VectorD u = (Fd * Fd.transpose() + lambda * n / h * MatrixD::Identity(n, n)).llt().solve(y.cast<double>());
        tol *= Fd.norm() * u.norm() / ref.primal.norm();
    }
    // A worst-case bound (Higham's gamma_k, every rounding aligned): typically 100x above the measured error,
    // still 10x below the effect of a wrong c = lambda n / h.
    CHECK_ERROR(what << ": a vs primal normal equations (relative)", (fit.a - ref.primal).norm() / ref.primal.norm(),
                tol);
    CHECK_ERROR(what << ": a vs dual form (relative)", (fit.a - ref.dual).norm() / ref.dual.norm(), tol);

    // Optimality (backward error, not amplified by the conditioning): the objective's gradient is
    // (2/n) [(F^T F + cI) a_hat - F^T y], and a_hat solves the system with the float Gram matrix G + dG, so
    //   primal: (G + cI) a_hat - F^T y = -dG a_hat                     -> ||.|| <= ||dG|| ||a_hat||
    //   dual:   a_hat = F^T u, (K + dK + cI) u = y -> = -F^T dK u      -> ||.|| <= ||F|| ||dK|| ||u||
    const MatrixD Fd = F.cast<double>();
    const VectorD yd = y.cast<double>();
    const double c = lambda * n / h;
    const VectorD normal_residual = Fd.transpose() * (Fd * fit.a) + c * fit.a - Fd.transpose() * yd;
    double residual_bound = dg * fit.a.norm();
    if (n < h) {
        const VectorD u = (Fd * Fd.transpose() + c * MatrixD::Identity(n, n)).llt().solve(yd);
        residual_bound = Fd.norm() * dg * u.norm();
    }
    CHECK_ERROR(what << ": ||(F^T F + cI) a_hat - F^T y||", normal_residual.norm(), 1.01 * residual_bound);

    // The scalars reused by the kernel-target alignment (accumulated from float, so gram_error relative).
    // | ||G + dG||_F - ||G||_F | <= ||dG||_F <= gamma_k ||F||_F^2.
    const double gram_fro = (Fd.transpose() * Fd).norm();
    CHECK_ERROR(what << ": ||F^T F||_F (relative)", std::abs(fit.gram_frobenius - gram_fro) / gram_fro,
                dg / gram_fro);
    const double fty = (Fd.transpose() * yd).squaredNorm();
    CHECK_ERROR(what << ": ||F^T y||^2 (relative)", std::abs(fit.fty_norm2 - fty) / fty, 1e-12);
    CHECK_ERROR(what << ": ||y||^2 (relative)", std::abs(fit.yy - yd.squaredNorm()) / yd.squaredNorm(), 1e-14);

    // ridge_loss accumulates F a in double from the float F: agrees with Eigen's double to rounding.
    const double loss_ref = (yd - Fd * fit.a).squaredNorm() / n;
    CHECK_ERROR(what << ": ridge_loss (relative)", std::abs(ridge_loss(F, y, fit.a) - loss_ref) / loss_ref, 1e-12);
}

}  // namespace

TEST_CASE("ridge: primal path (n >= h) matches the normal equations and the dual form", "[ridge]") {
    for (double lambda : {0.01, 1.0}) check_problem(80, 30, lambda);
    check_problem(40, 40, 0.01);  // n == h takes the primal path
}

TEST_CASE("ridge: dual path (n < h) matches the normal equations and the dual form", "[ridge]") {
    for (double lambda : {0.01, 1.0}) check_problem(30, 80, lambda);
}

TEST_CASE("ridge: features that are a multiple of y have a closed-form fit", "[ridge]") {
    // F = y w^T / sqrt(h) has one nonzero Gram eigenvalue s = ||y||^2 ||w||^2 / h, along w. The fit is
    // F a_hat = y s / (s + c), so the loss is (c / (s + c))^2 ||y||^2 / n.
    constexpr int n = 50, h = 20;
    const VectorF y = gaussian_matrix_f(n, 1, 3);
    const VectorF w = gaussian_matrix_f(h, 1, 4);
    const MatrixF F = (y * w.transpose()) / std::sqrt(float(h));
    const double lambda = 1.0;  // large enough that the closed form dominates F's float rounding (u = 6e-8)
    const RidgeFit fit = ridge_refit(F, y, lambda);
    const double loss = ridge_loss(F, y, fit.a);
    const double s = double(y.squaredNorm()) * double(w.squaredNorm()) / h;
    const double c = lambda * n / h;
    const double expected = std::pow(c / (s + c), 2) * y.squaredNorm() / n;
    // s enters through n-term float sums (relative error <= gamma_n); the loss's relative sensitivity to s is
    // 2 s / (s + c) < 2; a further factor 2 covers the rounding of F and y.
    CHECK_ERROR("ridge rank-one features: loss vs closed form (relative)", std::abs(loss - expected) / expected,
                4 * gamma_float(n));
}
