// The root-free QL iteration on a symmetric tridiagonal matrix (see sterf.hpp): LAPACK dsterf's QL branch and
// dlae2, 0-based. e2[i] holds e_i², which the iteration updates in place of e_i.
#include "sterf.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

namespace spiketail {
namespace {

using Index = Eigen::Index;

constexpr double k_max_inverse = 1e300;  // 1 / c above this is not taken from 1 / p_old (see the sweep below)

// The eigenvalues of [[a, b], [b, c]] (dlae2): rt1 the larger in magnitude, rt2 from rt1 without cancellation.
void eigenvalues_2x2(double a, double b, double c, double& rt1, double& rt2) {
    const double sm = a + c, adf = std::abs(a - c), ab = std::abs(b + b);
    const double acmx = std::abs(a) > std::abs(c) ? a : c, acmn = std::abs(a) > std::abs(c) ? c : a;
    double rt;
    if (adf > ab) rt = adf * std::sqrt(1.0 + (ab / adf) * (ab / adf));
    else if (adf < ab) rt = ab * std::sqrt(1.0 + (adf / ab) * (adf / ab));
    else rt = ab * std::sqrt(2.0);
    if (sm < 0.0) {
        rt1 = 0.5 * (sm - rt);
        rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
    } else if (sm > 0.0) {
        rt1 = 0.5 * (sm + rt);
        rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
    } else {
        rt1 = 0.5 * rt;
        rt2 = -0.5 * rt;
    }
}

// The eigenvalues of the symmetric tridiagonal [[a0, b0, 0], [b0, a1, b1], [0, b1, a2]] (b0², b1² given), in closed
// form (the trigonometric solution of the characteristic cubic): accurate enough for a shift, which any value is.
void eigenvalues_3x3(double a0, double a1, double a2, double b0_sq, double b1_sq, double (&out)[3]) {
    const double q = (a0 + a1 + a2) / 3.0;
    const double c0 = a0 - q, c1 = a1 - q, c2 = a2 - q;
    const double p2 = (c0 * c0 + c1 * c1 + c2 * c2 + 2.0 * (b0_sq + b1_sq)) / 6.0;
    if (!(p2 > 0.0)) {
        out[0] = out[1] = out[2] = q;
        return;
    }
    const double p = std::sqrt(p2);
    // det((A - q I) / p) / 2 from the scaled entries (no overflow of a cube), clamped to acos's domain.
    const double u0 = c0 / p, u1 = c1 / p, u2 = c2 / p;
    const double half_det = 0.5 * (u0 * u1 * u2 - u0 * (b1_sq / p2) - u2 * (b0_sq / p2));
    const double phi = std::acos(std::clamp(half_det, -1.0, 1.0)) / 3.0;
    constexpr double third_turn = 2.0943951023931957;  // 2 pi / 3
    out[0] = q + 2.0 * p * std::cos(phi);
    out[2] = q + 2.0 * p * std::cos(phi + third_turn);
    out[1] = 3.0 * q - out[0] - out[2];
}

// The finite value among values[0 .. count) nearest target that is not yet used (the first on ties), marked used;
// fallback when there is none. How an iteration hands out its eigenvalue estimates as shifts, one per sweep.
double nearest_unused(const double* values, int count, bool* used, double target, double fallback) {
    int best = -1;
    for (int k = 0; k < count; ++k)
        if (!used[k] && std::isfinite(values[k]) &&
            (best < 0 || std::abs(values[k] - target) < std::abs(values[best] - target)))
            best = k;
    if (best < 0) return fallback;
    used[best] = true;
    return values[best];
}

// One implicit QL sweep of dsterf's over an unreduced block [l, m] with shift sigma, one row at a time: step(i)
// for i = m - 1 down to l (first: i = m - 1), then finish(l). Step i reads d[i], e2[i] and writes d[i + 1] and
// (but for the first) e2[i + 1]. Within one sweep every e2[i] of the block is positive (the split test), but the
// second of two interleaved sweeps reads the first's e2, which can be 0 where it has converged or underflowed.
// p = gamma² / c is computed as gamma² (r / p_old): 1 / p_old is divided out beside c = p_old / r instead of
// after it, one division fewer on the step's chain of dependent operations (≈ 15 % faster); where 1 / p_old
// overflows (p_old subnormal), the division by c as dsterf writes it.
struct QlSweep {
    double sigma, c = 1.0, s = 0.0, gamma, p;

