// The work of one fixed block of gemm.cpp's native products: a single-threaded float product on column-major
// operands (leading dimensions as BLAS). OpenBLAS's sgemm / ssyrk / ssyr2k when the build found it
// (SPIKETAIL_OPENBLAS, CMakeLists.txt: Debian's libopenblas-dev), run in the calling thread; Eigen otherwise.
// Either way one call computes its block the same way whatever else runs, so gemm.cpp's fixed blocks keep the
// sums independent of the thread count (docs/method.md §9). Native only: the wasm build has its own kernel.
#pragma once

namespace spiketail {

enum class Trans { no, yes };

// C = alpha op(A) op(B) + beta C; op(A): m x k, op(B): k x n, C: m x n. beta == 0 ignores C's old values.
void block_gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
                float beta, float* C, int ldc);
// C = alpha op(A) op(A)^T + beta C on and below the diagonal (above it nothing is written); op(A): n x k.
void block_syrk_lower(Trans t, int n, int k, float alpha, const float* A, int lda, float beta, float* C, int ldc);
// C = alpha (A B^T + B A^T) + beta C on and below the diagonal; A, B: n x k.
void block_syr2k_lower(int n, int k, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C,
                       int ldc);
// What computes the blocks: "OpenBLAS <version> (<its kernel for this CPU>)" or "Eigen" (the bench reports it).
const char* block_blas_name();
// The threads OpenBLAS may use for one call once a block has run (1: each block is single-threaded); 1 for Eigen.
int block_blas_threads();

}  // namespace spiketail
