// The blocked Householder tridiagonalisation (see tridiagonalize.hpp): LAPACK dsytrd / dlatrd / dsytd2 / dlarfg,
// lower triangle, 0-based. Notation of dlatrd for a panel at the top-left of the trailing m x m matrix a:
//   column c of the panel is first brought up to date with the c reflectors before it,
//       a(c:m, c) -= A(c:m, 0:c) W(c, 0:c)^T + W(c:m, 0:c) A(c, 0:c)^T,
//   then its reflector v (rows c+1 .. m-1, v(c+1) = 1) is formed, and
//       w = tau (A_22 v - V (W^T v) - W (V^T v)),  w -= (tau/2)(w . v) v,
//   so that A_22 - V W^T - W V^T is the trailing matrix after the panel's reflectors.
#include "tridiagonalize.hpp"

#include "gemm.hpp"
#include "parallel.hpp"
#include "symv.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace spiketail {
namespace {

using Index = std::ptrdiff_t;

// Below this trailing size the rest is reduced unblocked: a rank-2k product is not worth its packing on a small
// matrix (LAPACK's crossover point for dsytrd, ilaenv's NX).
constexpr int k_unblocked_crossover = 128;

// dlarfg: H = I - tau v v^T with H [alpha; x] = [beta; 0], v = [1; x / (alpha - beta)]. x: L - 1 entries,
// scaled in place; alpha is replaced by beta. The norm is summed in double (no overflow of float squares).
float householder(int L, float& alpha, float* x) {
    if (L <= 1) return 0.0f;
    double norm2 = 0.0;
    for (int i = 0; i < L - 1; ++i) norm2 += static_cast<double>(x[i]) * x[i];
    if (norm2 == 0.0) return 0.0f;
    const double a = alpha;
    const double beta = -std::copysign(std::sqrt(a * a + norm2), a);
    const float scale = static_cast<float>(1.0 / (a - beta));
    for (int i = 0; i < L - 1; ++i) x[i] *= scale;
    alpha = static_cast<float>(beta);
    return static_cast<float>((beta - a) / beta);
}

// dlatrd (UPLO = 'L'): reduces the first nb columns of the trailing m x m matrix a (m > nb); writes e[0..nb),
// the reflectors into a's panel columns (with their unit entries in place) and W (m x nb, ldw).
// Each column is one call of for_each_phased_block, its steps the phases: the reflector (serial); the mat-vec's
// column blocks beside the panel's two sets of inner products; w's rows (partials summed, the panel's terms
// subtracted, scaled); the correction's inner product (serial); its update of w's rows; the next column's update
// by the panel so far. Row blocks do each row's operations in the order of the serial loops, so the results do not
// depend on the number of threads or of row blocks.
// noinline for V8: a wasm function runs in its baseline compiler until a later call (no on-stack replacement),
// so inlined into the one call of tridiagonalize the panels' loops would all run in baseline code; as its own
// function, called once per panel, it is optimised after the first panels (as gemm_kernel.cpp's micro-kernel).
__attribute__((noinline)) void reduce_panel(int m, int nb, float* a, Index lda, double* e, float* W, Index ldw, float* symv_work) {
    std::vector<float> dots(2 * static_cast<std::size_t>(nb));
    float* wdot = dots.data();       // W(c+1:m, p) . v, p < c
    float* adot = dots.data() + nb;  // A(c+1:m, p) . v, p < c
    const int row_blocks = thread_count();
    for (int c = 0; c < nb; ++c) {
        float* ac = a + c * lda;
        float* w = W + c * ldw;  // rows c+1 .. m-1 hold w
        const float* v = ac + c + 1;
        const int L = m - c - 1;
        const SymvBlocks blocks = symv_blocks(L);
        const float* a22 = a + (c + 1) + (c + 1) * lda;
        float tau = 0.0f, alpha = 0.0f;
        // Rows [c+1+r0, c+1+r1) of w and v for row block i.
        const auto rows = [&](int i, int& r0, int& r1) {
            r0 = c + 1 + static_cast<int>(static_cast<long long>(L) * i / row_blocks);
            r1 = c + 1 + static_cast<int>(static_cast<long long>(L) * (i + 1) / row_blocks);
        };
        const int counts[] = {1, k_symv_blocks + 2, row_blocks, 1, row_blocks, c + 1 < nb ? row_blocks : 0};
        for_each_phased_block(counts, [&](int phase, int i) {
            int r0 = 0, r1 = 0;
            switch (phase) {
            case 0:  // the reflector of column c (brought up to date by the previous column's last phase)
                tau = householder(L, ac[c + 1], ac + c + 2);
                e[c] = ac[c + 1];
                ac[c + 1] = 1.0f;
                break;
            case 1:  // A_22 v by column blocks; W^T v and A_panel^T v
                if (i < k_symv_blocks) symv_partial(blocks, a22, static_cast<int>(lda), v, symv_work, i);
                else if (i == k_symv_blocks) for (int p = 0; p < c; ++p) wdot[p] = static_cast<float>(dot(L, W + p * ldw + c + 1, v));
                else for (int p = 0; p < c; ++p) adot[p] = static_cast<float>(dot(L, a + p * lda + c + 1, v));
                break;
            case 2:  // w = tau (A_22 v - A_panel (W^T v) - W (A_panel^T v))
                rows(i, r0, r1);
                symv_sum(blocks, symv_work, w + c + 1, r0 - c - 1, r1 - c - 1);
                for (int p = 0; p < c; ++p) {
                    const float t = wdot[p];
                    const float* ap = a + p * lda;
                    for (int r = r0; r < r1; ++r) w[r] -= ap[r] * t;
                }
                for (int p = 0; p < c; ++p) {
                    const float t = adot[p];
                    const float* wp = W + p * ldw;
                    for (int r = r0; r < r1; ++r) w[r] -= wp[r] * t;
                }
                for (int r = r0; r < r1; ++r) w[r] *= tau;
                break;
            case 3:
                alpha = static_cast<float>(-0.5 * tau * dot(L, w + c + 1, v));
                break;
            case 4:  // w -= (tau/2)(w . v) v
                rows(i, r0, r1);
                for (int r = r0; r < r1; ++r) w[r] += alpha * v[r - c - 1];
                break;
            default: {  // column c+1, rows c+1 .. m-1, by the c+1 reflectors so far
                rows(i, r0, r1);
                float* an = a + (c + 1) * lda;
                for (int p = 0; p <= c; ++p) {
                    const float wcp = W[c + 1 + p * ldw], acp = a[c + 1 + p * lda];
                    const float* ap = a + p * lda;
                    const float* wp = W + p * ldw;
                    for (int r = r0; r < r1; ++r) an[r] -= ap[r] * wcp + wp[r] * acp;
                }
            }
            }
        }, L >= k_symv_parallel_min);
    }
}

// dsytd2 (UPLO = 'L') on the trailing m x m matrix a: d[0..m), e[0..m-1).
void reduce_unblocked(int m, float* a, Index lda, double* d, double* e, float* x, float* symv_work) {
    for (int c = 0; c + 1 < m; ++c) {
        float* ac = a + c * lda;
        const int L = m - c - 1;
        const float tau = householder(L, ac[c + 1], ac + c + 2);
        e[c] = ac[c + 1];
        if (tau != 0.0f) {
            ac[c + 1] = 1.0f;
            const float* v = ac + c + 1;
            float* a22 = a + (c + 1) + (c + 1) * lda;
            symv_lower(L, a22, static_cast<int>(lda), v, x, symv_work);
            for (int r = 0; r < L; ++r) x[r] *= tau;
            const float alpha = static_cast<float>(-0.5 * tau * dot(L, x, v));
            for (int r = 0; r < L; ++r) x[r] += alpha * v[r];
            for (int q = 0; q < L; ++q) {
                float* col = a22 + q * lda;
                const float vq = v[q], xq = x[q];
                for (int r = q; r < L; ++r) col[r] -= v[r] * xq + x[r] * vq;
            }
            ac[c + 1] = static_cast<float>(e[c]);
        }
        d[c] = ac[c];
    }
    if (m > 0) d[m - 1] = a[(m - 1) + (m - 1) * lda];
}

}  // namespace

