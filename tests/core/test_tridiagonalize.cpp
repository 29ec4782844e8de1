// The eigenvalues-only path of the ESD (docs/method.md §6.1): its kernels against their naive references, and
// its eigenvalues against Eigen's SelfAdjointEigenSolver in double.
//   symv_lower          y = A x from the lower triangle       vs symv_lower_reference (double sums)
//   rank2k_update_lower C -= V W^T + W V^T, lower triangle    vs the same in double (seam and SIMD kernel)
//   tridiagonalize      A = Q T Q^T, float, blocked           eigenvalues of T vs Eigen's of A (double)
//   symmetric_eigenvalues                                     vs Eigen, on random, clustered, rank-deficient
//                                                             and spiked matrices; bitwise across thread counts
// Tolerances:
//   kernels, componentwise: |y - y_ref|_i <= gamma_{n+B} (|A| |x|)_i (Higham's bound for an n-term float sum in
//   any order, plus one rounding for each of the B partial sums added);
//   eigenvalues, normwise: Householder tridiagonalisation in float is backward stable, T = Q^T (A + E) Q with
//   ||E||_2 <= c n u ||A||_2 (Higham, Accuracy and Stability, §19.3), so by Weyl |lambda_i - lambda_i(A)| <=
//   c n u ||A||_2; c = 4 (measured errors are ~sqrt(n) u ||A||, far below).
#include <catch2/catch.hpp>
#include <omp.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "gemm.hpp"
#include "gemm_kernel.hpp"
#include "helpers.hpp"
#include "sterf.hpp"
#include "symeig.hpp"
#include "symv.hpp"
#include "tridiagonalize.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

constexpr double k_backward_c = 4.0;  // c of c n u ||A||_2 above

double eigen_tol(int n, double norm) { return k_backward_c * std::max(n, 1) * k_float_u * norm; }

// Eigen's eigenvalues (ascending) of the float matrix taken exactly in double.
VectorD reference_eigenvalues(const MatrixF& A) {
    return Eigen::SelfAdjointEigenSolver<MatrixD>(A.cast<double>(), Eigen::EigenvaluesOnly).eigenvalues();
}

// Eigenvalues (ascending) of a tridiagonal in double, by Eigen's own tridiagonal QR.
VectorD tridiagonal_eigenvalues(const Tridiagonal& t) {
    Eigen::SelfAdjointEigenSolver<MatrixD> s;
    s.computeFromTridiagonal(t.diagonal, t.off_diagonal, Eigen::EigenvaluesOnly);
    return s.eigenvalues();
}

// Q diag(lambda) Q^T with a random orthogonal Q: a symmetric matrix with a prescribed spectrum.
MatrixF with_spectrum(const VectorD& lambda, std::uint64_t seed) {
    const int n = static_cast<int>(lambda.size());
    const MatrixD Q = Eigen::HouseholderQR<MatrixD>(gaussian_matrix(n, n, seed)).householderQ();
    return (Q * lambda.asDiagonal() * Q.transpose()).cast<float>();
}

// The matrix kinds of the ESD: a Gram of Gaussian weights, tight clusters, rank-deficient, a Gram with spikes.
MatrixF test_matrix(const std::string& kind, int n, std::uint64_t seed) {
    if (kind == "random") {  // W^T W, W: (n + n/2) x n, in float as the ESD sums it
        MatrixF G;
        product_tn_self(gaussian_matrix_f(n + n / 2, n, seed), 1.0f, G);
        return G;
    }
    VectorD lambda(n);
    Rng rng(seed);
    for (int i = 0; i < n; ++i) {
        if (kind == "clustered")  // three clusters of width 1e-6 at 1, 2 and 10
            lambda[i] = (i % 3 == 0 ? 1.0 : i % 3 == 1 ? 2.0 : 10.0) * (1.0 + 1e-6 * rng.gaussian());
        else if (kind == "rank_deficient")  // a quarter of the spectrum exactly zero
            lambda[i] = i < n / 4 ? 0.0 : 1.0 + std::abs(rng.gaussian());
        else  // spiked: an MP-like bulk and three outliers 100x above it
            lambda[i] = i < 3 ? 100.0 * (i + 1) : std::pow(1.0 + 0.5 * rng.gaussian(), 2);
    }
    return with_spectrum(lambda, seed + 1);
}

}  // namespace

