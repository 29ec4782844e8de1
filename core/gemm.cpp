// The products of a training step behind one seam (see gemm.hpp for the shapes).
// Native: fixed column blocks on OpenMP threads, each block one single-threaded product (block_blas.hpp:
// OpenBLAS's sgemm, or Eigen's GEMM vectorised for this CPU when the build has no OpenBLAS).
// WebAssembly: our SIMD kernel (gemm_kernel.cpp), ~2.1x Eigen's wasm GEMM and ~1.35x TF.js's XNNPACK on
// the study's shapes (bench/NOTES.md), because Eigen's wasm path has no tuned SIMD128 micro-kernel.
#include "gemm.hpp"

#include "block_blas.hpp"
#include "gemm_kernel.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <cstring>

namespace spiketail {

#ifdef __EMSCRIPTEN__

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) { product_nt_simd(A, B, alpha, C); }
void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) { product_tn_simd(A, B, alpha, C); }
void product_tn_self(const MatrixF& A, float alpha, MatrixF& C) { product_tn_self_simd(A, alpha, C); }
void product_nt_self(const MatrixF& A, float alpha, MatrixF& C) {
    C.resize(A.rows(), A.rows());
    gram_simd(int(A.rows()), int(A.cols()), alpha, GemmOperand{A.data(), 1, static_cast<std::ptrdiff_t>(A.rows())},
              C.data(), int(C.rows()));
}

#else

namespace {

// A threaded BLAS (Eigen's OpenMP split, OpenBLAS's own threads) picks its blocking from the thread count, so the
// float sums (and, through a chaotic large-lr run, the whole trajectory) would depend on OMP_NUM_THREADS and on
// `sweep --jobs`. Instead C is cut into column blocks of a fixed width, each computed by one single-threaded
// product (block_blas.hpp: OpenBLAS's sgemm when the build found it, else Eigen): every entry is summed the
// same way whatever the number of threads. Blocks are handed out dynamically: a thread the OS deschedules (a
// shared machine, a sweep with more workers than cores) then delays one block, not its whole static share.
constexpr Eigen::Index k_column_block = 256;

template <typename Block>
void for_column_blocks(Eigen::Index cols, Block&& block) {
    const int blocks = static_cast<int>((cols + k_column_block - 1) / k_column_block);
    for_each_block(blocks, [&](int b) {
        const Eigen::Index first = b * k_column_block;
        block(first, std::min(k_column_block, cols - first));
    });
}

int to_int(Eigen::Index i) { return static_cast<int>(i); }

// C (m x m, ldc) = alpha op(A) op(A)^T, op(A) = A^T (A: k x m) or A (A: m x k), both triangles. Column block
// [j, j + w) is its w x w diagonal block (a symmetric rank-k product) and the rectangle below it (a product).
void gram_blocks(Trans t, int m, int k, float alpha, const float* A, int lda, float* C, int ldc) {
    // Column j of op(A)^T starts at A + j * lda (t = yes: a column of A) or A + j (t = no: a row of A).
    const std::ptrdiff_t step = t == Trans::yes ? lda : 1;
    for_column_blocks(m, [&](Eigen::Index first, Eigen::Index width) {
        const float* Aj = A + first * step;
        float* Cjj = C + first + first * static_cast<std::ptrdiff_t>(ldc);
        block_syrk_lower(t, to_int(width), k, alpha, Aj, lda, 0.0f, Cjj, ldc);
        const Eigen::Index below = m - first - width;
        if (below > 0)
            block_gemm(t, t == Trans::yes ? Trans::no : Trans::yes, to_int(below), to_int(width), k, alpha,
                       A + (first + width) * step, lda, Aj, lda, 0.0f, Cjj + width, ldc);
    });
    Eigen::Map<MatrixF, 0, Eigen::OuterStride<>> c(C, m, m, Eigen::OuterStride<>(ldc));
    c.triangularView<Eigen::StrictlyUpper>() = c.transpose();
}

}  // namespace

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.rows(), B.rows());
    const int m = to_int(A.rows()), n = to_int(B.rows()), k = to_int(A.cols());
    for_column_blocks(C.cols(), [&](Eigen::Index first, Eigen::Index width) {
        block_gemm(Trans::no, Trans::yes, m, to_int(width), k, alpha, A.data(), m, B.data() + first, n, 0.0f,
                   C.data() + first * m, m);
    });
}

void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.cols(), B.cols());
    const int m = to_int(A.cols()), k = to_int(A.rows());
    for_column_blocks(C.cols(), [&](Eigen::Index first, Eigen::Index width) {
        block_gemm(Trans::yes, Trans::no, m, to_int(width), k, alpha, A.data(), k, B.data() + first * k, k, 0.0f,
                   C.data() + first * m, m);
    });
}