Tridiagonal tridiagonalize(MatrixF& A, int block) {
    const int n = static_cast<int>(A.rows());
    Tridiagonal t;
    t.diagonal.resize(n);
    t.off_diagonal.resize(std::max(n - 1, 0));
    if (n == 0) return t;
    const Index lda = A.rows();
    float* a = A.data();
    double* d = t.diagonal.data();
    double* e = t.off_diagonal.data();
    std::vector<float> symv_work(static_cast<std::size_t>(n) * k_symv_blocks);
    int i = 0;
    if (block >= 1 && block < n) {
        const int nx = std::max(block, k_unblocked_crossover);
        MatrixF W(n, block);
        for (; i < n - nx; i += block) {
            const int m = n - i;
            float* panel = a + i + i * lda;
            reduce_panel(m, block, panel, lda, e + i, W.data(), W.rows(), symv_work.data());
            rank2k_update_lower(m - block, block, panel + block, static_cast<int>(lda), W.data() + block,
                                static_cast<int>(W.rows()), panel + block + block * lda, static_cast<int>(lda));
            for (int j = i; j < i + block; ++j) {
                a[(j + 1) + j * lda] = static_cast<float>(e[j]);
                d[j] = a[j + j * lda];
            }
        }
    }
    std::vector<float> x(static_cast<std::size_t>(n - i));
    reduce_unblocked(n - i, a + i + i * lda, lda, d + i, e + i, x.data(), symv_work.data());
    return t;
}

Tridiagonal tridiagonalize_reference(MatrixD A) {
    const Index n = A.rows();
    Tridiagonal t;
    t.diagonal.resize(n);
    t.off_diagonal.resize(std::max<Index>(n - 1, 0));
    for (Index c = 0; c + 1 < n; ++c) {
        // v = x + sign(x_0) ||x|| e_0 over rows c+1 .. n-1, H = I - 2 v v^T / v^T v; A <- H A H.
        const Index L = n - c - 1;
        VectorD v = A.col(c).tail(L);
        const double norm = v.norm();
        if (norm == 0.0) {
            t.off_diagonal[c] = 0.0;
            t.diagonal[c] = A(c, c);
            continue;
        }
        const double beta = -std::copysign(norm, v[0]);
        v[0] -= beta;
        const double vv = v.squaredNorm();
        // A_22 <- H A_22 H = A_22 - v x^T - x v^T with p = (2/vv) A_22 v, x = p - (p.v / vv) v.
        const VectorD p = (2.0 / vv) * (A.bottomRightCorner(L, L) * v);
        const VectorD x = p - (p.dot(v) / vv) * v;
        for (Index q = 0; q < L; ++q)
            for (Index r = 0; r < L; ++r) A(c + 1 + r, c + 1 + q) -= v[r] * x[q] + x[r] * v[q];
        t.off_diagonal[c] = beta;
        t.diagonal[c] = A(c, c);
    }
    if (n > 0) t.diagonal[n - 1] = A(n - 1, n - 1);
    return t;
}

}  // namespace spiketail
