// Power-law fits of the ESD tail (powerlaw.hpp, docs/method.md §6) on Pareto samples of known alpha and x_min, and
// against a naive O(N^2) transcription of the method's (docs/method.md) formulas; failures come back as a status, never a NaN.
//
// Pareto with density p(x) ∝ x^-alpha on x >= x_min (the method's (docs/method.md) convention) has survival (x / x_min)^(1 - alpha),
// so x = x_min u^(-1 / (alpha - 1)) with u uniform on (0, 1]. Its maximum-likelihood (Hill) estimate from k
// tail samples has standard error (alpha - 1) / sqrt(k): every alpha tolerance below is 4 such errors (a
// false-alarm rate of 6e-5 per check at a fixed seed, so a failure means a wrong estimator, not bad luck).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "helpers.hpp"
#include "powerlaw.hpp"
#include "spectrum.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

constexpr double k_sigmas = 4.0;

std::vector<double> pareto_sample(int count, double alpha, double xmin, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> x(count);
    for (double& v : x) v = xmin * std::pow(1.0 - rng.uniform(), -1.0 / (alpha - 1.0));
    return x;
}

// The SPEC's formulas, literally: alpha_i = 1 + k / sum_{j>=i} ln(x_j / x_i), D_i = max_m |1 - (x_{i+m}/x_i)^(1-alpha)
// - m/k| (1 when alpha <= 1), over sorted values above the floor.
struct NaiveFit {
    double alpha, xmin, D;
};
NaiveFit naive_fit(std::vector<double> x, int i) {
    std::sort(x.begin(), x.end());
    const int k = static_cast<int>(x.size()) - i;
    double s = 0;
    for (int j = i; j < static_cast<int>(x.size()); ++j) s += std::log(x[j] / x[i]);
    const double alpha = 1.0 + k / s;
    double D = 0;
    for (int m = 0; m < k; ++m) D = std::max(D, std::abs(1.0 - std::pow(x[i + m] / x[i], 1.0 - alpha) - double(m) / k));
    if (!(alpha > 1)) D = 1;
    return {alpha, x[i], D};
}
NaiveFit naive_ks(const std::vector<double>& x) {
    NaiveFit best{0, 0, std::numeric_limits<double>::infinity()};
    for (int i = 0; i + 1 < static_cast<int>(x.size()); ++i) {
        const NaiveFit f = naive_fit(x, i);
        if (f.D < best.D) best = f;
    }
    return best;
}

// Every candidate's D in full, in the core's own arithmetic (suffix sums of ln x from the top, exp of log
// differences; powerlaw.cpp), the first smallest winning: what best_ks's bounded scan must return bit for bit.
struct FullScan {
    double alpha = 0, xmin = 0, D = std::numeric_limits<double>::infinity();
    int k = 0;
};
FullScan full_ks_scan(std::vector<double> x, int first, int last) {
    std::sort(x.begin(), x.end());
    const int N = static_cast<int>(x.size());
    std::vector<double> log_x(N), log_sum(N + 1, 0.0);
    for (int i = N - 1; i >= 0; --i) {
        log_x[i] = std::log(x[i]);
        log_sum[i] = log_sum[i + 1] + log_x[i];
    }
    FullScan best;
    for (int i = first; i < last; ++i) {
        const int k = N - i;
        const double s = log_sum[i] - k * log_x[i];
        const double alpha = s > 0 ? 1.0 + k / s : std::numeric_limits<double>::infinity();
        double D = 1.0;
        if (alpha > 1.0 && std::isfinite(alpha)) {
            D = 0.0;
            for (int m = 0; m < k; ++m)
                D = std::max(D, std::abs(1.0 - std::exp((1.0 - alpha) * (log_x[i + m] - log_x[i])) - double(m) / k));
        }
        if (D < best.D) best = {alpha, x[i], D, k};
    }
    return best;
}

void check_failure(const PowerLawFit& fit, FitStatus expected, const char* what) {
    INFO(what << ": status " << to_string(fit.status) << ", message \"" << fit.message << "\", alpha " << fit.alpha);
    CHECK(fit.status == expected);
    CHECK_FALSE(fit.ok());
    CHECK_FALSE(fit.message.empty());
    CHECK(std::isfinite(fit.alpha));
    CHECK(std::isfinite(fit.xmin));
    CHECK(std::isfinite(fit.D));
    CHECK(std::isfinite(fit.sigma));
}

}  // namespace

