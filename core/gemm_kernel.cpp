// C (m x n) = alpha * Ã (m x k) B̃ (k x n): packed panels, an MR x NR register-blocked micro-kernel on
// 4-wide float vectors, and KC / MC / NC cache blocking (Goto & van de Geijn 2008; BLIS's loop order).
//
// Loop nest (BLIS):  jc over n by NC -> pc over k by KC: pack B̃ block (KC x NC, panels of NR columns)
//                    -> ic over m by MC: pack Ã block (MC x KC, panels of MR rows)
//                    -> jr by NR -> ir by MR: micro-kernel, C tile += Ã panel · B̃ panel.
// The B̃ micro-panel (KC x NR) stays in L1 across the ir loop, the packed Ã block in L2, the B̃ block in L3.
//
// Why these sizes (measured in bench/NOTES.md): WebAssembly SIMD has 4-wide vectors, no FMA, and V8
// maps v128 values to the 16 XMM registers of x86-64 (one of which it keeps as a scratch register), so
// the micro-kernel keeps MR/4 x NR accumulators plus MR/4 loaded Ã vectors and one broadcast B̃ value
// below 15 registers. B̃ values are broadcast straight from memory (v128.load32_splat -> vbroadcastss).
#include "gemm_kernel.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

// Blocking parameters; overridable with -D so that bench/gemm can measure variants without edits.
#ifndef SPIKETAIL_GEMM_MR
#define SPIKETAIL_GEMM_MR 8
#endif
#ifndef SPIKETAIL_GEMM_NR
#define SPIKETAIL_GEMM_NR 4
#endif
#ifndef SPIKETAIL_GEMM_KC
#define SPIKETAIL_GEMM_KC 256
#endif
#ifndef SPIKETAIL_GEMM_MC
#define SPIKETAIL_GEMM_MC 512
#endif
#ifndef SPIKETAIL_GEMM_NC
#define SPIKETAIL_GEMM_NC 2048
#endif

namespace spiketail {
namespace {

constexpr int k_mr = SPIKETAIL_GEMM_MR;  // rows of a C tile (a multiple of 4: one vector per 4 rows)
constexpr int k_nr = SPIKETAIL_GEMM_NR;  // columns of a C tile (one broadcast B̃ value each)
constexpr int k_kc = SPIKETAIL_GEMM_KC;  // depth of a packed block
constexpr int k_mc = SPIKETAIL_GEMM_MC;  // rows of a packed Ã block (a multiple of MR)
constexpr int k_nc = SPIKETAIL_GEMM_NC;  // columns of a packed B̃ block (a multiple of NR)
static_assert(k_mr % 4 == 0 && k_mc % k_mr == 0 && k_nc % k_nr == 0, "inconsistent GEMM blocking");
// The column blocks the threads share (as the native build's, gemm.cpp), a multiple of MR and NR so that a
// block's tiles sit where the unsplit product's do; and the least work (multiply-adds) worth waking them for.
constexpr int k_thread_block = 256;
constexpr double k_thread_min_work = 1 << 20;
static_assert(k_thread_block % k_mr == 0 && k_thread_block % k_nr == 0, "thread blocks must align with tiles");

typedef float v4f __attribute__((vector_size(16)));
// The same vector read from or written to memory aligned only to a float (columns of C, unpacked data).
typedef float v4f_unaligned __attribute__((vector_size(16), aligned(4), may_alias));

inline v4f load_unaligned(const float* p) { return *reinterpret_cast<const v4f_unaligned*>(p); }
inline void store_unaligned(float* p, v4f v) { *reinterpret_cast<v4f_unaligned*>(p) = v; }
inline v4f splat(float x) { return v4f{x, x, x, x}; }

// C tile (MR x NR, column-major, ldc) = alpha * a b (+ C when accumulate), a: kc panels of MR floats,
// b: kc panels of NR floats, both packed and 16-byte aligned.
//
// noinline on purpose: V8 runs a wasm function first in its baseline compiler (Liftoff, several times
// slower on this SIMD code) and swaps in the optimised code only at a later call (no on-stack
// replacement for wasm). Inlined into the blocked loops, a product is one long call, so the first
// product ran entirely in baseline code (the first training step took ~4x the next). As its own
// function, called once per tile, the kernel is optimised after its first few calls: first product
// 0.31 s instead of 1.0 s, steady state unchanged within noise (bench/NOTES.md).
template <int MR, int NR>
__attribute__((noinline)) void micro_kernel(int kc, const float* __restrict a, const float* __restrict b,
                                            float alpha, bool accumulate, float* __restrict c, int ldc) {
    constexpr int MV = MR / 4;
    v4f acc[MV][NR];
#pragma GCC unroll 16
    for (int r = 0; r < MV; ++r)
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) acc[r][j] = splat(0.0f);
    for (int p = 0; p < kc; ++p) {
        v4f av[MV];
#pragma GCC unroll 16
        for (int r = 0; r < MV; ++r) av[r] = reinterpret_cast<const v4f*>(a)[r];
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) {
            const v4f bj = splat(b[j]);
#pragma GCC unroll 16
            for (int r = 0; r < MV; ++r) acc[r][j] += av[r] * bj;
        }
        a += MR;
        b += NR;
    }
    const v4f va = splat(alpha);
#pragma GCC unroll 16
    for (int j = 0; j < NR; ++j)
#pragma GCC unroll 16
        for (int r = 0; r < MV; ++r) {
            float* cp = c + static_cast<std::ptrdiff_t>(j) * ldc + 4 * r;
            v4f v = va * acc[r][j];
            if (accumulate) v += load_unaligned(cp);
            store_unaligned(cp, v);
        }
}

