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
        CHECK(analyze_spectrum(W, 0.0).num_spikes == 0);  // variance estimated from ||W||_F^2

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
        CHECK(count_spikes(ev, mp) == 1);
        CHECK_ERROR("mp spike theta=" << theta << ": lambda_out / BBP prediction - 1", std::abs(ev.back() / expected - 1),
                    k_outlier_rel_tol);
    }
}
