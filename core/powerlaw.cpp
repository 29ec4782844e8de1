#include "powerlaw.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace spiketail {
namespace {

// The sorted eigenvalues above the floor and the suffix sums of their logs, shared by every candidate x_min.
struct Tail {
    std::vector<double> x;        // ascending, > k_eigenvalue_floor
    std::vector<double> log_x;    // ln x_i
    std::vector<double> log_sum;  // log_sum[i] = sum_{j >= i} ln x_j   (size N + 1)
    int size() const { return static_cast<int>(x.size()); }
};

PowerLawFit failure(FitStatus status, std::string message) {
    PowerLawFit fit;
    fit.status = status;
    fit.message = std::move(message);
    return fit;
}

// Returns an empty optional-like failure when the input cannot be fitted.
bool prepare(const std::vector<double>& eigenvalues, Tail& tail, PowerLawFit& failed) {
    for (double v : eigenvalues) {
        if (!std::isfinite(v)) {
            failed = failure(FitStatus::non_finite, "the spectrum contains a non-finite eigenvalue");
            return false;
        }
        if (v > k_eigenvalue_floor) tail.x.push_back(v);
    }
    std::sort(tail.x.begin(), tail.x.end());
    if (tail.size() < k_min_fit_eigenvalues) {
        failed = failure(FitStatus::too_few, std::to_string(tail.size()) + " eigenvalues above 1e-5; a fit needs at least " +
                                                 std::to_string(k_min_fit_eigenvalues));
        return false;
    }
    if (tail.x.front() == tail.x.back()) {
        failed = failure(FitStatus::degenerate, "all eigenvalues are equal: there is no tail to fit");
        return false;
    }
    const int N = tail.size();
    tail.log_x.resize(N);
    tail.log_sum.assign(N + 1, 0.0);
    for (int i = N - 1; i >= 0; --i) {
        tail.log_x[i] = std::log(tail.x[i]);
        tail.log_sum[i] = tail.log_sum[i + 1] + tail.log_x[i];
    }
    return true;
}

// alpha_i = 1 + k / sum_{j >= i} ln(x_j / x_i), in O(1) from the suffix sums; +inf when the tail is flat.
double alpha_at(const Tail& t, int i) {
    const int k = t.size() - i;
    const double s = t.log_sum[i] - k * t.log_x[i];
    return s > 0 ? 1.0 + k / s : std::numeric_limits<double>::infinity();
}

// KS distance between the tail's empirical CDF and the fitted Pareto CDF 1 - (x / x_i)^(1 - alpha), or +inf
// as soon as its running maximum exceeds `limit` (the scan's bound: such a candidate cannot be the smallest).
// The running maximum rises to D through the same values either way, so a D below the limit is exact.
double ks_distance(const Tail& t, int i, double alpha, double limit = std::numeric_limits<double>::infinity()) {
    if (!(alpha > 1.0) || !std::isfinite(alpha)) return 1.0 > limit ? std::numeric_limits<double>::infinity() : 1.0;
    const int k = t.size() - i;
    double D = 0.0;
    for (int m = 0; m < k; ++m) {
        const double model = 1.0 - std::exp((1.0 - alpha) * (t.log_x[i + m] - t.log_x[i]));
        D = std::max(D, std::abs(model - static_cast<double>(m) / k));
        if (D > limit) return std::numeric_limits<double>::infinity();
    }
    return D;
}

PowerLawFit fit_at(const Tail& t, int i, double alpha, double D) {
    PowerLawFit fit;
    fit.status = FitStatus::ok;
    fit.alpha = alpha;
    fit.xmin = t.x[i];
    fit.D = D;
    fit.k = t.size() - i;
    fit.sigma = (alpha - 1.0) / std::sqrt(static_cast<double>(fit.k));
    return fit;
}

// Candidates per block of best_ks's threads, and the fewest candidates worth the threads (each costs one
// exp per tail entry above it: 256 of a 1000-eigenvalue tail are ~0.2 M exps).
constexpr int k_candidates_per_block = 64;
constexpr int k_candidates_parallel_min = 256;
// best_ks's first pass scans every k_seed_stride-th candidate in full; their smallest D bounds the second pass.
constexpr int k_seed_stride = 16;

// The largest double below x: "D > below(b)" is "D >= b", the bound of a candidate that an earlier one beats on a tie.
double below(double x) { return std::nextafter(x, -std::numeric_limits<double>::infinity()); }

// Smallest-D candidate among indices [first, last), the first on ties, as if every candidate's D were computed
// (docs/method.md §6.3): a first pass computes every k_seed_stride-th candidate's D in full, and the smallest, D_s
// at index s, bounds every other: candidate i stops (D = +inf) once its running maximum exceeds D_s (i < s) or
// reaches it (i > s, where s wins a tie), or reaches the smallest D of the earlier candidates of its own block —
// it cannot win then, and the winner itself never stops. The passes run in fixed blocks of candidates on the
// available threads (parallel.hpp); a block's bound depends on that block alone, so the split changes no bit.
PowerLawFit best_ks(const Tail& t, int first, int last) {
    const int count = std::max(0, last - first);
    if (count == 0) return failure(FitStatus::degenerate, "no candidate x_min gives a finite exponent");
    std::vector<double> alphas(count), distances(count);
    for (int c = 0; c < count; ++c) alphas[c] = alpha_at(t, first + c);
    const bool parallel = count >= k_candidates_parallel_min;
    const int seeds = (count + k_seed_stride - 1) / k_seed_stride;
    for_each_block(
        (seeds + k_candidates_per_block - 1) / k_candidates_per_block,
        [&](int b) {
            const int end = std::min(seeds, (b + 1) * k_candidates_per_block);
            for (int c = b * k_candidates_per_block; c < end; ++c)
                distances[c * k_seed_stride] = ks_distance(t, first + c * k_seed_stride, alphas[c * k_seed_stride]);
        },
        parallel);
    int seed = 0;
    for (int c = k_seed_stride; c < count; c += k_seed_stride)
        if (distances[c] < distances[seed]) seed = c;
    const double seed_D = distances[seed];
    for_each_block(
        (count + k_candidates_per_block - 1) / k_candidates_per_block,
        [&](int b) {
            double block_best = std::numeric_limits<double>::infinity();  // over this block's earlier candidates
            const int end = std::min(count, (b + 1) * k_candidates_per_block);
            for (int c = b * k_candidates_per_block; c < end; ++c) {
                if (c % k_seed_stride != 0) {
                    const double limit = std::min(c < seed ? seed_D : below(seed_D), below(block_best));
                    distances[c] = ks_distance(t, first + c, alphas[c], limit);
                }
                block_best = std::min(block_best, distances[c]);
            }
        },
        parallel);
    int best = -1;
    double best_D = std::numeric_limits<double>::infinity(), best_alpha = 0;
    for (int c = 0; c < count; ++c) {
        if (distances[c] < best_D) {
            best_D = distances[c];
            best = first + c;
            best_alpha = alphas[c];
        }
    }
    if (best < 0 || !std::isfinite(best_alpha))
        return failure(FitStatus::degenerate, "no candidate x_min gives a finite exponent");
    return fit_at(t, best, best_alpha, best_D);
}

}  // namespace

