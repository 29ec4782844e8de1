// The products of a training step behind one seam (see gemm.hpp for the shapes).
// Native: Eigen's GEMM, threaded by OpenMP and vectorised for this CPU (AVX2/AVX-512 with FMA).
// WebAssembly: our SIMD kernel (gemm_kernel.cpp), ~2.4x Eigen's wasm GEMM and ~1.5x TF.js's XNNPACK on
// the study's shapes (bench/NOTES.md), because Eigen's wasm path has no tuned SIMD128 micro-kernel.
#include "gemm.hpp"

#include "gemm_kernel.hpp"

namespace spiketail {

#ifdef __EMSCRIPTEN__

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) { product_nt_simd(A, B, alpha, C); }
void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) { product_tn_simd(A, B, alpha, C); }

#else

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.rows(), B.rows());
    C.noalias() = alpha * A * B.transpose();
}

void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.cols(), B.cols());
    C.noalias() = alpha * A.transpose() * B;
}

#endif

}  // namespace spiketail