TEST_CASE("symv_lower matches the double reference, reading only the lower triangle", "[tridiagonalize][symv]") {
    for (int n : {1, 3, 4, 5, 9, 64, 131, 400, k_symv_parallel_min + 3}) {
        const int lda = n + 3;
        MatrixF storage = gaussian_matrix_f(lda, n, 10 + n);
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < j; ++i) storage(i, j) = NAN;  // the upper triangle must not be read
        const MatrixF x = gaussian_matrix_f(n, 1, 20 + n);
        VectorF y(n);
        symv_lower(n, storage.data(), lda, x.data(), y.data());
        VectorD ref(n);
        symv_lower_reference(n, storage.data(), lda, x.data(), ref.data());
        MatrixD absA(n, n);
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) absA(i, j) = std::abs(double(i >= j ? storage(i, j) : storage(j, i)));
        const VectorD scale = absA * x.col(0).cast<double>().cwiseAbs();
        double worst = 0;
        for (int i = 0; i < n; ++i) worst = std::max(worst, std::abs(y[i] - ref[i]) / scale[i]);
        CHECK_ERROR("symv_lower n=" << n << " (componentwise)", worst, gamma_float(n + k_symv_blocks));
        const VectorD xd = x.col(0).cast<double>(), yd = y.cast<double>();
        const double d = dot(n, x.data(), y.data()), d_ref = xd.dot(yd), d_scale = xd.cwiseAbs().dot(yd.cwiseAbs());
        CHECK_ERROR("dot n=" << n << " (relative to sum |x||y|)", std::abs(d - d_ref) / d_scale, gamma_float(n));
    }
}

TEST_CASE("rank2k_update_lower matches the double reference and leaves the upper triangle alone",
          "[tridiagonalize][gemm]") {
    // n straddling the SIMD tile (8 x 4), the native column block (256) and MC (512); k = 1 and the panel width.
    for (int n : {1, 5, 37, 300, 530})
        for (int k : {1, k_tridiagonal_block}) {
            const int ld = n + 2;
            const MatrixF V = gaussian_matrix_f(n, k, 30 + n), W = gaussian_matrix_f(n, k, 40 + n);
            MatrixF C0 = gaussian_matrix_f(ld, n, 50 + n);
            for (int j = 0; j < n; ++j)
                for (int i = 0; i < j; ++i) C0(i, j) = 42.0f;
            const MatrixD ref = C0.topRows(n).cast<double>() - (V.cast<double>() * W.cast<double>().transpose() +
                                                                W.cast<double>() * V.cast<double>().transpose());
            const MatrixD scale = C0.topRows(n).cast<double>().cwiseAbs() +
                                  V.cast<double>().cwiseAbs() * W.cast<double>().cwiseAbs().transpose() +
                                  W.cast<double>().cwiseAbs() * V.cast<double>().cwiseAbs().transpose();
            for (const char* path : {"seam", "simd"}) {
                MatrixF C = C0;
                if (std::string(path) == "seam") {
                    rank2k_update_lower(n, k, V.data(), n, W.data(), n, C.data(), ld);
                } else {  // the wasm build's kernel, run natively: C += -1 [V W] [W V]^T
                    MatrixF VW(n, 2 * k), WV(n, 2 * k);
                    VW << V, W;
                    WV << W, V;
                    gemm_lower_update_simd(n, 2 * k, -1.0f, GemmOperand{VW.data(), 1, n}, GemmOperand{WV.data(), 1, n},
                                           C.data(), ld);
                }
                double worst = 0;
                bool upper_untouched = true;
                for (int j = 0; j < n; ++j)
                    for (int i = 0; i < n; ++i) {
                        if (i < j) upper_untouched = upper_untouched && C(i, j) == 42.0f;
                        else worst = std::max(worst, std::abs(C(i, j) - ref(i, j)) / scale(i, j));
                    }
                CHECK_ERROR("rank2k " << path << " n=" << n << " k=" << k << " (componentwise)", worst,
                            gamma_float(2.0 * k + 1));
                CHECK(upper_untouched);
                CHECK((C.bottomRows(ld - n).array() == C0.bottomRows(ld - n).array()).all());
            }
        }
}

