// What a run or a sweep shows, in the words of the study's findings (docs/method.md §13): the numbers a reader
// is told and the yes/no claims made about them. The page's guided tour fills its captions from these and only
// chooses a sentence by a claim; it never computes a number or compares two.
//
// Run findings, from the probe records of one run (first probe = the start, last probe = now):
//   edge_ratio      = λ_max / mp_upper, the MP edge of the bulk now (mp.hpp fit_bulk)   (the spike's distance from the bulk)
//   bulk_count      = #{λ_i of the first probe in [mp_lower, mp_threshold]}   (a random W fills its MP bulk)
//   sim_gain        = sim(W, β*) now / at the first probe; sim_rises = now > at the first probe
//   heavy_tail      = α_Hill < k_heavy_tail_alpha (2) at the last probe; first_heavy_step the first such probe
//   alpha_crosses   = α_Hill ≥ 2 at the first probe and < 2 at some later one; alpha_falls = last < first
//   update (M_t = W_t − W_{t−1} of the last probe, singular values σ_1 ≥ σ_2 ≥ …):
//     norm ‖M‖_F = √(Σ σ_i²), top σ_1, top_share σ_1² / ‖M‖_F² (1 = rank one),
//     sign_norm = η √(h d): the Frobenius norm of ±η in every entry, Adam's first update (docs/method.md §4),
//     the top-left entries of the overlaps <·>² of W's top singular vectors (before and after the step) with M's;
//     near_rank_one = top_share > 1/2, aligned = both top overlaps after the step > k_aligned_overlap (1/2)
// Comparing two runs' first updates (GD's first update is −η ∇L(W₀), linear in η):
//   update_norm_ratio = ‖M_a‖_F / ‖M_b‖_F,  lr_to_match = η_b · ratio  (the η at which b's update is a's size)
// Sweep findings, from the engine's statistics of a sweep (sweep_stats.hpp: means over repeats at the last probe):
//   per optimiser over η: α_Hill at the smallest and largest η, its minimum, the first η whose mean α_Hill < 2,
//   sim(W, β*) at the smallest η and its maximum; heavy_lr_ratio = first heavy η of GD / that of Adam.
//   a parameter study: the last step's mean losses and α_Hill per value, and whether the test loss rises or
//   falls with the value (trend +1 / −1, 0 when it does neither throughout).
#pragma once
#include <string>
#include <vector>

#include "sweep_stats.hpp"

namespace spiketail {

// A squared overlap above this: the two unit vectors share more than half their direction (cos² > 1/2).
constexpr double k_aligned_overlap = 0.5;

// The fields of one probe record that findings read (docs/schema.md); NaN where the record has none.
struct ProbeFacts {
    int step = 0;
    double lr = 0;
    double spectral_norm = 0, mp_lower = 0, mp_upper = 0, mp_threshold = 0;
    int num_spikes = 0;
    double sim_w_beta = 0, alpha_hill = 0, alpha_ks = 0, ks_xmin = 0, train_loss = 0, test_loss = 0;
    std::vector<double> eigenvalues;             // empty without detail
    std::vector<double> update_singular_values;  // of M_t, descending; empty when there is no update analysis
    double u_overlap_top = 0, v_overlap_top = 0;  // <u_1(W_t), u_1(M_t)>^2 and <v_1(W_t), v_1(M_t)>^2, or NaN
    double u_overlap_prev_top = 0, v_overlap_prev_top = 0;  // the same with W_{t-1}
};

struct UpdateFacts {
    bool available = false;
    int step = 0;
    double lr = 0, norm = 0, top = 0, top_share = 0, sign_norm = 0;
    double u_overlap_top = 0, v_overlap_top = 0, u_overlap_prev_top = 0, v_overlap_prev_top = 0;
    bool near_rank_one = false, aligned = false;
};

struct RunFindings {
    bool ok = false;
    std::string message;  // why not ok (no probes)
    int first_step = 0, last_step = 0;
    double lambda_max_initial = 0, lambda_max = 0, mp_lower = 0, mp_upper = 0, mp_threshold = 0, edge_ratio = 0;
    int bulk_count = 0, eigenvalue_count = 0;  // of the first probe (0 without eigenvalues)
    bool inside_bulk_initial = false;  // λ_max of the first probe ≤ the spike threshold
    bool spike = false;            // λ_max of the last probe > the spike threshold
    int num_spikes = 0;            // the last probe's spikes: beyond the threshold and apart from the bulk
    int beyond_threshold = 0;      // #{λ of the last probe > its spike threshold} (0 without eigenvalues)
    double sim_initial = 0, sim = 0, sim_gain = 0;
    bool sim_rises = false;
    double alpha_hill_initial = 0, alpha_hill = 0, alpha_ks = 0, ks_xmin = 0, ks_slope = 0;  // slope 1 − α_KS
    double train_loss = 0, test_loss = 0;
    bool heavy_tail = false, alpha_crosses = false, alpha_falls = false;
    int first_heavy_step = -1;     // -1: none
    double heavy_tail_alpha = 0;   // the threshold used (k_heavy_tail_alpha)
    UpdateFacts update;
};

// h and d of the run's W (for sign_norm).
RunFindings run_findings(const std::vector<ProbeFacts>& probes, int h, int d);

struct UpdateComparison {
    bool available = false;  // both runs have an update with a non-zero norm
    double update_norm_ratio = 0, lr_to_match = 0;
};
UpdateComparison compare_updates(const RunFindings& a, const RunFindings& b);

struct OptimizerCurve {
    std::string optimizer;
    std::vector<double> lrs;  // ascending, those with a finished run
    double alpha_hill_smallest_lr = 0, alpha_hill_largest_lr = 0, alpha_hill_min = 0, alpha_hill_min_lr = 0;
    double first_heavy_lr = 0;  // NaN: no η of the grid
    double sim_smallest_lr = 0, sim_max = 0, sim_max_lr = 0;
};

struct StudyPoint {
    double value = 0, train_loss = 0, test_loss = 0, alpha_hill = 0;
};

struct SweepFindings {
    std::vector<OptimizerCurve> curves;  // learning-rate sweeps (groups without a parameter), by optimiser
    double heavy_lr_ratio = 0;           // NaN unless both GD and Adam reach α_Hill < 2 on the grid
    std::string param;                   // a parameter study's parameter, or empty
    std::vector<StudyPoint> points;      // its values, ascending (first optimiser and η of the study)
    int last_step = 0;                   // the step of their last probe (the study's first value's)
    int test_loss_trend = 0, alpha_hill_trend = 0;  // +1 rises with the value, −1 falls, 0 neither throughout
    double heavy_tail_alpha = 0;
};

SweepFindings sweep_findings(const std::vector<SweepGroup>& groups);

}  // namespace spiketail
