// The GEMM seam (gemm.hpp) and the SIMD kernel behind it in the wasm build (gemm_kernel.hpp), against the
// naive reference (a double-accumulated triple loop):
//   product_nt  C = alpha A B^T  (A: m x k, B: n x k),   product_tn  C = alpha A^T B  (A: k x m, B: k x n).
// The kernel is written with vector extensions, so natively GCC compiles the same micro-kernel, packing
// and blocking that Clang lowers to wasm SIMD128; these tests run it on shapes that hit every edge:
// 1 x 1, sizes that are not multiples of the tile (MR x NR) or of the blocks (KC, MC, NC), k = 0, and a
// C with a leading dimension larger than its rows.
//
// Tolerance, componentwise: |C - C_ref|_ij <= gamma_{2k+2} (|alpha| |A| |B|)_ij. Higham's gamma_k bounds a
// k-term float dot product in any summation order; the kernel adds at most one rounding for alpha and one
// for each of at most k depth blocks accumulated into C, and the reference one final rounding.
#include <catch2/catch.hpp>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "block_blas.hpp"
#include "gemm.hpp"
#include "gemm_kernel.hpp"
#include "helpers.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

// max_ij |C - R|_ij / (|alpha| |A| |B|)_ij with the scale S = |alpha| |A||B| given in double.
double componentwise_error(const MatrixF& C, const MatrixF& R, const MatrixD& S) {
    REQUIRE(C.rows() == R.rows());
    REQUIRE(C.cols() == R.cols());
    double worst = 0;
    for (Eigen::Index i = 0; i < C.size(); ++i) {
        const double diff = std::fabs(double(C.data()[i]) - double(R.data()[i]));
        const double scale = S.data()[i];
        worst = std::fmax(worst, scale > 0 ? diff / scale : (diff > 0 ? INFINITY : 0));
    }
    return worst;
}

using Product = void (*)(const MatrixF&, const MatrixF&, float, MatrixF&);

void check_product(const char* name, bool transposed_a, Product product, Product reference, int m, int n, int k,
                   std::uint64_t seed) {
    const float alpha = 0.37f;
    const MatrixF A = transposed_a ? gaussian_matrix_f(k, m, seed) : gaussian_matrix_f(m, k, seed);
    const MatrixF B = transposed_a ? gaussian_matrix_f(k, n, seed + 1) : gaussian_matrix_f(n, k, seed + 1);
    MatrixF C, R;
    C.setConstant(3, 2, NAN);  // wrong size and poisoned: the product must resize and overwrite it
    product(A, B, alpha, C);
    reference(A, B, alpha, R);
    const MatrixD Ad = A.cast<double>().cwiseAbs(), Bd = B.cast<double>().cwiseAbs();
    const MatrixD S = transposed_a ? MatrixD(std::fabs(alpha) * Ad.transpose() * Bd)
                                   : MatrixD(std::fabs(alpha) * Ad * Bd.transpose());
    const double error = componentwise_error(C, R, S);
    const double tol = gamma_float(2.0 * k + 2);
    print_error(std::string(name) + " " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k),
                error, tol);
    CHECK(C.rows() == m);
    CHECK(C.cols() == n);
    CHECK(error <= tol);
}

// m x n x k: 1 x 1; odd sizes below one tile; sizes straddling MR = 8, NR = 4, KC = 256 (k = 257, 300, 513),
// MC = 512 (m = 600); n beyond NC = 2048 with a tiny m and k to stay fast.
const int k_shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {37, 29, 53}, {8, 4, 256}, {9, 5, 257},
                           {31, 17, 300}, {64, 48, 513}, {600, 13, 40}, {5, 2100, 3}, {1, 9, 1000}};

}  // namespace

TEST_CASE("SIMD product_nt matches the reference on edge shapes", "[gemm]") {
    std::uint64_t seed = 100;
    for (const auto& s : k_shapes) check_product("nt simd", false, product_nt_simd, product_nt_reference, s[0], s[1], s[2], seed += 2);
}

TEST_CASE("SIMD product_tn matches the reference on edge shapes", "[gemm]") {
    std::uint64_t seed = 200;
    for (const auto& s : k_shapes) check_product("tn simd", true, product_tn_simd, product_tn_reference, s[0], s[1], s[2], seed += 2);
}

TEST_CASE("The seam's products (Eigen natively, SIMD in wasm) match the reference", "[gemm]") {
    check_product("nt seam", false, product_nt, product_nt_reference, 37, 29, 300, 300);
    check_product("tn seam", true, product_tn, product_tn_reference, 37, 29, 300, 302);
}

TEST_CASE("SIMD GEMM at a step's shape (n=200, d=100, h=150)", "[gemm]") {
    check_product("nt forward", false, product_nt_simd, product_nt_reference, 200, 150, 100, 400);  // X W^T
    check_product("tn backward", true, product_tn_simd, product_tn_reference, 150, 100, 200, 402);  // G^T X
}

TEST_CASE("SIMD GEMM with k = 0 gives zeros, and leaves C's padding rows alone", "[gemm]") {
    MatrixF A(4, 0), B(3, 0), C;
    product_nt_simd(A, B, 1.0f, C);
    CHECK(C.rows() == 4);
    CHECK(C.cols() == 3);
    CHECK(C.isZero(0));

    // C as the top 13 rows of a 16-row buffer (ldc = 16): the 3 rows below must keep their sentinel.
    const int m = 13, n = 6, k = 20, ldc = 16;
    const MatrixF X = gaussian_matrix_f(m, k, 500), Y = gaussian_matrix_f(n, k, 501);
    MatrixF buffer = MatrixF::Constant(ldc, n, 42.0f), R;
    gemm_simd(m, n, k, 1.0f, {X.data(), 1, m}, {Y.data(), 1, n}, buffer.data(), ldc);
    product_nt_reference(X, Y, 1.0f, R);
    const double error = (buffer.topRows(m) - R).cwiseAbs().maxCoeff() / R.cwiseAbs().maxCoeff();
    print_error("nt simd with ldc > m (max-norm relative)", error, gamma_float(2.0 * k + 2) * k);
    CHECK(error <= gamma_float(2.0 * k + 2) * k);
    CHECK((buffer.bottomRows(ldc - m).array() == 42.0f).all());
}