TEST_CASE("tridiagonalize: blocked float T has the eigenvalues of A; the double reference agrees",
          "[tridiagonalize]") {
    // n < block, n = block, n in the unblocked crossover, several panels, sizes not multiples of the block.
    for (int n : {1, 2, 7, 32, 100, 161, 300, 517})
        for (int block : {5, k_tridiagonal_block}) {
            const MatrixF A = test_matrix("random", n, 60 + n);
            const VectorD exact = reference_eigenvalues(A);
            const double norm = exact.cwiseAbs().maxCoeff();
            MatrixF work = A;
            const Tridiagonal t = tridiagonalize(work, block);
            REQUIRE(t.diagonal.size() == n);
            REQUIRE(t.off_diagonal.size() == std::max(n - 1, 0));
            const double err = (tridiagonal_eigenvalues(t) - exact).cwiseAbs().maxCoeff();
            CHECK_ERROR("tridiagonalize n=" << n << " block=" << block << ": max |lambda - Eigen's| / ||A||",
                        err / norm, eigen_tol(n, norm) / norm);
            if (block == k_tridiagonal_block) {
                const Tridiagonal r = tridiagonalize_reference(A.cast<double>());
                const double ref_err = (tridiagonal_eigenvalues(r) - exact).cwiseAbs().maxCoeff();
                CHECK_ERROR("tridiagonalize_reference n=" << n << " (double): max |lambda - Eigen's| / ||A||",
                            ref_err / norm, 1e-12);
            }
        }
}

TEST_CASE("symmetric_eigenvalues agrees with Eigen on random, clustered, rank-deficient and spiked matrices",
          "[tridiagonalize][symeig]") {
    for (const char* kind : {"random", "clustered", "rank_deficient", "spiked"})
        for (int n : {3, 31, 150, 333}) {
            const MatrixF A = test_matrix(kind, n, 70 + n);
            const VectorD exact = reference_eigenvalues(A);
            const double norm = exact.cwiseAbs().maxCoeff();
            MatrixF work = A;
            const SymmetricEigenvalues ours = symmetric_eigenvalues(work);
            REQUIRE(ours.ok);
            REQUIRE(ours.values.size() == n);
            for (int i = 1; i < n; ++i) REQUIRE(ours.values[i - 1] <= ours.values[i]);
            CHECK_ERROR(kind << " n=" << n << ": max |lambda - Eigen's| / ||A||",
                        (ours.values - exact).cwiseAbs().maxCoeff() / norm, eigen_tol(n, norm) / norm);
        }
}

TEST_CASE("symmetric_eigenvalues reports a non-finite matrix as not converged", "[tridiagonalize][symeig]") {
    MatrixF A = test_matrix("random", 40, 5);
    A(7, 3) = NAN;
    const SymmetricEigenvalues ours = symmetric_eigenvalues(A);
    CHECK_FALSE(ours.ok);
    CHECK(ours.values.size() == 40);
    CHECK(std::isnan(ours.values[0]));
}

TEST_CASE("the ESD's eigenvalues do not depend on the number of OpenMP threads", "[tridiagonalize][threads]") {
    // Above the symv's threaded size, five native column blocks of the rank-2k update, many panels.
    const MatrixF W = gaussian_matrix_f(k_symv_parallel_min + 300, k_symv_parallel_min + 100, 81);
    const int saved = omp_get_max_threads();
    std::vector<double> first;
    for (int threads : {1, 2, 3}) {
        omp_set_num_threads(threads);
        const std::vector<double> ev = esd_eigenvalues(W);
        if (threads == 1) first = ev;
        INFO("threads " << threads);
        CHECK(ev.size() == first.size());
        CHECK(std::memcmp(ev.data(), first.data(), sizeof(double) * ev.size()) == 0);
    }
    omp_set_num_threads(saved);
}