// A partial tile at the edge of C (mr <= MR rows, nr <= NR columns): full tile into a buffer, then copy.
template <int MR, int NR>
void edge_kernel(int kc, const float* a, const float* b, float alpha, bool accumulate, float* c, int ldc,
                 int mr, int nr) {
    alignas(16) float tile[MR * NR];
    micro_kernel<MR, NR>(kc, a, b, alpha, false, tile, MR);
    for (int j = 0; j < nr; ++j)
        for (int i = 0; i < mr; ++i) {
            float& out = c[i + static_cast<std::ptrdiff_t>(j) * ldc];
            out = accumulate ? out + tile[i + j * MR] : tile[i + j * MR];
        }
}

// Packs rows [i0, i0 + ni) x depth [p0, p0 + kc) of op into panels of R rows: panel q holds, for each p,
// the R values op(i0 + qR + r, p0 + p), zero-padded past ni, so the micro-kernel never branches on edges.
template <int R>
void pack_panels(const GemmOperand& op, int i0, int ni, int p0, int kc, float* dst) {
    for (int q = 0; q < ni; q += R, dst += static_cast<std::ptrdiff_t>(R) * kc) {
        const int rows = std::min(R, ni - q);
        const float* src = op.data + (i0 + q) * op.stride_i + p0 * op.stride_p;
        if (op.stride_i == 1 && rows == R) {
            // Rows contiguous at each depth (A of product_nt, B of product_nt): copy R floats per p.
            for (int p = 0; p < kc; ++p) std::memcpy(dst + p * R, src + p * op.stride_p, R * sizeof(float));
        } else if (op.stride_p == 1) {
            // Depth contiguous for each row (A and B of product_tn): read R streams, interleave them.
            for (int r = 0; r < R; ++r) {
                if (r < rows) {
                    const float* s = src + r * op.stride_i;
                    for (int p = 0; p < kc; ++p) dst[p * R + r] = s[p];
                } else {
                    for (int p = 0; p < kc; ++p) dst[p * R + r] = 0.0f;
                }
            }
        } else {
            for (int p = 0; p < kc; ++p)
                for (int r = 0; r < R; ++r)
                    dst[p * R + r] = r < rows ? src[r * op.stride_i + p * op.stride_p] : 0.0f;
        }
    }
}

int round_up(int x, int multiple) { return (x + multiple - 1) / multiple * multiple; }

// A tile that straddles the diagonal of a lower-only product: full tile into a buffer, then only the entries on
// or below the diagonal (row - column >= 0, diagonal = row of the tile's first row - column of its first column)
// are stored, so that a caller may keep other data above the diagonal (the trailing matrix of a tridiagonal
// reduction is stored in its lower triangle only).
template <int MR, int NR>
void diagonal_kernel(int kc, const float* a, const float* b, float alpha, bool accumulate, float* c, int ldc,
                     int mr, int nr, int diagonal) {
    alignas(16) float tile[MR * NR];
    micro_kernel<MR, NR>(kc, a, b, alpha, false, tile, MR);
    for (int j = 0; j < nr; ++j)
        for (int i = std::max(0, j - diagonal); i < mr; ++i) {
            float& out = c[i + static_cast<std::ptrdiff_t>(j) * ldc];
            out = accumulate ? out + tile[i + j * MR] : tile[i + j * MR];
        }
}

