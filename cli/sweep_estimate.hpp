// spiketail sweep CONFIG --estimate [--shard K/N]: the cost model's view of a sweep without running it — each
// run's flops, its cost and predicted seconds on one thread (core/sweep_cost.hpp), and the runs this process
// would compute (the shard's, minus --resume's). docs/cluster.md uses it to size a cluster job.
#pragma once
#include "arguments.hpp"
#include "sweep_plan.hpp"

namespace spiketail {

// Writes {"sweep_id", "runs_total", "seconds_per_gemm_flop", "runs": [{"index", "gemm_flops", "eig_flops", "cost",
// "predicted_seconds", "memory_bytes"}], "predicted_seconds"} for the runs of job.todo to --out or stdout.
int write_sweep_estimate(const Options& options, const SweepJob& job);

}  // namespace spiketail
