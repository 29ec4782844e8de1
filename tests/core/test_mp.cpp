// Marchenko-Pastur reference (mp.hpp, docs/method.md §6) against the closed forms of random-matrix theory, with W: R x C
// i.i.d. N(0, s2), R >= C, q = C / R, eigenvalues of the smaller Gram matrix:
//   edges s2 (sqrt R -/+ sqrt C)^2; density integrates to 1, mean s2 R, second moment s2^2 R^2 (1 + q);
//   lambda_max fluctuates on the Tracy-Widom scale s2 (sqrt R + sqrt C)(1/sqrt R + 1/sqrt C)^(1/3), lambda_min on
//   s2 (sqrt R - sqrt C)(1/sqrt C - 1/sqrt R)^(1/3) (Johnstone 2001; Feldheim & Sodin 2010);
//   a planted rank-one signal theta sqrt(R) u v^T with theta > q^(1/4) gives one outlier at
//   s2 R (1 + theta^2)(q + theta^2) / theta^2 (Benaych-Georges & Nadakuditi 2012).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "helpers.hpp"
#include "mp.hpp"
#include "spectrum.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

constexpr double k_pi = 3.14159265358979323846;
constexpr int k_R = 800, k_C = 400;

// Eigenvalue edges are checked within this many Tracy-Widom scales. TW1 has mean -1.21 and sd 1.27, and
// P(TW1 > 4) < 1e-3; P(TW1 < -4) is far smaller: a 4-scale band holds the extreme eigenvalue at a fixed seed.
constexpr double k_edge_tw_margin = 4.0;

// integral of f(x) p(x) over the support, with x = mid + half cos(theta): the square-root edges turn into
// sin(theta) factors and the integrand becomes smooth, so a midpoint rule in theta converges spectrally.
template <class F>
double integrate_against_density(const MpLaw& mp, F f, int nodes = 4000) {
    const double lo = mp.lower(), hi = mp.upper(), mid = (lo + hi) / 2, half = (hi - lo) / 2;
    double sum = 0;
    for (int i = 0; i < nodes; ++i) {
        const double theta = k_pi * (i + 0.5) / nodes;
        const double x = mid + half * std::cos(theta);
        sum += f(x) * mp.density(x) * half * std::sin(theta);
    }
    return sum * k_pi / nodes;
}

MpLaw law(double rows, double cols, double variance) {
    MpLaw mp;
    mp.rows = rows;
    mp.cols = cols;
    mp.variance = variance;
    return mp;
}

}  // namespace

TEST_CASE("mp: the density integrates to 1 and has the MP moments", "[mp]") {
    // Midpoint rule in theta on a smooth integrand with 4000 nodes: error far below 1e-10.
    constexpr double k_quadrature_tol = 1e-10;
    for (auto [rows, cols, s2] : {std::tuple{1500.0, 1000.0, 1.0}, std::tuple{1000.0, 1500.0, 1.0},
                                  std::tuple{800.0, 400.0, 0.25}, std::tuple{500.0, 500.0, 2.0}}) {
        const MpLaw mp = law(rows, cols, s2);
        const double R = std::max(rows, cols), q = std::min(rows, cols) / R;
        const std::string what = "mp " + std::to_string(int(rows)) + "x" + std::to_string(int(cols)) + " s2=" +
                                 std::to_string(s2).substr(0, 4);
        CHECK(mp.lower() == Approx(s2 * R * std::pow(1 - std::sqrt(q), 2)).epsilon(k_same_formula_rel_tol).margin(k_same_formula_rel_tol));
        CHECK(mp.upper() == Approx(s2 * R * std::pow(1 + std::sqrt(q), 2)).epsilon(k_same_formula_rel_tol));
        CHECK_ERROR(what << ": |integral p - 1|", std::abs(integrate_against_density(mp, [](double) { return 1.0; }) - 1),
                    k_quadrature_tol);
        CHECK_ERROR(what << ": mean / (s2 R) - 1",
                    std::abs(integrate_against_density(mp, [](double x) { return x; }) / (s2 * R) - 1), k_quadrature_tol);
        CHECK_ERROR(what << ": second moment / (s2^2 R^2 (1 + q)) - 1",
                    std::abs(integrate_against_density(mp, [](double x) { return x * x; }) / (s2 * s2 * R * R * (1 + q)) - 1),
                    k_quadrature_tol);
        CHECK(mp.density(mp.upper() * 1.01) == 0.0);
        CHECK(mp.density(0.5 * mp.lower()) == 0.0);
    }
    // Symmetric in rows and cols: the nonzero spectrum of W W^T is that of W^T W.
    const MpLaw a = law(900, 300, 1.5), b = law(300, 900, 1.5);
    CHECK(a.lower() == Approx(b.lower()));
    CHECK(a.upper() == Approx(b.upper()));
    CHECK(a.spike_threshold() == Approx(b.spike_threshold()));
    CHECK(a.density(3000) == Approx(b.density(3000)));
}

