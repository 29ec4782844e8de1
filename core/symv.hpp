// The level-2 kernels of the blocked tridiagonal reduction (tridiagonalize.hpp), and the naive references they
// are tested against:
//
//   symv_lower:  y = A x     A: n x n symmetric, only its lower triangle read (column-major, leading dimension lda)
//   dot:         x . y       n floats, summed in float in 8 fixed lanes, the lanes added in double
//
// symv_lower reads each entry of the lower triangle once and uses it twice, y_i += A_ij x_j and y_j += A_ij x_i
// (LAPACK's dsymv, UPLO = 'L'): half the memory traffic of a full matrix-vector product, which is what bounds it
// at the sizes where it matters (a 4096² float matrix does not fit in cache). Columns are cut into a fixed number
// of blocks, each summed into its own partial vector, the partials added in block order: natively the blocks run
// on OpenMP threads, and the sums are the same whatever the number of threads (docs/method.md §9). Written with
// GCC/Clang vector extensions (f32x4 in wasm, SSE natively), like gemm_kernel.cpp, so the native tests run the
// code the browser runs. Method: docs/method.md §6.1.
#pragma once

namespace spiketail {

// y (n) = A x; x and y must not overlap; work: n * k_symv_blocks floats (the partial sums), or nullptr to
// allocate them.
void symv_lower(int n, const float* A, int lda, const float* x, float* y, float* work = nullptr);
// The number of column blocks of symv_lower (fixed, so that the sums do not depend on the thread count).
constexpr int k_symv_blocks = 8;
// The smallest n for which the blocks run on threads (core/parallel.hpp): the reduction calls symv once per
// column, and below this a product (~n²/2 floats read) takes less than waking the threads can cost on a busy
// machine. The threaded wasm module's pool spins before it sleeps and its mat-vec is several times slower per
// entry than the native one, so there the blocks pay from a smaller n.
#if defined(__EMSCRIPTEN_PTHREADS__)
constexpr int k_symv_parallel_min = 128;
#else
constexpr int k_symv_parallel_min = 1024;
#endif

// symv_lower in its pieces, for a caller that runs them inside a call of its own (the reduction's columns,
// tridiagonalize.cpp): the column blocks' edges; block b's partial sums (rows edge[b] .. n-1 of work + b n);
// and rows [r0, r1) of y, the partials summed block by block in order. symv_lower is these three.
struct SymvBlocks {
    int n = 0;
    int edge[k_symv_blocks + 1] = {};
};
SymvBlocks symv_blocks(int n);
void symv_partial(const SymvBlocks& blocks, const float* A, int lda, const float* x, float* work, int b);
void symv_sum(const SymvBlocks& blocks, const float* work, float* y, int r0, int r1);

// x . y over n floats.
double dot(int n, const float* x, const float* y);

// The references: plain loops over the full symmetric matrix (A_ij = A_ji from the lower triangle), in double.
void symv_lower_reference(int n, const float* A, int lda, const float* x, double* y);

}  // namespace spiketail
