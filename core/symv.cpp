// y = A x from the lower triangle of a symmetric A, and a float dot product (see symv.hpp for the shapes).
//
// Column block b of symv_lower (columns [c_b, c_{b+1})) adds, for each of its columns j and rows i > j,
// A_ij x_j to its partial p_b(i) and A_ij x_i to p_b(j); y = p_0 + p_1 + ... in that order. The block edges
// split the lower triangle into equal areas, c_b = n (1 - sqrt(1 - b/B)), so each block reads as many entries.
// Within a block, four columns at a time share each load and store of p_b (the partial stays in L1; the
// matrix streams from memory once).
#include "symv.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

namespace spiketail {
namespace {

typedef float v4f __attribute__((vector_size(16)));
typedef float v4f_unaligned __attribute__((vector_size(16), aligned(4), may_alias));

inline v4f load(const float* p) { return *reinterpret_cast<const v4f_unaligned*>(p); }
inline void store(float* p, v4f v) { *reinterpret_cast<v4f_unaligned*>(p) = v; }
inline v4f splat(float x) { return v4f{x, x, x, x}; }
inline float lane_sum(v4f v) { return (v[0] + v[1]) + (v[2] + v[3]); }

inline const float* column(const float* A, std::ptrdiff_t lda, int j) { return A + static_cast<std::ptrdiff_t>(j) * lda; }

// Columns [c0, c1) into the partial p (rows c0 .. n-1 are written; p is zeroed here).
void symv_block(int n, const float* A, std::ptrdiff_t lda, const float* x, int c0, int c1, float* p) {
    std::fill(p + c0, p + n, 0.0f);
    int j = c0;
    for (; j + 4 <= c1; j += 4) {
        const float* a[4] = {column(A, lda, j), column(A, lda, j + 1), column(A, lda, j + 2), column(A, lda, j + 3)};
        // The 4 x 4 lower triangle at the top of the four columns.
        for (int q = 0; q < 4; ++q) {
            p[j + q] += a[q][j + q] * x[j + q];
            for (int r = q + 1; r < 4; ++r) {
                p[j + r] += a[q][j + r] * x[j + q];
                p[j + q] += a[q][j + r] * x[j + r];
            }
        }
        const v4f x0 = splat(x[j]), x1 = splat(x[j + 1]), x2 = splat(x[j + 2]), x3 = splat(x[j + 3]);
        v4f s0 = splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
        int i = j + 4;
        for (; i + 4 <= n; i += 4) {
            const v4f xi = load(x + i);
            const v4f a0 = load(a[0] + i), a1 = load(a[1] + i), a2 = load(a[2] + i), a3 = load(a[3] + i);
            store(p + i, load(p + i) + ((a0 * x0 + a1 * x1) + (a2 * x2 + a3 * x3)));
            s0 += a0 * xi;
            s1 += a1 * xi;
            s2 += a2 * xi;
            s3 += a3 * xi;
        }
        float t[4] = {lane_sum(s0), lane_sum(s1), lane_sum(s2), lane_sum(s3)};
        for (; i < n; ++i) {
            p[i] += (a[0][i] * x[j] + a[1][i] * x[j + 1]) + (a[2][i] * x[j + 2] + a[3][i] * x[j + 3]);
            for (int q = 0; q < 4; ++q) t[q] += a[q][i] * x[i];
        }
        for (int q = 0; q < 4; ++q) p[j + q] += t[q];
    }
    for (; j < c1; ++j) {  // the last columns of a block whose width is not a multiple of 4
        const float* a = column(A, lda, j);
        const v4f xj = splat(x[j]);
        v4f s = splat(0.0f);
        int i = j + 1;
        for (; i + 4 <= n; i += 4) {
            const v4f ai = load(a + i);
            store(p + i, load(p + i) + ai * xj);
            s += ai * load(x + i);
        }
        float t = lane_sum(s);
        for (; i < n; ++i) {
            p[i] += a[i] * x[j];
            t += a[i] * x[i];
        }
        p[j] += a[j] * x[j] + t;
    }
}

}  // namespace

SymvBlocks symv_blocks(int n) {
    SymvBlocks blocks;
    blocks.n = n;
    for (int b = 0; b < k_symv_blocks; ++b)
        blocks.edge[b] = static_cast<int>(std::lround(n * (1.0 - std::sqrt(1.0 - static_cast<double>(b) / k_symv_blocks))));
    blocks.edge[k_symv_blocks] = n;
    return blocks;
}

void symv_partial(const SymvBlocks& blocks, const float* A, int lda, const float* x, float* work, int b) {
    if (blocks.edge[b] < blocks.edge[b + 1])
        symv_block(blocks.n, A, lda, x, blocks.edge[b], blocks.edge[b + 1], work + static_cast<std::ptrdiff_t>(b) * blocks.n);
}

void symv_sum(const SymvBlocks& blocks, const float* work, float* y, int r0, int r1) {
    std::fill(y + r0, y + r1, 0.0f);
    for (int b = 0; b < k_symv_blocks; ++b) {
        if (blocks.edge[b] >= blocks.edge[b + 1]) continue;
        const float* p = work + static_cast<std::ptrdiff_t>(b) * blocks.n;
        for (int i = std::max(blocks.edge[b], r0); i < r1; ++i) y[i] += p[i];
    }
}

void symv_lower(int n, const float* A, int lda, const float* x, float* y, float* work) {
    if (n <= 0) return;
    std::vector<float> own;
    if (!work) {
        own.resize(static_cast<std::size_t>(n) * k_symv_blocks);
        work = own.data();
    }
    const SymvBlocks blocks = symv_blocks(n);
    // Either way every block is summed the same.
    for_each_block(k_symv_blocks, [&](int b) { symv_partial(blocks, A, lda, x, work, b); }, n >= k_symv_parallel_min);
    symv_sum(blocks, work, y, 0, n);
}

double dot(int n, const float* x, const float* y) {
    v4f s0 = splat(0.0f), s1 = s0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += load(x + i) * load(y + i);
        s1 += load(x + i + 4) * load(y + i + 4);
    }
    double sum = 0.0;
    for (int l = 0; l < 4; ++l) sum += static_cast<double>(s0[l]) + static_cast<double>(s1[l]);
    for (; i < n; ++i) sum += static_cast<double>(x[i]) * static_cast<double>(y[i]);
    return sum;
}

void symv_lower_reference(int n, const float* A, int lda, const float* x, double* y) {
    for (int i = 0; i < n; ++i) {
        double sum = 0.0;
        for (int j = 0; j < n; ++j) {
            const float a = i >= j ? A[i + static_cast<std::ptrdiff_t>(j) * lda] : A[j + static_cast<std::ptrdiff_t>(i) * lda];
            sum += static_cast<double>(a) * static_cast<double>(x[j]);
        }
        y[i] = sum;
    }
}

}  // namespace spiketail