TEST_CASE("the float reduction adds about as much error as the float Gram already carries", "[tridiagonalize][spectrum]") {
    // Exact: the Gram of the float W formed in double and solved by Eigen in double. The former path: the float
    // Gram solved in double. Ours: the float Gram reduced in float (esd_eigenvalues). Both are bounded by the Gram's
    // rounding gamma_k ||W||_F^2 (test_spectrum.cpp) plus, for ours, the reduction's c n u ||G||_2.
    for (const char* kind : {"gaussian", "spiked"}) {
        MatrixD Wd = gaussian_matrix(600, 400, 91);
        if (std::string(kind) == "spiked") Wd.row(0) *= 30.0;  // one outlier, as after a large Adam step
        const MatrixF W = Wd.cast<float>();
        const MatrixD Wexact = W.cast<double>();
        const VectorD exact =
            Eigen::SelfAdjointEigenSolver<MatrixD>(Wexact.transpose() * Wexact, Eigen::EigenvaluesOnly).eigenvalues();
        MatrixF G;
        product_tn_self(W, 1.0f, G);
        const VectorD former = reference_eigenvalues(G);
        const std::vector<double> ours_v = esd_eigenvalues(W);
        const VectorD ours = Eigen::Map<const VectorD>(ours_v.data(), static_cast<Eigen::Index>(ours_v.size()));
        const double lmax = exact[exact.size() - 1];
        const double bound = gamma_float(600) * Wexact.squaredNorm() + eigen_tol(400, lmax);
        const double err_former = (former - exact).cwiseAbs().maxCoeff();
        const double err_ours = (ours - exact).cwiseAbs().maxCoeff();
        std::printf("  %s 600x400: max |lambda - exact| / lambda_max: float Gram + double Eigen %.3g, float Gram + "
                    "float reduction %.3g; smallest eigenvalue relative error %.3g vs %.3g\n",
                    kind, err_former / lmax, err_ours / lmax, std::abs(former[0] - exact[0]) / exact[0],
                    std::abs(ours[0] - exact[0]) / exact[0]);
        CHECK_ERROR(kind << " ESD, float reduction: max |lambda - exact| / lambda_max", err_ours / lmax, bound / lmax);
        // Hill's alpha at the median (a smooth function of the upper half of the spectrum) moves by far less than
        // its own standard error (alpha - 1)/sqrt(k) ~ 0.1 here: 1e-4 relative.
        const std::vector<double> exact_v(exact.data(), exact.data() + exact.size());
        const double a_exact = hill_alpha(exact_v).alpha, a_ours = hill_alpha(ours_v).alpha;
        CHECK_ERROR(kind << " ESD, float reduction: |alpha_Hill - exact| / alpha", std::abs(a_ours - a_exact) / a_exact,
                    1e-4);
    }
}

TEST_CASE("the root-free QL keeps its accuracy on tridiagonals scaled from 1e-300 to 1e300", "[tridiagonalize][sterf]") {
    // Its sweep takes 1 / c from 1 / p_old (sterf.cpp) and falls back to a division where that reciprocal would
    // overflow, a second interleaved sweep meets couplings the first has zeroed (by underflow at the tiny scales),
    // and beyond 2^-405 .. 2^510 T is scaled by a power of two first (its squares would under- or overflow): a
    // tiny or huge T exercises all of them, and its eigenvalues must stay those of T at scale 1.
    const int n = 200;
    Tridiagonal t;
    t.diagonal.resize(n);
    t.off_diagonal.resize(n - 1);
    for (int i = 0; i < n; ++i) t.diagonal[i] = 2.0 + std::sin(1.7 * i);
    for (int i = 0; i + 1 < n; ++i) t.off_diagonal[i] = 1.0 + 0.5 * std::cos(0.3 * i);
    const VectorD exact = tridiagonal_eigenvalues(t);
    for (double scale : {1.0, 1e-300, 1e-200, 1e-150, 1e-145, 1e-140, 1e-100, 1e100, 1e140, 1e145, 1e200, 1e300}) {
        VectorD d = t.diagonal * scale;
        REQUIRE(spiketail::tridiagonal_eigenvalues(d, VectorD(t.off_diagonal * scale)));
        std::sort(d.data(), d.data() + n);
        const double err = (d / scale - exact).cwiseAbs().maxCoeff() / exact.cwiseAbs().maxCoeff();
        CHECK_ERROR("QL eigenvalues at scale " << scale << " (normwise)", err, 64 * n * (std::numeric_limits<double>::epsilon() / 2));
    }
}