PowerLawFit hill_alpha(const std::vector<double>& eigenvalues) {
    Tail t;
    PowerLawFit failed;
    if (!prepare(eigenvalues, t, failed)) return failed;
    const int i = t.size() / 2;
    const double alpha = alpha_at(t, i);
    if (!std::isfinite(alpha)) return failure(FitStatus::degenerate, "the upper half of the spectrum is flat");
    return fit_at(t, i, alpha, ks_distance(t, i, alpha));
}

PowerLawFit ks_alpha(const std::vector<double>& eigenvalues) {
    Tail t;
    PowerLawFit failed;
    if (!prepare(eigenvalues, t, failed)) return failed;
    return best_ks(t, 0, t.size() - 1);
}

PowerLawFit ks_alpha_peak(const std::vector<double>& eigenvalues) {
    Tail t;
    PowerLawFit failed;
    if (!prepare(eigenvalues, t, failed)) return failed;
    // Peak of a 100-bin histogram of log10 lambda (the left edge of the fullest bin, as WeightWatcher).
    constexpr int bins = 100;
    const double lo = std::log10(t.x.front()), hi = std::log10(t.x.back());
    std::vector<int> counts(bins, 0);
    for (double v : t.x) {
        const int b = std::min(bins - 1, static_cast<int>((std::log10(v) - lo) / (hi - lo) * bins));
        ++counts[b];
    }
    const int peak_bin = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    const double peak = std::pow(10.0, lo + (hi - lo) * peak_bin / bins);
    const auto first = std::lower_bound(t.x.begin(), t.x.end(), 0.95 * peak) - t.x.begin();
    const auto last = std::upper_bound(t.x.begin(), t.x.end(), 1.5 * peak) - t.x.begin();
    const int end = std::min(static_cast<int>(last), t.size() - 1);
    if (first >= end) return failure(FitStatus::too_few, "no eigenvalue lies within [0.95, 1.5] x the histogram peak");
    return best_ks(t, static_cast<int>(first), end);
}

TailShape tail_shape(const PowerLawFit& fit) {
    if (!fit.ok()) return TailShape::no_fit;
    if (fit.alpha > k_no_power_law_alpha || fit.k < k_min_fit_eigenvalues) return TailShape::no_power_law;
    return fit.alpha < k_heavy_tail_alpha ? TailShape::heavy : TailShape::power_law;
}

const char* to_string(TailShape shape) {
    switch (shape) {
        case TailShape::heavy: return "heavy";
        case TailShape::power_law: return "power_law";
        case TailShape::no_power_law: return "no_power_law";
        case TailShape::no_fit: return "no_fit";
    }
    return "unknown";
}

const char* to_string(FitStatus status) {
    switch (status) {
        case FitStatus::ok: return "ok";
        case FitStatus::too_few: return "too_few";
        case FitStatus::degenerate: return "degenerate";
        case FitStatus::non_finite: return "non_finite";
    }
    return "unknown";
}

}  // namespace spiketail
