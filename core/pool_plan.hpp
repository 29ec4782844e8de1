// How many Web Workers a page runs at once, each its own single-threaded wasm instance with its own heap
// (web/worker-pool.js starts them; the numbers and the rule are here so that every front end sizes a pool alike).
//
//   workers = max(1, min(requested, k_max_pool_workers, jobs, floor(budget / bytes_per_job)))
//
// bytes_per_job is the most one job holds in a heap at once (a sweep run's estimate_memory_bytes, a layer's
// tensor_analysis_memory_bytes). A heap never shrinks, so a worker keeps the largest job it ran: W workers hold
// about W × bytes_per_job. One job above the budget still gets one worker (the per-call caps refuse what no heap
// can take).
#pragma once
#include <cstdint>

namespace spiketail {

// More workers than cores only compete for them; 16 bounds a many-core device's heaps and start-up.
constexpr int k_max_pool_workers = 16;
// The default when the device reports more cores: a sweep's run of the study's size is ~100 MB of heap.
constexpr int k_default_pool_workers = 8;
// The sweep's runs together: 4 GiB, two browser tabs' worth of wasm heaps on a desktop.
constexpr double k_run_pool_memory_budget_bytes = 4.0 * 1024 * 1024 * 1024;
// The Analyze view's layers together: 512 MiB. A model's largest layers set its peak, and the page's goal is a
// peak within 3× the largest layer (bench/NOTES.md): a layer of 256 MiB (16384 × 4096 float32) holds ~1.3× its
// bytes while analysed, so two at once plus the workers' own ~40 MB would pass 3×; one at a time it is ~1.6×.
// Layers of a GPT-2-sized model (≤ 10 MB) still get every core.
constexpr double k_layer_pool_memory_budget_bytes = 512.0 * 1024 * 1024;
// A worker reads a layer's bytes into its heap in slices of this many bytes (File.slice), so that no copy of the
// whole layer exists outside the heap: 8 MiB, small beside a large layer, large enough that the reads stay few.
constexpr double k_layer_read_chunk_bytes = 8.0 * 1024 * 1024;

// Workers for a device with `cores` cores (1 when it reports none) when the user asks for nothing else.
int default_pool_workers(int cores);
// Workers to start for `jobs` jobs of at most bytes_per_job bytes each (0: unknown) within budget_bytes.
int pool_size(int requested, std::int64_t jobs, double bytes_per_job, double budget_bytes);
// The Analyze view's pool: default_pool_workers(cores), bounded by its jobs and k_layer_pool_memory_budget_bytes.
int layer_pool_size(int cores, std::int64_t jobs, double largest_layer_bytes);
// The sweep view's pool: the workers asked for, bounded by its runs and k_run_pool_memory_budget_bytes
// (bytes_per_run: the largest run's estimate_memory_bytes).
int run_pool_size(int requested, std::int64_t runs, double bytes_per_run);

}  // namespace spiketail