// The tridiagonals of the interleaved-sweep test: the 1-2-1 Laplacian, Wilkinson's W_n+, a graded one over 12
// decades, one of tight clusters (1 with couplings 1e-9) and a random one.
namespace {
Tridiagonal hard_tridiagonal(const std::string& kind, int n) {
    Tridiagonal t;
    t.diagonal.resize(n);
    t.off_diagonal.resize(n - 1);
    Rng rng(static_cast<std::uint64_t>(n));
    for (int i = 0; i < n; ++i) {
        const double graded = std::pow(10.0, -12.0 * i / n);
        double d = rng.gaussian(), e = rng.gaussian();
        if (kind == "laplacian") d = 2.0, e = -1.0;
        if (kind == "wilkinson") d = std::abs(i - (n - 1) / 2.0), e = 1.0;
        if (kind == "graded") d = graded, e = 0.5 * graded;
        if (kind == "clustered") d = 1.0, e = 1e-9;
        t.diagonal[i] = d;
        if (i + 1 < n) t.off_diagonal[i] = e;
    }
    return t;
}
}  // namespace

TEST_CASE("the QL sweeps agree with Eigen's tridiagonal QR on hard tridiagonals of every size, on 1 and 2 threads",
          "[tridiagonalize][sterf]") {
    // Each iteration runs two sweeps, the second two rows behind the first with a shift from the leading 3 x 3
    // (sterf.cpp); blocks of 3 or fewer rows take one, blocks of 65 or more four (two pairs, the second pair's
    // shifts from the leading 8 x 8), and from 129 rows the second pair runs on a second thread, following the
    // first row by row. Sizes 2 .. 9 cover every path at a block's end (the second sweep's last two steps, its
    // first step inside the loop), 64 .. 66 and 128 .. 130 the edges of the four-sweep and two-thread blocks; the
    // Laplacian's eigenvalues are known in closed form, 2 - 2 cos(k pi / (n + 1)); W_n+ has pairs agreeing to
    // many digits. Both thread counts must give the same bits.
    const double u = std::numeric_limits<double>::epsilon() / 2;
    const int saved = omp_get_max_threads();
    for (int n : {2, 3, 4, 5, 6, 7, 8, 9, 64, 65, 66, 128, 129, 130, 301, 700}) {
        for (const std::string kind : {"laplacian", "wilkinson", "graded", "clustered", "random"}) {
            const Tridiagonal t = hard_tridiagonal(kind, n);
            VectorD exact = tridiagonal_eigenvalues(t);
            if (kind == "laplacian")
                for (int k = 0; k < n; ++k) exact[k] = 2.0 - 2.0 * std::cos((k + 1) * std::acos(-1.0) / (n + 1));
            VectorD one = t.diagonal, two = t.diagonal;
            omp_set_num_threads(1);
            REQUIRE(spiketail::tridiagonal_eigenvalues(one, t.off_diagonal));
            omp_set_num_threads(2);
            REQUIRE(spiketail::tridiagonal_eigenvalues(two, t.off_diagonal));
            CHECK(std::memcmp(one.data(), two.data(), sizeof(double) * n) == 0);
            std::sort(one.data(), one.data() + n);
            const double err = (one - exact).cwiseAbs().maxCoeff() / exact.cwiseAbs().maxCoeff();
            CHECK_ERROR(kind << " n = " << n << ": QL eigenvalues (normwise)", err, 8 * n * u + 16 * u);
        }
    }
    omp_set_num_threads(saved);
}
