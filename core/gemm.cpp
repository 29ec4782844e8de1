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