TEST_CASE("powerlaw: hill and ks follow the method's (docs/method.md) formulas exactly", "[powerlaw]") {
    // Suffix sums versus a direct loop: the same quantities in a different order, so 1e-12 relative.
    constexpr double k_formula_tol = 1e-12;
    const std::vector<double> x = pareto_sample(300, 2.5, 1.0, 77);
    const PowerLawFit hill = hill_alpha(x);
    const NaiveFit naive_hill = naive_fit(x, 150);
    REQUIRE(hill.ok());
    CHECK(hill.k == 150);
    CHECK(hill.xmin == naive_hill.xmin);
    CHECK_ERROR("hill: alpha vs naive formula (relative)", std::abs(hill.alpha - naive_hill.alpha) / naive_hill.alpha,
                k_formula_tol);
    CHECK(hill.sigma == Approx((hill.alpha - 1) / std::sqrt(150.0)).epsilon(k_same_formula_rel_tol));

    const PowerLawFit ks = ks_alpha(x);
    const NaiveFit naive = naive_ks(x);
    REQUIRE(ks.ok());
    CHECK(ks.xmin == naive.xmin);
    CHECK_ERROR("ks: alpha vs naive search (relative)", std::abs(ks.alpha - naive.alpha) / naive.alpha, k_formula_tol);
    CHECK_ERROR("ks: D vs naive search", std::abs(ks.D - naive.D), k_formula_tol);
    CHECK(ks.sigma == Approx((ks.alpha - 1) / std::sqrt(double(ks.k))).epsilon(k_same_formula_rel_tol));
}

TEST_CASE("powerlaw: the bounded KS scan returns what the full scan does, bit for bit", "[powerlaw]") {
    // best_ks stops a candidate once it cannot win (docs/method.md §6.3). Spectra: a Gaussian matrix's ESD (the
    // KS winner among the last few eigenvalues), Pareto tails, a Pareto tail above a body, a log-normal, and values
    // on a grid of 10 or 2 levels (repeated x_min candidates). Sizes around the scan's stride (16), block (64)
    // and threading threshold (256). A bound 10 % too tight fails 50 of these checks.
    int compared = 0;
    for (int n : {10, 15, 16, 17, 63, 64, 65, 130, 255, 256, 257, 700})
        for (int kind = 0; kind < 6; ++kind) {
            Rng rng(1000 * kind + n);
            std::vector<double> x(n);
            if (kind == 0) {
                x = esd_eigenvalues(gaussian_matrix_f(n + n / 2, n, 7 + n));
            } else {
                for (int i = 0; i < n; ++i) {
                    const double u = 1.0 - rng.uniform();
                    switch (kind) {
                    case 1: x[i] = std::pow(u, -1.0 / 0.9); break;
                    case 2: x[i] = i < n / 2 ? 0.2 + 0.8 * u : std::pow(u, -0.5); break;
                    case 3: x[i] = std::exp(2.0 * (u - 0.5)) * std::exp(rng.gaussian()); break;
                    case 4: x[i] = 1.0 + std::floor(10.0 * u); break;
                    default: x[i] = i % 7 ? 2.0 : 3.0; break;
                    }
                }
            }
            const PowerLawFit ks = ks_alpha(x);
            const FullScan full = full_ks_scan(x, 0, n - 1);
            INFO("kind " << kind << ", n " << n << ": ks " << to_string(ks.status) << " alpha " << ks.alpha << " D " << ks.D
                         << ", full alpha " << full.alpha << " D " << full.D);
            if (!std::isfinite(full.alpha)) {
                CHECK_FALSE(ks.ok());
                continue;
            }
            REQUIRE(ks.ok());
            CHECK(ks.alpha == full.alpha);
            CHECK(ks.xmin == full.xmin);
            CHECK(ks.D == full.D);
            CHECK(ks.k == full.k);
            ++compared;
        }
    CHECK(compared >= 60);
}