TEST_CASE("mp: a large Gaussian matrix's ESD fills the MP law with no spikes", "[mp]") {
    // Eigenvalues are rigid: the count below any x deviates from N times the MP CDF by O(log N), so the empirical
    // CDF is within ~log(N)/N ~ 0.015 of the MP CDF for N = 400. 0.03 allows twice that.
    constexpr double k_cdf_tol = 0.03;
    for (bool tall : {true, false}) {
        const double s2 = 0.5;
        const MatrixF W = tall ? gaussian_matrix_f(k_R, k_C, 61, std::sqrt(s2)) : gaussian_matrix_f(k_C, k_R, 62, std::sqrt(s2));
        const std::vector<double> ev = esd_eigenvalues(W);
        const MpLaw mp = law(W.rows(), W.cols(), s2);
        const double sR = std::sqrt(double(k_R)), sC = std::sqrt(double(k_C));
        const double tw_top = s2 * (sR + sC) * std::cbrt(1 / sR + 1 / sC);
        const double tw_bottom = s2 * (sR - sC) * std::cbrt(1 / sC - 1 / sR);
        const std::string what = std::string("mp ESD ") + (tall ? "800x400" : "400x800");
        CHECK_ERROR(what << ": |lambda_max - upper edge| / TW scale", std::abs(ev.back() - mp.upper()) / tw_top,
                    k_edge_tw_margin);
        CHECK_ERROR(what << ": |lambda_min - lower edge| / TW scale", std::abs(ev.front() - mp.lower()) / tw_bottom,
                    k_edge_tw_margin);
        CHECK(count_spikes(ev, mp) == 0);
        CHECK(analyze_spectrum(W, s2).num_spikes == 0);
        CHECK(analyze_spectrum(W, 0.0).num_spikes == 0);  // variance fitted to the bulk's median

        // Empirical CDF against the MP CDF (integrated numerically) at nine interior points.
        double worst = 0;
        for (int j = 1; j <= 9; ++j) {
            const double x = mp.lower() + (mp.upper() - mp.lower()) * j / 10.0;
            const double cdf = integrate_against_density(mp, [x](double t) { return t <= x ? 1.0 : 0.0; }, 20000);
            const double ecdf = double(std::upper_bound(ev.begin(), ev.end(), x) - ev.begin()) / ev.size();
            worst = std::max(worst, std::abs(cdf - ecdf));
        }
        CHECK_ERROR(what << ": max |ECDF - MP CDF| at 9 points", worst, k_cdf_tol);
    }
}

TEST_CASE("mp: a planted rank-one spike is counted and sits at the BBP location", "[mp]") {
    // The outlier fluctuates by O(1/sqrt(R)) relative (Gaussian, not TW): 5% is several standard deviations.
    constexpr double k_outlier_rel_tol = 0.05;
    const double q = double(k_C) / k_R;
    for (double theta : {2.0, 1.2}) {  // both above the BBP threshold q^(1/4) = 0.84
        MatrixD G = gaussian_matrix(k_R, k_C, 71);
        VectorD u = gaussian_matrix(k_R, 1, 72), v = gaussian_matrix(k_C, 1, 73);
        u.normalize();
        v.normalize();
        G += theta * std::sqrt(double(k_R)) * u * v.transpose();
        const MatrixF W = G.cast<float>();
        const std::vector<double> ev = esd_eigenvalues(W);
        const MpLaw mp = law(k_R, k_C, 1.0);
        const double expected = k_R * (1 + theta * theta) * (q + theta * theta) / (theta * theta);
        INFO("theta " << theta << ": lambda_max " << ev.back() << ", predicted " << expected << ", threshold "
                      << mp.spike_threshold() << ", next " << ev[ev.size() - 2]);
        CHECK(ev.back() > mp.spike_threshold());
        // A spike is counted when it stands k_spike_gap (25%) above the eigenvalue below it (mp.hpp): theta = 2
        // puts it far out; theta = 1.2, just above the BBP threshold, only 16% above the bulk's top, which
        // counts it with the bulk (a deliberate limit, docs/method.md §6.2).
        const bool apart = ev.back() >= k_spike_gap * ev[ev.size() - 2];
        CHECK(apart == (theta > 1.5));
        CHECK(spikes_of(ev, mp).size() == (apart ? 1u : 0u));
        CHECK(count_spikes(ev, mp) == 1);  // above the threshold, gap or not (WeightWatcher's count)
        CHECK_ERROR("mp spike theta=" << theta << ": lambda_out / BBP prediction - 1", std::abs(ev.back() / expected - 1),
                    k_outlier_rel_tol);
    }
}