void product_tn_self(const MatrixF& A, float alpha, MatrixF& C) {
    C.resize(A.cols(), A.cols());
    gram_blocks(Trans::yes, to_int(A.cols()), to_int(A.rows()), alpha, A.data(), to_int(A.rows()), C.data(),
                to_int(C.rows()));
}

void product_nt_self(const MatrixF& A, float alpha, MatrixF& C) {
    C.resize(A.rows(), A.rows());
    gram_blocks(Trans::no, to_int(A.rows()), to_int(A.cols()), alpha, A.data(), to_int(A.rows()), C.data(),
                to_int(C.rows()));
}

#endif

namespace {

// [V W] and [W V] side by side (n x 2k each), so that the two products of the update are one of depth 2k: C is
// read and written once, not twice.
void side_by_side(int n, int k, const float* V, int ldv, const float* W, int ldw, MatrixF& VW, MatrixF& WV) {
    VW.resize(n, 2 * k);
    WV.resize(n, 2 * k);
    for (int p = 0; p < k; ++p) {
        const float* v = V + static_cast<std::ptrdiff_t>(p) * ldv;
        const float* w = W + static_cast<std::ptrdiff_t>(p) * ldw;
        std::copy(v, v + n, VW.col(p).data());
        std::copy(w, w + n, VW.col(k + p).data());
        std::copy(w, w + n, WV.col(p).data());
        std::copy(v, v + n, WV.col(k + p).data());
    }
}

}  // namespace

#ifdef __EMSCRIPTEN__

void rank2k_update_lower(int n, int k, const float* V, int ldv, const float* W, int ldw, float* C, int ldc) {
    if (n <= 0 || k <= 0) return;
    MatrixF VW, WV;
    side_by_side(n, k, V, ldv, W, ldw, VW, WV);
    // Ã = [V W] (rows of VW), B̃ = [W V]^T (rows of WV): C += -1 * Ã B̃, lower triangle.
    gemm_lower_update_simd(n, 2 * k, -1.0f, GemmOperand{VW.data(), 1, n}, GemmOperand{WV.data(), 1, n}, C, ldc);
}

#else

// Fixed column blocks as in the products above; block [j0, j0 + w) updates its w x w diagonal block (lower
// triangle, a symmetric rank-2k product of V and W) and the rectangle below it (one product of depth 2k with
// [V W] and [W V]): each is one single-threaded call, so every entry is summed the same way whatever the number
// of threads.
void rank2k_update_lower(int n, int k, const float* V, int ldv, const float* W, int ldw, float* C, int ldc) {
    if (n <= 0 || k <= 0) return;
    MatrixF VW, WV;
    side_by_side(n, k, V, ldv, W, ldw, VW, WV);
    for_column_blocks(n, [&](Eigen::Index first, Eigen::Index width) {
        float* Cjj = C + first + first * static_cast<std::ptrdiff_t>(ldc);
        block_syr2k_lower(to_int(width), k, -1.0f, V + first, ldv, W + first, ldw, 1.0f, Cjj, ldc);
        const Eigen::Index below = n - first - width;
        if (below > 0)
            block_gemm(Trans::no, Trans::yes, to_int(below), to_int(width), 2 * k, -1.0f, VW.data() + first + width, n,
                       WV.data() + first, n, 1.0f, Cjj + width, ldc);
    });
}

#endif

namespace {

// C (m x m, leading dimension m) = A^T A in float, both triangles.
void gram_into(const MatrixF& A, float* C) {
    const Eigen::Index m = A.cols();
#ifdef __EMSCRIPTEN__
    gram_simd(int(m), int(A.rows()), 1.0f, GemmOperand{A.data(), static_cast<std::ptrdiff_t>(A.rows()), 1}, C, int(m));
#else
    gram_blocks(Trans::yes, to_int(m), to_int(A.rows()), 1.0f, A.data(), to_int(A.rows()), C, to_int(m));
#endif
}

}  // namespace

// The float Gram is computed into the first half of the double matrix's own bytes, then widened in place
// from the last entry down (double i never overwrites a float j < i not yet read): no second m x m buffer.
void product_tn_self_double(const MatrixF& A, MatrixD& C) {
    const Eigen::Index m = A.cols();
    C.resize(m, m);
    unsigned char* bytes = reinterpret_cast<unsigned char*>(C.data());
    gram_into(A, reinterpret_cast<float*>(bytes));
    for (Eigen::Index i = m * m - 1; i >= 0; --i) {
        float f;
        std::memcpy(&f, bytes + sizeof(float) * i, sizeof f);
        const double wide = f;
        std::memcpy(bytes + sizeof(double) * i, &wide, sizeof wide);
    }
}

}  // namespace spiketail
