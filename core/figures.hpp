// What the figures draw, computed once, here, in the units of each figure's axes (docs/method.md §6.7).
// The page (through wasm) and any other front end draw these arrays as they are; none recomputes them.
//
//   ESD over log10 λ   histograms of log10 λ of the current and initial eigenvalues on common bins, density
//                      per unit log10 λ; the MP density of W0's law after the change of variables
//                      p(log10 λ) = p(λ) λ ln 10; the fitted power laws (Hill, KS) as (k/N) times the Pareto
//                      density (α−1)/x_min (λ/x_min)^−α, changed to log10 λ the same way
//   ESD over λ         the same histograms and MP density over λ on [0, max λ]
//   tail CCDF          empirical P(Λ ≥ λ_i) = (N − i)/N over the ascending λ_i, and each fit's (k/N)(λ/x_min)^(1−α)
//   entries of W       histograms of W_ij now and at initialisation on common bins
// Eigenvalues at or below k_eigenvalue_floor are numerical zeros: left out of every figure and counted.
// Over a run the histograms are binned over one range (EsdRange), grown only when eigenvalues leave it, so the
// bars of every step line up and the page's axes stay still.
#pragma once
#include <vector>

#include "mp.hpp"
#include "powerlaw.hpp"
#include "spectrum.hpp"

namespace spiketail {

struct Curve {
    std::vector<double> x, y;
};

struct PowerLawLines {
    Curve log_density;  // over log10 λ
    Curve ccdf;         // over λ
};

// The range of log10 λ the ESD histograms cover: [log_lo, log_hi], in whole steps of k_esd_range_step; over λ
// the histograms cover [0, 10^log_hi]. Empty (log_lo > log_hi) until it has seen an eigenvalue above the floor.
struct EsdRange {
    double log_lo = 1.0, log_hi = 0.0;
    bool empty() const { return !(log_lo < log_hi); }
    double linear_hi() const;
};
// The range grows in steps of a quarter decade, so that a run re-bins a few times, not at every step.
constexpr double k_esd_range_step = 0.25;
// `range` widened to hold every eigenvalue above the floor of `eigenvalues`, its ends snapped outwards to
// multiples of k_esd_range_step; never narrowed.
EsdRange grow_esd_range(EsdRange range, const std::vector<double>& eigenvalues);

struct EsdFigure {
    int dropped = 0;                          // eigenvalues at or below the floor
    EsdRange range;                           // what the histograms cover (the figures' x axes)
    MpLaw bulk;                               // the MP law of the bulk now (fit_bulk): its edges and threshold
    std::vector<double> spikes;               // spikes_of(eigenvalues, bulk), descending: the probe's num_spikes
    Histogram log_current, log_initial;       // over log10 λ (initial empty when not given)
    Histogram linear_current, linear_initial;  // over λ
    Curve mp_log, mp_linear;                  // MP density of W0's law (empty when its support is degenerate)
    PowerLawLines hill, ks;                   // empty when the fit was not made
    Curve ccdf;                               // empirical
};

// Histogram bins for N eigenvalues: about 2√N, within [20, 80] (so 1000 eigenvalues get 63 bins).
int esd_bins(std::size_t count);
constexpr int k_mp_curve_points = 400;      // samples of the MP density inside its support
constexpr int k_power_law_curve_points = 61;  // samples of a fitted line from x_min to max λ

// A fit is drawn from its alpha and x_min (alpha > 1, x_min > 0); the tail fraction k/N is counted here.
struct FitLine {
    double alpha = 0, xmin = 0;
    bool ok() const { return alpha > 1 && xmin > 0; }
};
FitLine fit_line(const PowerLawFit& fit);

// mp: W0's law (its shape is also the bulk's). range: the run's range so far (the session's esd_range()),
// widened here by the current and initial eigenvalues; empty: theirs alone.
EsdFigure esd_figure(const std::vector<double>& eigenvalues, const std::vector<double>& initial, const MpLaw& mp,
                     const FitLine& hill, const FitLine& ks, const EsdRange& range = {});

// (k/N)(α−1)/x_min (λ/x_min)^−α over log10 λ and (k/N)(λ/x_min)^(1−α) over λ, from x_min to the top eigenvalue.
// positive: the eigenvalues above the floor, ascending.
PowerLawLines power_law_lines(const std::vector<double>& positive, const FitLine& fit);

struct WeightFigure {
    std::vector<double> edges, current, initial;  // common bins over both matrices' range
};
constexpr int k_weight_bins = 60;
WeightFigure weight_figure(const MatrixF& W, const MatrixF& W0, int bins = k_weight_bins);

}  // namespace spiketail
