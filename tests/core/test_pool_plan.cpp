// The page's worker pools (pool_plan.hpp): how many workers, from the cores, the jobs and the memory a job holds.
#include <catch2/catch.hpp>

#include "io/layer_report.hpp"
#include "io/tensor_index.hpp"
#include "pool_plan.hpp"
#include "weight_layers.hpp"

using namespace spiketail;

namespace {

// A float32 safetensors-style entry of this shape and the memory its analysis takes (what modelIndex lists).
double layer_memory(std::int64_t rows, std::int64_t cols) {
    TensorEntry entry;
    entry.name = "w";
    entry.dtype = DType::f32;
    entry.shape = {rows, cols};
    entry.ranges = {{"", 0, static_cast<std::uint64_t>(rows * cols * 4)}};
    return tensor_analysis_memory_bytes(entry, plan_layer(entry.name, entry.shape, LayerOptions{}), 4.0 * rows * cols);
}

}  // namespace

TEST_CASE("the default pool is one worker per core, at most k_default_pool_workers", "[pool]") {
    CHECK(default_pool_workers(0) == 1);
    CHECK(default_pool_workers(1) == 1);
    CHECK(default_pool_workers(2) == 2);
    CHECK(default_pool_workers(64) == k_default_pool_workers);
    CHECK(k_default_pool_workers <= k_max_pool_workers);
}

TEST_CASE("a pool is bounded by the request, k_max_pool_workers, the jobs and the memory budget", "[pool]") {
    const double gib = 1024.0 * 1024 * 1024;
    CHECK(pool_size(4, 100, 0, gib) == 4);                    // memory unknown: the request
    CHECK(pool_size(64, 100, 0, gib) == k_max_pool_workers);  // never more than the cap
    CHECK(pool_size(4, 3, 0, gib) == 3);                      // no idle workers
    CHECK(pool_size(4, 0, 0, gib) == 1);
    CHECK(pool_size(8, 100, 0.3 * gib, gib) == 3);            // floor(1 / 0.3)
    CHECK(pool_size(8, 100, 2 * gib, gib) == 1);              // one job above the budget still runs
    CHECK(pool_size(0, 100, 0, gib) == 1);
}

TEST_CASE("the sweep pool: the workers asked for, unless the runs or the 4 GiB budget say fewer", "[pool]") {
    const double mib = 1024.0 * 1024;
    CHECK(run_pool_size(2, 90, 100 * mib) == 2);    // the study's runs (~100 MB): the request
    CHECK(run_pool_size(8, 3, 100 * mib) == 3);     // three missing runs: three workers
    CHECK(run_pool_size(16, 90, 1536 * mib) == 2);  // 1.5 GiB runs: two fit 4 GiB
    CHECK(run_pool_size(16, 90, 0) == k_max_pool_workers);
}

TEST_CASE("the Analyze pool: every core for a GPT-2-sized model, one worker for 256 MiB layers", "[pool]") {
    // GPT-2 small's largest layer, 3072 x 768 float32 (9 MiB): memory allows the cores.
    const double gpt2 = layer_memory(3072, 768);
    INFO("3072 x 768: " << gpt2 / 1048576 << " MiB");
    CHECK(layer_pool_size(2, 48, gpt2) == 2);
    CHECK(layer_pool_size(8, 48, gpt2) == 8);
    // One 4096 x 4096 layer: one job, one worker; several: 3 within 512 MiB (64 MiB of bytes + a 64 MiB Gram each).
    const double square = layer_memory(4096, 4096);
    INFO("4096 x 4096: " << square / 1048576 << " MiB");
    CHECK(layer_pool_size(8, 1, square) == 1);
    CHECK(layer_pool_size(8, 10, square) == 3);
    // A 1 GB file of four 16384 x 4096 layers: a float32 layer becomes its own values (no second copy), so one
    // analysis holds its bytes, the 4096² Gram and the eigensolver's rows: ≤ 1.3× the layer; and one at a time.
    const double big = layer_memory(16384, 4096), bytes = 16384.0 * 4096 * 4;
    INFO("16384 x 4096: " << big / 1048576 << " MiB for " << bytes / 1048576 << " MiB of bytes");
    CHECK(big <= 1.3 * bytes);
    CHECK(layer_pool_size(2, 4, big) == 1);
    CHECK(layer_pool_size(16, 4, big) == 1);
}
