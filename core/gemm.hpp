// The two large products of a training step and of a probe, behind one seam so that the wasm build can
// use its own SIMD micro-kernel while the native build uses Eigen (threaded by OpenMP).
//
//   product_nt:  C = alpha * A B^T   A: m x k, B: n x k, C: m x n   (forward: Z = X W^T / sqrt d)
//   product_tn:  C = alpha * A^T B   A: k x m, B: k x n, C: m x n   (backward: dW = G^T X / sqrt d)
//   product_tn_self: C = alpha * A^T A, all of C filled           (probe: W^T W, F^T F)
//   rank2k_update_lower: C -= V W^T + W V^T, lower triangle       (tridiagonal reduction: V, W: n x k)
// All matrices column-major (Eigen's default). C is resized.
// Method: docs/method.md §9: fixed blocks make the sums independent of the thread count.
#pragma once
#include "types.hpp"

namespace spiketail {

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C);
void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C);
void product_tn_self(const MatrixF& A, float alpha, MatrixF& C);
// C = alpha * A A^T (A: m x k, C: m x m), all of C filled: the smaller Gram of a wide matrix, at half the flops
// of product_nt(A, A) and without a transposed copy of A.
void product_nt_self(const MatrixF& A, float alpha, MatrixF& C);
// C = A^T A summed in float, returned in double without a float copy beside it (the probe's heap peak).
void product_tn_self_double(const MatrixF& A, MatrixD& C);
// C -= V W^T + W V^T on and below the diagonal of C (above it nothing is written): the symmetric rank-2k update of
// a blocked tridiagonal reduction (tridiagonalize.hpp). C: n x n, V, W: n x k, column-major with leading dimensions.
void rank2k_update_lower(int n, int k, const float* V, int ldv, const float* W, int ldw, float* C, int ldc);

}  // namespace spiketail
