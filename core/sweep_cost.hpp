// The cost model of a run: how long one run of a sweep takes on one thread, from its shape alone
// (docs/method.md §7, "Cost of a run"; docs/cluster.md fits and checks it). The shard assignment and the
// MPI runner's dispatch order (sweep_shard.hpp) balance this cost; docs/cluster.md predicts study times with it.
//
//   T(run) = s_gemm * (G + w_eig * E + c_run)            seconds, one thread
//   G = 4 S n d h                                         the S training steps: Z = X W^T and dW = G^T X
//     + P [ 2 (n + n_test) d h                            each of the P probes: features of probe and test sets
//         + 2 (1 + u) m^2 M                               Gram matrix of W (and of the update M_t when u = 1)
//         + 2 a^2 b ]                                     ridge refit: the smaller Gram of F (n x h)
//   E = P (1 + u) m^3                                     eigen-decompositions of those Gram matrices
//   m = min(d, h), M = max(d, h), a = min(n, h), b = max(n, h), u = probe_update, P = probe_count(config)
//
// G and E are flop counts; w_eig says what an eigen-decomposition flop costs in GEMM flops and c_run is the
// per-run overhead (data draws, set-up) in GEMM flops. Costs are integers (saturating at 2^64 - 1) so that the
// assignment is the same on every machine whatever its floating-point contraction: only s_gemm, the seconds
// per GEMM flop, is a double, and it only scales predicted times.
#pragma once
#include <cstdint>

#include "config.hpp"

namespace spiketail {

// Fitted on this project's 2-core machine (AMD EPYC, AVX-512), one thread, CPU time, 8 shapes from n/d/h = 400/200/300
// to 1600/800/1200 (docs/cluster.md, "Cost model"; `node bench/cost.mjs` measures and refits them). The fit gave
// 1.554e-11 s per GEMM flop, an eigen flop worth 4.82 GEMM flops and 3.1e9 flops (0.05 s) per run; rounded here.
constexpr double k_seconds_per_gemm_flop = 1.55e-11;          // s_gemm: ~64 GFLOP/s of float GEMM on one core
constexpr std::uint64_t k_eig_flop_weight = 5;                 // w_eig: a flop of symmetric eigen-decomposition / a GEMM flop
constexpr std::uint64_t k_run_overhead_flops = 3000000000ULL;  // c_run: ~0.05 s per run (data draws, set-up)

// Probes a run records: step 0, every probe_every-th step and the last one (session.hpp's schedule).
std::uint64_t probe_count(const Config& config);

struct RunFlops {
    std::uint64_t gemm = 0;   // G above
    std::uint64_t eig = 0;    // E above
};
RunFlops run_flops(const Config& config);

// G + w_eig * E + c_run, in GEMM-flop equivalents: the integer the shard assignment balances.
std::uint64_t run_cost(const Config& config);

// s_gemm * run_cost: predicted seconds of the run on one thread of the fitted machine.
double predict_run_seconds(const Config& config);

}  // namespace spiketail