// The macro-kernel: C block (mc x nc, ldc) (+)= alpha * packed Ã block (mc x kc) * packed B̃ block (kc x nc),
// tile by tile. With lower_only, tiles wholly above the diagonal are skipped and tiles across it write only their
// lower part; diagonal = (row of C's first row) - (column of its first column).
void macro_kernel(int mc, int nc, int kc, const float* pa, const float* pb, float alpha, bool accumulate, float* C,
                  int ldc, bool lower_only, int diagonal) {
    for (int jr = 0; jr < nc; jr += k_nr) {
        const int nr = std::min(k_nr, nc - jr);
        const float* b_panel = pb + static_cast<std::ptrdiff_t>(jr) * kc;
        for (int ir = 0; ir < mc; ir += k_mr) {
            const int mr = std::min(k_mr, mc - ir);
            if (lower_only && diagonal + ir + mr - 1 < jr) continue;
            const float* a_panel = pa + static_cast<std::ptrdiff_t>(ir) * kc;
            float* c_tile = C + ir + static_cast<std::ptrdiff_t>(jr) * ldc;
            if (lower_only && diagonal + ir < jr + nr - 1)
                diagonal_kernel<k_mr, k_nr>(kc, a_panel, b_panel, alpha, accumulate, c_tile, ldc, mr, nr,
                                            diagonal + ir - jr);
            else if (mr == k_mr && nr == k_nr)
                micro_kernel<k_mr, k_nr>(kc, a_panel, b_panel, alpha, accumulate, c_tile, ldc);
            else
                edge_kernel<k_mr, k_nr>(kc, a_panel, b_panel, alpha, accumulate, c_tile, ldc, mr, nr);
        }
    }
}

// The blocked product, C = or += (accumulate) alpha Ã B̃; with lower_only, only the entries on or below the
// diagonal are computed and written, which halves the work of a symmetric product.
void gemm_blocked(int m, int n, int k, float alpha, const GemmOperand& a, const GemmOperand& b, float* C, int ldc,
                  bool lower_only, bool accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (accumulate) return;
        for (int j = 0; j < n; ++j) std::fill_n(C + static_cast<std::ptrdiff_t>(j) * ldc, m, 0.0f);
        return;
    }
    const int kc_max = std::min(k_kc, k);
    const int mc_max = std::min(k_mc, round_up(m, k_mr));
    const int nc_max = std::min(k_nc, round_up(n, k_nr));
    // v4f elements keep both packed buffers 16-byte aligned; one allocation per product, not per block.
    std::vector<v4f> packed_a(static_cast<std::size_t>(mc_max) * kc_max / 4);
    std::vector<v4f> packed_b(static_cast<std::size_t>(nc_max) * kc_max / 4 + 1);
    float* pa = reinterpret_cast<float*>(packed_a.data());
    float* pb = reinterpret_cast<float*>(packed_b.data());

    for (int jc = 0; jc < n; jc += k_nc) {
        const int nc = std::min(k_nc, n - jc);
        for (int pc = 0; pc < k; pc += k_kc) {
            const int kc = std::min(k_kc, k - pc);
            pack_panels<k_nr>(b, jc, nc, pc, kc, pb);
            for (int ic = 0; ic < m; ic += k_mc) {
                const int mc = std::min(k_mc, m - ic);
                if (lower_only && ic + mc - 1 < jc) continue;
                pack_panels<k_mr>(a, ic, mc, pc, kc, pa);
                macro_kernel(mc, nc, kc, pa, pb, alpha, accumulate || pc > 0, C + ic + static_cast<std::ptrdiff_t>(jc) * ldc, ldc,
                             lower_only, ic - jc);
            }
        }
    }
}

// Threads: C is cut into column blocks of k_thread_block (a lower-triangle product's: one per thread, below),
// each one gemm_blocked of its own (its own packing) on for_each_block's threads. An entry's sum is the same in
// any column split (its depth is cut at the fixed KC edges, and a tile's lanes are summed independently), so the
// results are those of the unsplit product, bit for bit, whatever the number of threads. lower_only: block
// [j0, j0 + w) holds rows j0 .. m-1 only.
GemmOperand rows_from(GemmOperand op, int first) {
    op.data += first * op.stride_i;
    return op;
}

// A lower-triangle product's column blocks cut its triangle into equal areas (edges on multiples of 8, the
// tiles' MR and NR), one per thread up to k_lower_blocks: equal blocks of 256 columns would give the first block
// most of the work and leave a thread idle at its end. Each block packs its own rows of Ã (rows j0 .. m-1), so
// more blocks than threads only repack: one block per thread made the ESD's Gram 8 % faster on one thread and
// 7 % on two than 8 fixed blocks (bench/NOTES.md).
constexpr int k_lower_blocks = 8;
constexpr int k_block_align = 8;
static_assert(k_block_align % k_mr == 0 && k_block_align % k_nr == 0, "lower blocks must align with tiles");

int lower_block_edge(int n, int blocks, int b) {
    if (b >= blocks) return n;
    const double edge = n * (1.0 - std::sqrt(1.0 - static_cast<double>(b) / blocks));
    return std::min(n, static_cast<int>(std::lround(edge / k_block_align)) * k_block_align);
}

