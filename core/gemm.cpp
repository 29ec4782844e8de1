// The products of a training step behind one seam (see gemm.hpp for the shapes).
// Native: Eigen's GEMM, threaded by OpenMP and vectorised for this CPU (AVX2/AVX-512 with FMA).
// WebAssembly: our SIMD kernel (gemm_kernel.cpp), ~2.1x Eigen's wasm GEMM and ~1.35x TF.js's XNNPACK on
// the study's shapes (bench/NOTES.md), because Eigen's wasm path has no tuned SIMD128 micro-kernel.
#include "gemm.hpp"

#include "gemm_kernel.hpp"

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

// Eigen's own OpenMP split picks its k-blocking from the thread count, so the float sums (and, through a
// chaotic large-lr run, the whole trajectory) would depend on OMP_NUM_THREADS and on `sweep --jobs`.
// Instead C is cut into column blocks of a fixed width, each computed by single-threaded Eigen (which does
// not nest inside a parallel region): every entry is summed the same way whatever the number of threads.
// Blocks are handed out dynamically: a thread the OS deschedules (a shared machine, a sweep with more
// workers than cores) then delays one block, not its whole static share.
constexpr Eigen::Index k_column_block = 256;

template <typename Block>
void for_column_blocks(Eigen::Index cols, Block&& block) {
    const Eigen::Index blocks = (cols + k_column_block - 1) / k_column_block;
#pragma omp parallel for schedule(dynamic, 1)
    for (Eigen::Index b = 0; b < blocks; ++b) {
        const Eigen::Index first = b * k_column_block;
        block(first, std::min(k_column_block, cols - first));
    }
}

}  // namespace

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.rows(), B.rows());
    for_column_blocks(C.cols(), [&](Eigen::Index first, Eigen::Index width) {
        C.middleCols(first, width).noalias() = alpha * A * B.middleRows(first, width).transpose();
    });
}

void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.cols(), B.cols());
    for_column_blocks(C.cols(), [&](Eigen::Index first, Eigen::Index width) {
        C.middleCols(first, width).noalias() = alpha * A.transpose() * B.middleCols(first, width);
    });
}

// Eigen's symmetric rank update computes the lower triangle single-threaded, so its sums do not depend
// on the thread count either.
void product_tn_self(const MatrixF& A, float alpha, MatrixF& C) {
    C = MatrixF::Zero(A.cols(), A.cols());
    C.selfadjointView<Eigen::Lower>().rankUpdate(A.transpose(), alpha);
    C.triangularView<Eigen::StrictlyUpper>() = C.transpose();
}

void product_nt_self(const MatrixF& A, float alpha, MatrixF& C) {
    C = MatrixF::Zero(A.rows(), A.rows());
    C.selfadjointView<Eigen::Lower>().rankUpdate(A, alpha);
    C.triangularView<Eigen::StrictlyUpper>() = C.transpose();
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
// triangle) and the rectangle below it. The depth 2k is below Eigen's depth blocking, so every entry is one
// sum over 2k terms in the same order whatever the number of threads.
void rank2k_update_lower(int n, int k, const float* V, int ldv, const float* W, int ldw, float* C, int ldc) {
    if (n <= 0 || k <= 0) return;
    MatrixF VW, WV;
    side_by_side(n, k, V, ldv, W, ldw, VW, WV);
    Eigen::Map<MatrixF, 0, Eigen::OuterStride<>> c(C, n, n, Eigen::OuterStride<>(ldc));
    for_column_blocks(n, [&](Eigen::Index first, Eigen::Index width) {
        c.block(first, first, width, width).triangularView<Eigen::Lower>() -=
            VW.middleRows(first, width) * WV.middleRows(first, width).transpose();
        const Eigen::Index below = n - first - width;
        if (below > 0)
            c.block(first + width, first, below, width).noalias() -=
                VW.middleRows(first + width, below) * WV.middleRows(first, width).transpose();
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
    Eigen::Map<MatrixF> gram(C, m, m);
    gram.setZero();
    gram.selfadjointView<Eigen::Lower>().rankUpdate(A.transpose());
    gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
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