    QlSweep(double shift, double d_m) : sigma(shift), gamma(d_m - shift), p(gamma * gamma) {}

    void step(double* d, double* e2, Index i, bool first) {
        const double bb = e2[i], r = p + bb, inv_p = 1.0 / p;
        if (!first) e2[i + 1] = s * r;
        if (r == 0.0) {  // nothing to rotate (a second sweep meets a coupling the first zeroed, p = 0): the identity
            const double oldgam = gamma, alpha = d[i];
            c = 1.0;
            s = 0.0;
            gamma = alpha - sigma;
            d[i + 1] = oldgam + (alpha - gamma);
            p = gamma * gamma;
            return;
        }
        const double oldc = c;
        c = p / r;
        s = bb / r;
        const double oldgam = gamma, alpha = d[i];
        gamma = c * (alpha - sigma) - s * oldgam;
        d[i + 1] = oldgam + (alpha - gamma);
        const double inv_c = r * inv_p;
        p = c != 0.0 ? (inv_c <= k_max_inverse ? (gamma * gamma) * inv_c : (gamma * gamma) / c) : oldc * bb;
    }

    void finish(double* d, double* e2, Index l) const {
        e2[l] = s * p;
        d[l] = sigma + gamma;
    }
};

// A pair of sweeps that runs alone (the first pair of an iteration, or both pairs on one thread) neither waits
// nor publishes.
struct Alone {
    void wait(Index) {}
    void publish(Index) {}
};

// The second pair of a four-sweep iteration on another thread (see ql_in_place): `ahead` is the
// lowest row whose d and e2 the first pair's second sweep has finished (every row when it is done). The pair's
// first sweep reads rows i and writes i + 1 at its step i, so step i waits until ahead <= i; the first pair has
// then read row i + 1 for the last time (its sweeps run lower).
struct Behind {
    const std::atomic<Index>* ahead;
    Index known;
    void wait(Index row) {
        while (known > row) {
            known = ahead->load(std::memory_order_acquire);
#if !defined(__EMSCRIPTEN__)
            if (known > row) std::this_thread::yield();  // natively there may be more threads than cores
#endif
        }
    }
    void publish(Index) {}
};

// The first pair of a four-sweep iteration, telling the second pair (Behind) how far its second sweep has come:
// every k_publish_rows rows and when it has finished.
constexpr Index k_publish_rows = 16;
struct Ahead {
    std::atomic<Index>* done;
    void wait(Index) {}
    void publish(Index row) { done->store(row, std::memory_order_release); }
};

// Two sweeps over the unreduced block [l, m] (m - l >= 3) with shifts s1 and s2, the second two rows behind the
// first: sweep 2's step i needs sweep 1's step i - 1 done, so they are interleaved row by row, and the two
// independent chains of dependent operations (a step is ≈ 35 cycles of latency and far fewer of work) share the
// core: ≈ 1.6x fewer cycles per step than one sweep at a time. The operations are those of sweep 1 then sweep 2,
// so the result is that of running them one after the other.
template <typename Sync>
void sweep_pair(double* d, double* e2, Index l, Index m, double s1, double s2, Sync sync) {
    sync.wait(m - 1);  // and d[m], read by the first sweep's start
    QlSweep first(s1, d[m]);
    first.step(d, e2, m - 1, true);
    sync.wait(m - 2);
    first.step(d, e2, m - 2, false);
    QlSweep second(s2, d[m]);
    sync.wait(m - 3);
    first.step(d, e2, m - 3, false);
    second.step(d, e2, m - 1, true);
    for (Index i = m - 4; i >= l; --i) {
        sync.wait(i);
        first.step(d, e2, i, false);
        second.step(d, e2, i + 2, false);
        if (i % k_publish_rows == 0) sync.publish(i + 3);  // rows >= i + 3 are the second sweep's final ones
    }
    first.finish(d, e2, l);
    second.step(d, e2, l + 1, false);  // m - l >= 3, so l + 1 < m - 1
    second.step(d, e2, l, false);
    second.finish(d, e2, l);
    sync.publish(l);
}

// dsterf's safe range for T's largest entry: below it the squares and the split test underflow, above it they
// overflow (2^-405 = sqrt(safe minimum) / eps², 2^510 ≈ sqrt(largest double) / 3).
const double k_safe_min = std::ldexp(1.0, -405);
const double k_safe_max = std::ldexp(1.0, 510);

// Blocks of more than k_four_sweeps_min rows take four sweeps per iteration (two pairs), their last two shifts
// from the leading k_shift_window x k_shift_window; in blocks of more than k_pipeline_min rows the second pair
// runs on a second thread where there is one awake (threads_stay_awake; in a shorter block, or with threads that
// sleep between calls, the hand-off costs what it saves: natively under OMP_WAIT_POLICY=passive, the CLI's
// setting, sterf at n = 1000 would take 8.6 ms instead of 5.5).
constexpr Index k_four_sweeps_min = 64;
constexpr int k_shift_window = 8;
constexpr double k_window_eps = 1e-8;  // the window's split test: its eigenvalues to ~1e-8 relative
constexpr Index k_pipeline_min = 128;

// The iteration on d (n) and e2 (n: e2[i] = e_i², e2[n-1] = 0), both overwritten, T inside the safe range. eps:
// the relative size below which a coupling is negligible (the split test); dlamch('E') but for the window of
// shifts, whose eigenvalues need not be more accurate than shifts are.
bool ql_in_place(double* d, double* e2, Index n, double eps) {
    const double eps2 = eps * eps;
    const bool pipelined = n > k_pipeline_min && threads_stay_awake();  // (not asked for the window of shifts)
    const Index max_sweeps = 30 * n;
    Index sweeps = 0;
    Index l = 0;
    while (l < n) {
        // The first negligible coupling at or after l ends the unreduced block [l, m].
        Index m = l;
        for (; m + 1 < n; ++m)
            if (std::abs(e2[m]) <= eps2 * std::abs(d[m] * d[m + 1])) break;
        if (m + 1 < n) e2[m] = 0.0;
        if (m == l) {  // d[l] has converged
            ++l;
            continue;
        }
        if (m == l + 1) {  // a 2 x 2 block
            double rt1, rt2;
            eigenvalues_2x2(d[l], std::sqrt(e2[l]), d[l + 1], rt1, rt2);
            d[l] = rt1;
            d[l + 1] = rt2;
            e2[l] = 0.0;
            l += 2;
            continue;
        }
        if (++sweeps > max_sweeps || !std::isfinite(d[l]) || !std::isfinite(e2[l])) return false;
        // The shift: the eigenvalue of the leading 2 x 2 closer to d[l].
        const double rte = std::sqrt(e2[l]);
        double sigma = (d[l + 1] - d[l]) / (2.0 * rte);
        const double r0 = std::hypot(sigma, 1.0);
        sigma = d[l] - rte / (sigma + std::copysign(r0, sigma));
        if (m - l < 3) {
            QlSweep first(sigma, d[m]);
            for (Index i = m - 1; i >= l; --i) first.step(d, e2, i, i == m - 1);
            first.finish(d, e2, l);
            continue;
        }
        // The second sweep's shift is chosen before the first has run: the first converges the eigenvalue nearest
        // sigma at the top, so the second aims at the next one to surface there, the eigenvalue of the leading
        // 3 x 3 nearest d[l+1] other than the one nearest sigma (12 % fewer steps on a Gram's tridiagonal than
        // reusing sigma, 28 % on Wilkinson's).
        double leading[3];
        eigenvalues_3x3(d[l], d[l + 1], d[l + 2], e2[l], e2[l + 1], leading);
        double shifts[4] = {sigma, sigma, sigma, sigma};
        bool used3[3] = {};
        nearest_unused(leading, 3, used3, sigma, sigma);  // the one sweep 1 aims at
        shifts[1] = nearest_unused(leading, 3, used3, d[l + 1], sigma);
        if (m - l < k_four_sweeps_min) {
            sweep_pair(d, e2, l, m, shifts[0], shifts[1], Alone{});
            continue;
        }
        // A long block takes four sweeps, two pairs, the second pair's shifts the eigenvalues of the leading
        // k_shift_window x k_shift_window nearest d[l+2] and d[l+3] once the two nearest the first pair's are set
        // aside (0-10 % more steps in all than two-sweep iterations on Gram tridiagonals, its own included). With a
        // second thread the second pair runs there, following the first pair row by row (Behind), the two pairs'
        // four chains on two cores; on one thread it runs after the first. The operations are the same either way.
        double window_d[k_shift_window], window_e2[k_shift_window];
        std::copy(d + l, d + l + k_shift_window, window_d);
        std::copy(e2 + l, e2 + l + k_shift_window - 1, window_e2);
        window_e2[k_shift_window - 1] = 0.0;
        if (ql_in_place(window_d, window_e2, k_shift_window, k_window_eps)) {
            bool used[k_shift_window] = {};
            for (double aimed : {shifts[0], shifts[1]}) nearest_unused(window_d, k_shift_window, used, aimed, sigma);
            shifts[2] = nearest_unused(window_d, k_shift_window, used, d[l + 2], sigma);
            shifts[3] = nearest_unused(window_d, k_shift_window, used, d[l + 3], sigma);
        }
        std::atomic<Index> first_pair_done{m + 1};
        for_each_block(
            2,
            [&](int pair) {
                if (pair == 0) sweep_pair(d, e2, l, m, shifts[0], shifts[1], Ahead{&first_pair_done});
                else sweep_pair(d, e2, l, m, shifts[2], shifts[3], Behind{&first_pair_done, m + 1});
            },
            m - l >= k_pipeline_min && pipelined);
    }
    return std::all_of(d, d + n, [](double x) { return std::isfinite(x); });
}

bool eigenvalues_in_safe_range(VectorD& d, const VectorD& e) {
    const Index n = d.size();
    VectorD e2(n);
    for (Index i = 0; i + 1 < n; ++i) e2[i] = e[i] * e[i];
    e2[n - 1] = 0.0;
    return ql_in_place(d.data(), e2.data(), n, std::numeric_limits<double>::epsilon() / 2);  // dlamch('E')
}

}  // namespace

bool tridiagonal_eigenvalues(VectorD& d, const VectorD& e) {
    if (d.size() <= 1) return d.allFinite();
    const double largest = std::max(d.cwiseAbs().maxCoeff(), e.size() > 0 ? e.cwiseAbs().maxCoeff() : 0.0);
    if (!(largest > 0.0) || !std::isfinite(largest) || (largest >= k_safe_min && largest <= k_safe_max))
        return eigenvalues_in_safe_range(d, e);
    // Scaled by a power of two (exact) to a largest entry near 1, and the eigenvalues scaled back.
    const int exponent = std::ilogb(largest);
    const auto scaled = [](const VectorD& v, int by) {
        return VectorD(v.unaryExpr([by](double x) { return std::ldexp(x, by); }));
    };
    d = scaled(d, -exponent);
    const bool converged = eigenvalues_in_safe_range(d, scaled(e, -exponent));
    d = scaled(d, exponent);
    return converged && d.allFinite();
}

}  // namespace spiketail