TEST_CASE("powerlaw: hill recovers alpha and the median x_min of Pareto samples", "[powerlaw]") {
    constexpr int N = 4000;
    constexpr double xmin = 3.0;
    for (double alpha : {1.8, 2.5, 4.0}) {
        const PowerLawFit fit = hill_alpha(pareto_sample(N, alpha, xmin, 1000 + int(10 * alpha)));
        REQUIRE(fit.ok());
        CHECK(fit.k == N / 2);
        CHECK_ERROR("hill alpha=" << alpha << ": |alpha_hat - alpha|", std::abs(fit.alpha - alpha),
                    k_sigmas * (alpha - 1) / std::sqrt(double(fit.k)));
        // The sample median of a Pareto law: x_min 2^(1/(alpha-1)), with relative standard error 1/((alpha-1) sqrt N).
        const double median = xmin * std::pow(2.0, 1.0 / (alpha - 1));
        CHECK_ERROR("hill alpha=" << alpha << ": x_min / median - 1", std::abs(fit.xmin / median - 1),
                    k_sigmas / ((alpha - 1) * std::sqrt(double(N))));
    }
}

TEST_CASE("powerlaw: ks recovers alpha on a pure Pareto sample and finds x_min above a non-power-law body",
          "[powerlaw]") {
    constexpr int N = 4000;
    for (double alpha : {2.0, 3.0}) {
        const PowerLawFit fit = ks_alpha(pareto_sample(N, alpha, 1.0, 2000 + int(10 * alpha)));
        REQUIRE(fit.ok());
        CHECK_ERROR("ks pure alpha=" << alpha << " (k=" << fit.k << "): |alpha_hat - alpha|", std::abs(fit.alpha - alpha),
                    k_sigmas * (alpha - 1) / std::sqrt(double(fit.k)));
        // The chosen D is at most the D of x_min = the smallest sample, a KS statistic with a fitted exponent,
        // which is below the 1% critical value 1.63 / sqrt(N) of the fixed-parameter test (Lilliefors).
        CHECK_ERROR("ks pure alpha=" << alpha << ": D", fit.D, 1.63 / std::sqrt(double(N)));
    }

    // Body: uniform on [0.2, 1); tail: Pareto alpha = 3 from x_min = 1, equal halves. Any x_min inside the body
    // gives a poor fit, so KS must choose one at or above ~1.
    constexpr double alpha = 3.0, xmin = 1.0;
    std::vector<double> x = pareto_sample(N / 2, alpha, xmin, 31);
    Rng rng(32);
    for (int i = 0; i < N / 2; ++i) x.push_back(0.2 + 0.8 * rng.uniform());
    const PowerLawFit fit = ks_alpha(x);
    REQUIRE(fit.ok());
    INFO("ks body+tail: x_min " << fit.xmin << ", k " << fit.k << ", alpha " << fit.alpha << ", D " << fit.D);
    CHECK(fit.xmin >= 0.95 * xmin);
    CHECK(fit.k >= N / 10);  // and not some tiny extreme tail
    CHECK_ERROR("ks body+tail (x_min " << fit.xmin << ", k " << fit.k << "): |alpha_hat - alpha|",
                std::abs(fit.alpha - alpha), k_sigmas * (alpha - 1) / std::sqrt(double(fit.k)));
}

TEST_CASE("powerlaw: the peak-restricted ks fit runs and searches near the histogram peak", "[powerlaw]") {
    constexpr int N = 4000;
    constexpr double alpha = 2.5;
    const std::vector<double> x = pareto_sample(N, alpha, 2.0, 41);
    const PowerLawFit fit = ks_alpha_peak(x);
    REQUIRE(fit.ok());
    // log10 of a Pareto sample has a decreasing density, so the fullest of 100 bins is the first: peak = min x.
    const double peak = *std::min_element(x.begin(), x.end());
    const double lo = std::log10(peak), hi = std::log10(*std::max_element(x.begin(), x.end()));
    const double first_bin_top = std::pow(10.0, lo + (hi - lo) / 100);
    INFO("peak fit: x_min " << fit.xmin << ", window [" << 0.95 * peak << ", " << 1.5 * peak << "], k " << fit.k);
    CHECK(fit.xmin >= 0.95 * peak);
    CHECK(fit.xmin <= 1.5 * first_bin_top);
    CHECK_ERROR("ks peak (k=" << fit.k << "): |alpha_hat - alpha|", std::abs(fit.alpha - alpha),
                k_sigmas * (alpha - 1) / std::sqrt(double(fit.k)));

    // And on a real ESD (a Gaussian matrix's): all three fits succeed.
    const SpectralSummary s = analyze_spectrum(gaussian_matrix_f(120, 80, 42), 1.0);
    CHECK(s.hill.ok());
    CHECK(s.ks.ok());
    CHECK(s.peak.ok());
}