TEST_CASE("mp: the median holds half the law's mass and scales with the variance", "[mp]") {
    // The median comes from a 2000-node midpoint rule in theta, the check from a 20000-node one: both far below
    // 1e-6 of mass.
    constexpr double k_mass_tol = 1e-6;
    for (auto [rows, cols] : {std::pair{1500.0, 1000.0}, std::pair{400.0, 800.0}, std::pair{500.0, 500.0}}) {
        const MpLaw mp = law(rows, cols, 1.0);
        const double m = mp.median();
        // Mass below m: the smooth integrand of integrate_against_density over theta in [theta_m, pi] only
        // (x = mid + half cos theta), so the check has no discontinuity to resolve.
        const double lo = mp.lower(), hi = mp.upper(), mid = (lo + hi) / 2, half = (hi - lo) / 2;
        const double theta_m = std::acos((m - mid) / half);
        constexpr int nodes = 20000;
        double below = 0;
        for (int i = 0; i < nodes; ++i) {
            const double theta = theta_m + (k_pi - theta_m) * (i + 0.5) / nodes;
            const double x = mid + half * std::cos(theta);
            below += mp.density(x) * half * std::sin(theta);
        }
        below *= (k_pi - theta_m) / nodes;
        CHECK_ERROR("mp median " << rows << "x" << cols << ": |mass below - 1/2|", std::abs(below - 0.5), k_mass_tol);
        CHECK(law(rows, cols, 2.5).median() == Approx(2.5 * m).epsilon(1e-12));
    }
    CHECK(law(0, 0, 1.0).median() == 0.0);  // a degenerate support has no median
}

TEST_CASE("mp: the bulk's law is fitted to the median, so a widened bulk is not counted as spikes", "[mp]") {
    // A trained W's bulk is wider than W0's (the updates add variance): W = bulk of variance 1.7 + one planted
    // rank-one spike. Against W0's law (s2 = 1) the bulk's top counts as dozens of "spikes"; against the fitted
    // law only the planted one counts. The median of 400 eigenvalues fluctuates by ~1/N relative; 2% is far above.
    constexpr double k_variance_rel_tol = 0.02;
    const double s2 = 1.7, theta = 2.0;
    MatrixD G = gaussian_matrix(k_R, k_C, 81, std::sqrt(s2));
    VectorD u = gaussian_matrix(k_R, 1, 82), v = gaussian_matrix(k_C, 1, 83);
    u.normalize();
    v.normalize();
    G += theta * std::sqrt(s2 * k_R) * u * v.transpose();
    const std::vector<double> ev = esd_eigenvalues(G.cast<float>());
    const MpLaw initial = law(k_R, k_C, 1.0);
    const MpLaw bulk = fit_bulk(ev, initial);
    CHECK(bulk.rows == initial.rows);
    CHECK(bulk.cols == initial.cols);
    CHECK_ERROR("fit_bulk: |s2 fitted / s2 - 1|", std::abs(bulk.variance / s2 - 1), k_variance_rel_tol);
    const auto above_initial = std::count_if(ev.begin(), ev.end(), [&](double x) { return x > initial.spike_threshold(); });
    INFO("eigenvalues above W0's threshold " << above_initial << ", spikes of the fitted bulk " << spikes_of(ev, bulk).size());
    CHECK(above_initial > 10);  // W0's threshold lies inside the widened bulk
    CHECK(spikes_of(ev, bulk).size() == 1);
    // analyze_spectrum without a variance fits the bulk the same way.
    const SpectralSummary s = analyze_spectrum(G.cast<float>(), 0.0);
    CHECK(s.mp.variance == bulk.variance);
    CHECK(s.num_spikes == 1);
    // Nothing to fit: the shape comes back as it was.
    CHECK(fit_bulk({}, initial).variance == 1.0);
    CHECK(fit_bulk(std::vector<double>(10, 0.0), initial).variance == 1.0);
}

TEST_CASE("mp: spikes stand apart from the bulk; a stretched top is a tail, not spikes", "[mp]") {
    const MpLaw unit = law(k_R, k_C, 1.0);
    const std::vector<double> bulk = esd_eigenvalues(gaussian_matrix_f(k_R, k_C, 101));
    const double t = unit.spike_threshold();
    // A top stretched continuously beyond the threshold (1% apart, as a trained bulk's): no spike.
    std::vector<double> stretched = bulk;
    for (int i = 0; i < 20; ++i) stretched.push_back(t * std::pow(1.01, i));
    CHECK(spikes_of(stretched, unit).empty());
    // Two outliers above it, each a gap away: both are spikes, largest first, also when above the stretched top.
    std::vector<double> two = stretched;
    two.push_back(3 * t);
    two.push_back(10 * t);
    CHECK(spikes_of(two, unit) == std::vector<double>{10 * t, 3 * t});
    // An outlier just above the threshold but within 25% of the bulk's top is not apart from it.
    std::vector<double> close = bulk;
    close.push_back(bulk.back() * 1.2 > t ? bulk.back() * 1.2 : t * 1.01);
    INFO("bulk top " << bulk.back() << ", threshold " << t << ", candidate " << close.back());
    CHECK(spikes_of(close, unit).empty());
    CHECK(count_spikes(close, unit) == 1);  // above the threshold all the same
    CHECK(spikes_of(bulk, unit).empty());
}
