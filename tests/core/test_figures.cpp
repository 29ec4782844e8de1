// The figure data (figures.hpp): what the page draws must be the method's quantities in its axes' units.
// Checked against closed forms: densities integrate to 1 (a histogram exactly, the MP curve to the accuracy
// of a 400-point midpoint rule), the change of variables λ -> log10 λ preserves mass, the fitted lines are
// the Pareto law of the fit scaled to its tail fraction, and the empirical CCDF is (N − i)/N.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "figures.hpp"
#include "helpers.hpp"
#include "io/figures_json.hpp"
#include "session.hpp"

#include <nlohmann/json.hpp>

using namespace spiketail;
using namespace spiketail::test;

namespace {

double histogram_mass(const Histogram& h) {
    double mass = 0;
    for (std::size_t i = 0; i < h.density.size(); ++i) mass += h.density[i] * (h.edges[i + 1] - h.edges[i]);
    return mass;
}

// Trapezoid integral of a curve sampled at increasing x.
double curve_mass(const Curve& c) {
    double mass = 0;
    for (std::size_t i = 1; i < c.x.size(); ++i) mass += 0.5 * (c.y[i] + c.y[i - 1]) * (c.x[i] - c.x[i - 1]);
    return mass;
}

MpLaw law(double rows, double cols) {
    MpLaw mp;
    mp.rows = rows;
    mp.cols = cols;
    return mp;
}

}  // namespace

TEST_CASE("figures: ESD histograms share bins, integrate to 1 and leave out the floor", "[figures]") {
    const MatrixF W = gaussian_matrix_f(300, 200, 11);
    std::vector<double> eigenvalues = esd_eigenvalues(W);
    eigenvalues.push_back(0.0);    // numerical zeros: dropped and counted
    eigenvalues.push_back(1e-7);
    const std::vector<double> initial = esd_eigenvalues(gaussian_matrix_f(300, 200, 12));
    const EsdFigure f = esd_figure(eigenvalues, initial, law(300, 200), {}, {});
    CHECK(f.dropped == 2);
    CHECK(f.log_current.edges == f.log_initial.edges);
    CHECK(f.linear_current.edges == f.linear_initial.edges);
    CHECK(static_cast<int>(f.log_current.density.size()) == esd_bins(200));
    CHECK(static_cast<int>(f.linear_current.density.size()) == 2 * esd_bins(200));
    for (const Histogram* h : {&f.log_current, &f.log_initial, &f.linear_current, &f.linear_initial})
        CHECK(histogram_mass(*h) == Approx(1.0).epsilon(1e-12));
    CHECK(esd_bins(1000) == 63);
    CHECK(esd_bins(4) == 20);
    CHECK(esd_bins(1000000) == 80);
}

TEST_CASE("figures: the MP curve integrates to 1 over λ and over log10 λ", "[figures]") {
    const EsdFigure f = esd_figure({1.0, 2.0, 3.0}, {}, law(1500, 1000), {}, {});
    REQUIRE(f.mp_linear.x.size() == static_cast<std::size_t>(k_mp_curve_points));
    // The density has square-root edges: a 400-point rule misses O(400^-1.5) of the mass at each edge.
    const double tolerance = 2.0 * std::pow(k_mp_curve_points, -1.5) * 10;
    const double linear = curve_mass(f.mp_linear), logarithmic = curve_mass(f.mp_log);
    std::printf("  MP mass over λ %.6f, over log10 λ %.6f (tolerance %.1e)\n", linear, logarithmic, tolerance);
    CHECK(linear == Approx(1.0).margin(tolerance));
    CHECK(logarithmic == Approx(1.0).margin(tolerance));
    for (std::size_t i = 0; i < f.mp_log.x.size(); ++i)
        CHECK(f.mp_log.x[i] == Approx(std::log10(f.mp_linear.x[i])).epsilon(1e-15));
}

TEST_CASE("figures: fitted lines are the Pareto law of the fit times its tail fraction", "[figures]") {
    std::vector<double> eigenvalues;
    for (int i = 1; i <= 100; ++i) eigenvalues.push_back(static_cast<double>(i));
    FitLine fit;
    fit.alpha = 2.5;
    fit.xmin = 51.0;  // 50 of 100 eigenvalues in the tail
    const EsdFigure f = esd_figure(eigenvalues, {}, law(150, 100), fit, {});
    REQUIRE(f.hill.ccdf.x.size() == static_cast<std::size_t>(k_power_law_curve_points));
    CHECK(f.hill.ccdf.x.front() == Approx(51.0));
    CHECK(f.hill.ccdf.x.back() == Approx(100.0));
    CHECK(f.hill.ccdf.y.front() == Approx(0.5));  // k/N at x_min
    for (std::size_t i = 0; i < f.hill.ccdf.x.size(); ++i) {
        const double x = f.hill.ccdf.x[i];
        CHECK(f.hill.ccdf.y[i] == Approx(0.5 * std::pow(x / 51.0, -1.5)));
        // density over log10 λ = p(λ) λ ln 10 with p(λ) = (k/N)(α−1)/x_min (λ/x_min)^−α
        CHECK(f.hill.log_density.y[i] == Approx(0.5 * 1.5 / 51.0 * std::pow(x / 51.0, -2.5) * x * std::log(10.0)));
    }
    CHECK(f.ks.ccdf.x.empty());  // no fit, no line
    // Empirical CCDF: P(Λ >= λ_i) = (N − i)/N over ascending λ.
    REQUIRE(f.ccdf.x.size() == 100);
    CHECK(f.ccdf.x.front() == 1.0);
    CHECK(f.ccdf.y.front() == 1.0);
    CHECK(f.ccdf.y.back() == Approx(0.01));
}