void gemm_column_blocks(int m, int n, int k, float alpha, const GemmOperand& a, const GemmOperand& b, float* C,
                        int ldc, bool lower_only, bool accumulate) {
    const double work = double(m) * double(n) * double(k) / (lower_only ? 2.0 : 1.0);
    const bool parallel = work >= k_thread_min_work;
    const int threads = parallel ? thread_count() : 1;
    const int blocks = lower_only ? std::max(1, std::min({k_lower_blocks, threads, n / (4 * k_block_align)}))
                                  : (n + k_thread_block - 1) / k_thread_block;
    for_each_block(
        blocks,
        [&](int bl) {
            const int j0 = lower_only ? lower_block_edge(n, blocks, bl) : bl * k_thread_block;
            const int w = lower_only ? lower_block_edge(n, blocks, bl + 1) - j0 : std::min(k_thread_block, n - j0);
            if (w <= 0) return;
            const int i0 = lower_only ? j0 : 0;
            gemm_blocked(m - i0, w, k, alpha, rows_from(a, i0), rows_from(b, j0),
                         C + i0 + static_cast<std::ptrdiff_t>(j0) * ldc, ldc, lower_only, accumulate);
        },
        parallel);
}

}  // namespace

void gemm_simd(int m, int n, int k, float alpha, GemmOperand a, GemmOperand b, float* C, int ldc) {
    gemm_column_blocks(m, n, k, alpha, a, b, C, ldc, false, false);
}

void gemm_lower_update_simd(int m, int k, float alpha, GemmOperand a, GemmOperand b, float* C, int ldc) {
    gemm_column_blocks(m, m, k, alpha, a, b, C, ldc, true, true);
}

// The upper triangle is copied from the lower in column blocks of equal area (column j has j entries above the
// diagonal): a strided read of the whole triangle, worth the threads on a large Gram.
void gram_simd(int m, int k, float alpha, GemmOperand a, float* C, int ldc) {
    gemm_column_blocks(m, m, k, alpha, a, a, C, ldc, true, false);
    const auto edge = [m](int b) { return static_cast<int>(std::lround(m * std::sqrt(static_cast<double>(b) / k_lower_blocks))); };
    for_each_block(
        k_lower_blocks,
        [&](int b) {
            for (int j = std::max(1, edge(b)); j < edge(b + 1); ++j)
                for (int i = 0; i < j; ++i) C[i + static_cast<std::ptrdiff_t>(j) * ldc] = C[j + static_cast<std::ptrdiff_t>(i) * ldc];
        },
        double(m) * m >= k_thread_min_work / 4);
}

void gemm_reference(int m, int n, int k, float alpha, GemmOperand a, GemmOperand b, float* C, int ldc) {
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < m; ++i) {
            double sum = 0.0;
            for (int p = 0; p < k; ++p)
                sum += static_cast<double>(a.data[i * a.stride_i + p * a.stride_p]) *
                       static_cast<double>(b.data[j * b.stride_i + p * b.stride_p]);
            C[i + static_cast<std::ptrdiff_t>(j) * ldc] = static_cast<float>(alpha * sum);
        }
}

namespace {

// Operands of C = alpha A B^T (A: m x k, B: n x k) and C = alpha A^T B (A: k x m, B: k x n), column-major.
GemmOperand rows_of(const MatrixF& M) { return {M.data(), 1, static_cast<std::ptrdiff_t>(M.rows())}; }
GemmOperand cols_of(const MatrixF& M) { return {M.data(), static_cast<std::ptrdiff_t>(M.rows()), 1}; }

}  // namespace

void product_nt_simd(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.rows(), B.rows());
    gemm_simd(int(A.rows()), int(B.rows()), int(A.cols()), alpha, rows_of(A), rows_of(B), C.data(), int(C.rows()));
}

void product_tn_simd(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.cols(), B.cols());
    gemm_simd(int(A.cols()), int(B.cols()), int(A.rows()), alpha, cols_of(A), cols_of(B), C.data(), int(C.rows()));
}

void product_tn_self_simd(const MatrixF& A, float alpha, MatrixF& C) {
    C.resize(A.cols(), A.cols());
    gram_simd(int(A.cols()), int(A.rows()), alpha, cols_of(A), C.data(), int(C.rows()));
}

void product_nt_reference(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.rows(), B.rows());
    gemm_reference(int(A.rows()), int(B.rows()), int(A.cols()), alpha, rows_of(A), rows_of(B), C.data(),
                   int(C.rows()));
}

void product_tn_reference(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.cols(), B.cols());
    gemm_reference(int(A.cols()), int(B.cols()), int(A.rows()), alpha, cols_of(A), cols_of(B), C.data(),
                   int(C.rows()));
}

}  // namespace spiketail