TEST_CASE("SIMD Gram product A^T A matches the reference and is exactly symmetric", "[gemm]") {
    // m = A.cols() straddling MR, NR, MC; k straddling KC.
    const int shapes[][2] = {{1, 1}, {7, 3}, {37, 300}, {100, 257}, {530, 40}};
    std::uint64_t seed = 600;
    for (const auto& s : shapes) {
        const int m = s[0], k = s[1];
        const float alpha = 0.37f;
        const MatrixF A = gaussian_matrix_f(k, m, seed += 2);
        MatrixF C, R;
        product_tn_self_simd(A, alpha, C);
        product_tn_reference(A, A, alpha, R);
        const MatrixD Ad = A.cast<double>().cwiseAbs();
        const MatrixD S = std::fabs(alpha) * Ad.transpose() * Ad;
        const double error = componentwise_error(C, R, S);
        const double tol = gamma_float(2.0 * k + 2);
        print_error("gram simd " + std::to_string(m) + "x" + std::to_string(m) + "x" + std::to_string(k), error, tol);
        CHECK(error <= tol);
        CHECK(C == C.transpose());

        MatrixF G;  // the seam's Gram (Eigen natively, the same SIMD kernel in wasm)
        product_tn_self(A, alpha, G);
        const double seam_error = componentwise_error(G, R, S);
        print_error("gram seam " + std::to_string(m) + "x" + std::to_string(m) + "x" + std::to_string(k), seam_error, tol);
        CHECK(seam_error <= tol);
        CHECK(G == G.transpose());
    }
}

TEST_CASE("Gram product A A^T of a wide matrix matches the reference and is exactly symmetric", "[gemm]") {
    // product_nt_self: the smaller Gram of a wide W (rows < cols) for the ESD; m straddling MR and MC, k KC.
    const int shapes[][2] = {{1, 1}, {7, 30}, {37, 300}, {530, 600}};
    std::uint64_t seed = 700;
    for (const auto& s : shapes) {
        const int m = s[0], k = s[1];
        const float alpha = 0.37f;
        const MatrixF A = gaussian_matrix_f(m, k, seed += 2);
        MatrixF C, R;
        product_nt_self(A, alpha, C);
        product_nt_reference(A, A, alpha, R);
        const MatrixD Ad = A.cast<double>().cwiseAbs();
        const MatrixD S = std::fabs(alpha) * Ad * Ad.transpose();
        const double error = componentwise_error(C, R, S);
        const double tol = gamma_float(2.0 * k + 2);
        print_error("gram nt seam " + std::to_string(m) + "x" + std::to_string(m) + "x" + std::to_string(k), error, tol);
        CHECK(error <= tol);
        CHECK(C == C.transpose());
    }
}

TEST_CASE("The native products do not depend on the number of OpenMP threads", "[gemm][threads]") {
    // Shapes of several fixed 256-column blocks with a narrower last one (core/gemm.cpp); every product of the
    // seam, bit for bit against one thread. (8 threads, more than cores and blocks, are the CLI's determinism
    // test's, set by OMP_NUM_THREADS: growing libomp's team to 8 with omp_set_num_threads and back leaks 4 KB of
    // its thread descriptors, which the sanitizer build's LeakSanitizer reports.)
    const MatrixF A = gaussian_matrix_f(300, 700, 11), B = gaussian_matrix_f(600, 700, 12);
    const MatrixF G = gaussian_matrix_f(300, 600, 13), X = gaussian_matrix_f(300, 530, 14);
    const MatrixF V = gaussian_matrix_f(530, 32, 15), W = gaussian_matrix_f(530, 32, 16);
    const MatrixF C0 = gaussian_matrix_f(530, 530, 17);
    auto products = [&] {
        std::vector<MatrixF> out(5);
        product_nt(A, B, 0.5f, out[0]);
        product_tn(G, X, 0.5f, out[1]);
        product_tn_self(X, 1.0f, out[2]);
        product_nt_self(B, 1.0f, out[3]);
        out[4] = C0;
        rank2k_update_lower(530, 32, V.data(), 530, W.data(), 530, out[4].data(), 530);
        return out;
    };
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    const std::vector<MatrixF> one = products();
    for (int threads : {2, 3}) {
        omp_set_num_threads(threads);
        const std::vector<MatrixF> many = products();
        for (std::size_t i = 0; i < one.size(); ++i) {
            INFO("threads " << threads << ", product " << i << " (" << block_blas_name() << ")");
            REQUIRE(many[i].size() == one[i].size());
            CHECK(std::memcmp(many[i].data(), one[i].data(), sizeof(float) * one[i].size()) == 0);
        }
    }
    omp_set_num_threads(saved);
    // OpenBLAS computes each block in the calling thread: it never splits a block over threads of its own.
    CHECK(block_blas_threads() == 1);
    // The rank-2k update leaves the strict upper triangle of C as it was.
    const MatrixF C = products()[4];
    CHECK((C.triangularView<Eigen::StrictlyUpper>().toDenseMatrix() ==
           C0.triangularView<Eigen::StrictlyUpper>().toDenseMatrix()));
}