TEST_CASE("powerlaw: fits that cannot be made give a status and a message, never NaN", "[powerlaw]") {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const std::vector<double> few = {1, 2, 3, 4, 5};
    std::vector<double> mostly_zero(40, 1e-9);  // a rank-deficient Gram matrix: only 5 eigenvalues above 1e-5
    for (int i = 0; i < 5; ++i) mostly_zero[i] = 1.0 + i;
    const std::vector<double> equal(50, 2.0);
    std::vector<double> with_nan = pareto_sample(50, 2.5, 1.0, 5), with_inf = with_nan;
    with_nan[7] = nan;
    with_inf[3] = inf;
    const std::vector<double> empty;

    struct Case {
        const char* what;
        const std::vector<double>* x;
        FitStatus status;
    };
    for (const Case& c : {Case{"too few", &few, FitStatus::too_few}, Case{"below floor", &mostly_zero, FitStatus::too_few},
                          Case{"empty", &empty, FitStatus::too_few}, Case{"all equal", &equal, FitStatus::degenerate},
                          Case{"NaN", &with_nan, FitStatus::non_finite}, Case{"inf", &with_inf, FitStatus::non_finite}}) {
        check_failure(hill_alpha(*c.x), c.status, c.what);
        check_failure(ks_alpha(*c.x), c.status, c.what);
        check_failure(ks_alpha_peak(*c.x), c.status, c.what);
    }

    // A flat upper half: the median x_min has no tail above it.
    std::vector<double> flat_top(20, 5.0);
    for (int i = 1; i <= 10; ++i) flat_top.push_back(0.1 * i);
    check_failure(hill_alpha(flat_top), FitStatus::degenerate, "flat upper half");

    // The summary of a failed fit reports 0 for alpha_weighted, not NaN.
    const SpectralSummary s = summarize_eigenvalues(equal, MpLaw{});
    CHECK_FALSE(s.ks.ok());
    CHECK(s.alpha_weighted == 0.0);
    const SpectralSummary bad = summarize_eigenvalues(with_nan, MpLaw{});
    CHECK(bad.hill.status == FitStatus::non_finite);
    CHECK(std::isfinite(bad.alpha_weighted));
}

TEST_CASE("powerlaw: the tail's shape says heavy, power law, no power law or no fit", "[powerlaw]") {
    // Pareto samples of 2000 values: the Hill estimate is within 4 standard errors (< 0.1 here) of alpha, so
    // alpha 1.5 reads heavy, 3 a power law, and 9 (a faster decay than any heavy tail) no power law.
    CHECK(tail_shape(hill_alpha(pareto_sample(2000, 1.5, 1.0, 91))) == TailShape::heavy);
    CHECK(tail_shape(hill_alpha(pareto_sample(2000, 3.0, 1.0, 92))) == TailShape::power_law);
    CHECK(tail_shape(hill_alpha(pareto_sample(2000, 9.0, 1.0, 93))) == TailShape::no_power_law);
    // A random matrix's ESD (MP) has no power-law tail: the KS scan lands on its top eigenvalues with a huge alpha.
    const SpectralSummary mp = analyze_spectrum(gaussian_matrix_f(600, 400, 94), 1.0);
    INFO("MP bulk: alpha KS " << mp.ks.alpha << " over the top " << mp.ks.k << " eigenvalues");
    CHECK(tail_shape(mp.ks) == TailShape::no_power_law);
    // A fit over fewer than k_min_fit_eigenvalues eigenvalues is no power law whatever its alpha.
    PowerLawFit few;
    few.status = FitStatus::ok;
    few.alpha = 2.5;
    few.k = k_min_fit_eigenvalues - 1;
    CHECK(tail_shape(few) == TailShape::no_power_law);
    few.k = k_min_fit_eigenvalues;
    CHECK(tail_shape(few) == TailShape::power_law);
    // The bounds themselves: 2 is not heavy, 6 is still a power law.
    few.alpha = k_heavy_tail_alpha;
    CHECK(tail_shape(few) == TailShape::power_law);
    few.alpha = k_no_power_law_alpha;
    CHECK(tail_shape(few) == TailShape::power_law);
    CHECK(tail_shape(hill_alpha({1, 2, 3})) == TailShape::no_fit);
    CHECK(std::string(to_string(TailShape::no_power_law)) == "no_power_law");
}
