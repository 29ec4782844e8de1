// A portable SIMD float GEMM (the wasm build's products) and the naive reference it is tested against.
//
//   C = alpha * Ã B̃,   Ã: m x k, B̃: k x n, C: m x n column-major with leading dimension ldc.
// Each operand is read through strides, so one kernel serves both products of a training step:
//   product_nt  C = alpha A B^T  (A: m x k, B: n x k)  Ã(i,p) = A[i + p lda],  B̃(p,j) = B[j + p ldb]
//   product_tn  C = alpha A^T B  (A: k x m, B: k x n)  Ã(i,p) = A[p + i lda],  B̃(p,j) = B[p + j ldb]
//
// The kernel follows Goto & van de Geijn, "Anatomy of high-performance matrix multiplication" (2008),
// and BLIS's layering: panels of Ã (MR rows) and B̃ (NR columns) are packed contiguously for a block of
// depth KC, and a register-blocked MR x NR micro-kernel updates C with 4-wide float vectors. It is written
// with GCC/Clang vector extensions, which Clang lowers to wasm SIMD128 (f32x4) under Emscripten and GCC to
// SSE/AVX natively, so the native Catch2 tests exercise the very code the browser runs.
// Method: docs/method.md §9-10.
#pragma once
#include <cstddef>

#include "types.hpp"

namespace spiketail {

// A k-deep operand read through strides: element (i, p) is data[i * stride_i + p * stride_p], where i
// runs over the rows of Ã (resp. the columns of B̃) and p over the shared depth k.
struct GemmOperand {
    const float* data = nullptr;
    std::ptrdiff_t stride_i = 1;
    std::ptrdiff_t stride_p = 1;
};

// The SIMD kernel: C (m x n, ldc) = alpha * Ã B̃ (C is overwritten; k = 0 gives zeros).
void gemm_simd(int m, int n, int k, float alpha, GemmOperand a, GemmOperand b, float* C, int ldc);

// The symmetric product C (m x m, ldc) = alpha * Ã Ã^T (Ã: m x k): only the tiles on or below the diagonal
// are computed (half the flops of gemm_simd), then the lower triangle is mirrored. The Gram matrices of a
// probe (W^T W for the ESD, F^T F for the ridge refit and KTA) are such products.
void gram_simd(int m, int k, float alpha, GemmOperand a, float* C, int ldc);

// The update of a symmetric matrix's lower triangle, C (m x m, ldc) += alpha * Ã B̃ (Ã: m x k, B̃: k x m), written
// on and below the diagonal only (entries above it are left as they are). With Ã = [V W] and B̃ = [W V]^T it is
// the rank-2k update C -= V W^T + W V^T of a blocked tridiagonal reduction (tridiagonalize.hpp).
void gemm_lower_update_simd(int m, int k, float alpha, GemmOperand a, GemmOperand b, float* C, int ldc);

// The reference: a triple loop accumulating in double, rounded to float once at the end.
void gemm_reference(int m, int n, int k, float alpha, GemmOperand a, GemmOperand b, float* C, int ldc);

// The two products of gemm.hpp through the SIMD kernel (what the wasm build runs), available natively too.
void product_nt_simd(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C);
void product_tn_simd(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C);

// C = alpha A^T A (A: k x m, C: m x m, symmetric) through gram_simd.
void product_tn_self_simd(const MatrixF& A, float alpha, MatrixF& C);

// The same products by the reference loop: slow, exact to float rounding of a double sum.
void product_nt_reference(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C);
void product_tn_reference(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C);

}  // namespace spiketail