TEST_CASE("figures: a stored record is drawn as the live probe it came from", "[figures]") {
    const MatrixF W = gaussian_matrix_f(150, 100, 5);
    const SpectralSummary s = analyze_spectrum(W, 1.0);
    const EsdFigure live = esd_figure(s.eigenvalues, {}, law(150, 100), fit_line(s.hill), fit_line(s.ks));
    nlohmann::json record = {{"eigenvalues", s.eigenvalues}, {"alpha_hill", s.hill.alpha}, {"hill_xmin", s.hill.xmin},
                             {"alpha_ks", s.ks.alpha}, {"ks_xmin", s.ks.xmin}};
    const nlohmann::json config = {{"h", 150}, {"d", 100}};
    const EsdFigure stored = esd_figure_from_record(config, record, {});
    CHECK(esd_figure_to_json_value(stored) == esd_figure_to_json_value(live));
    // Malformed parts leave their curves out; nothing throws.
    record["alpha_ks"] = nullptr;
    const EsdFigure partial = esd_figure_from_record(nlohmann::json("nonsense"), record, {});
    CHECK(partial.mp_log.x.empty());
    CHECK(partial.ks.ccdf.x.empty());
    CHECK_FALSE(partial.hill.ccdf.x.empty());
}

TEST_CASE("figures: the ESD range snaps to quarter decades and only grows", "[figures]") {
    EsdRange r = grow_esd_range({}, {1e-9, 0.0});  // nothing above the floor: still empty
    CHECK(r.empty());
    r = grow_esd_range(r, {20.0, 5000.0});  // log10: 1.301 .. 3.699
    CHECK(r.log_lo == 1.25);
    CHECK(r.log_hi == 3.75);
    CHECK(r.linear_hi() == Approx(std::pow(10.0, 3.75)));
    const EsdRange same = grow_esd_range(r, {100.0, 1000.0});  // inside: unchanged
    CHECK(same.log_lo == r.log_lo);
    CHECK(same.log_hi == r.log_hi);
    const EsdRange wider = grow_esd_range(r, {1.5e6});  // a spike: only the top end moves
    CHECK(wider.log_lo == 1.25);
    CHECK(wider.log_hi == 6.25);
    const EsdRange one = grow_esd_range({}, {100.0});  // one value on a multiple of the step still has a width
    CHECK(one.log_hi - one.log_lo == Approx(k_esd_range_step));
}

TEST_CASE("figures: over a run the bins stay put and the figure's spikes are the probe's", "[figures]") {
    // Adam at a large rate on a small network: the bulk widens and spikes leave it within a few steps.
    Config c = small_config(300, 80, 120);
    c.lr = 0.5;
    c.num_steps = 6;
    Session session(c);
    std::vector<double> previous_edges;
    EsdRange previous;
    int grew = 0, with_spikes = 0;
    while (session.can_advance()) {
        if (!session.advance().probed) continue;
        const ProbeRecord& r = session.history().back();
        const SpectralSummary& s = r.spectrum;
        const EsdFigure f = esd_figure(s.eigenvalues, session.initial_eigenvalues(), session.initial_mp_law(),
                                       fit_line(s.hill), fit_line(s.ks), session.esd_range());
        INFO("step " << r.step << ": range [" << f.range.log_lo << ", " << f.range.log_hi << "], spikes "
                     << s.num_spikes << ", bulk variance " << s.mp.variance);
        // The figure bins over the session's range, which holds every probe so far and never narrows.
        CHECK(f.range.log_lo == session.esd_range().log_lo);
        CHECK(f.range.log_hi == session.esd_range().log_hi);
        CHECK(f.log_current.edges.front() == f.range.log_lo);
        CHECK(f.log_current.edges.back() == Approx(f.range.log_hi));
        if (!previous.empty()) {
            CHECK(f.range.log_lo <= previous.log_lo);
            CHECK(f.range.log_hi >= previous.log_hi);
            if (f.range.log_lo == previous.log_lo && f.range.log_hi == previous.log_hi) {
                CHECK(f.log_current.edges == previous_edges);  // same range: the same bins
            } else {
                ++grew;
            }
        }
        // The spikes drawn are exactly those counted, against the same fitted bulk.
        CHECK(static_cast<int>(f.spikes.size()) == s.num_spikes);
        CHECK(f.bulk.variance == s.mp.variance);
        CHECK(std::is_sorted(f.spikes.rbegin(), f.spikes.rend()));
        for (double v : f.spikes) CHECK(v > s.mp.spike_threshold());
        if (s.num_spikes > 0) ++with_spikes;
        previous = f.range;
        previous_edges = f.log_current.edges;
    }
    INFO("probes with spikes " << with_spikes << ", range grew " << grew << " times");
    CHECK(with_spikes > 0);
    CHECK(grew < 6);  // quarter-decade steps: not at every probe
    // A second run's range widens the session's, so both runs can be drawn on the same bins.
    const EsdRange before = session.esd_range();
    session.widen_esd_range(EsdRange{before.log_lo - 1.0, before.log_hi});
    CHECK(session.esd_range().log_lo == before.log_lo - 1.0);
    session.widen_esd_range(EsdRange{});  // empty: no change
    CHECK(session.esd_range().log_lo == before.log_lo - 1.0);
}
