// Shards (core/sweep_shard.hpp) and the cost model they balance (core/sweep_cost.hpp): the assignment is disjoint,
// covers the grid, is deterministic and within LPT's bound; FNV-1a against its published test vectors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>

#include "sweep.hpp"
#include "sweep_cost.hpp"
#include "sweep_shard.hpp"

using namespace spiketail;

namespace {

// A grid whose runs differ in cost: a parameter study of n, with steps differing by repeat would not be a
// sweep, so n varies over a decade and two optimisers double the runs.
std::vector<SweepRun> varied_grid() {
    SweepSpec spec;
    spec.base.d = 200;
    spec.base.h = 300;
    spec.optimizers = {OptimizerKind::gd, OptimizerKind::adam};
    spec.lrs = {0.1, 1, 10};
    spec.repeats = 3;
    spec.param = "n";
    spec.values = {100, 400, 800, 1600, 3200};
    return expand_sweep(spec);
}

std::uint64_t sum(const std::vector<std::uint64_t>& x) { return std::accumulate(x.begin(), x.end(), std::uint64_t{0}); }

}  // namespace

TEST_CASE("probe_count follows the session's schedule: step 0, every probe_every-th step, the last", "[shard]") {
    Config c;
    c.num_steps = 10;
    c.probe_every = 1;
    CHECK(probe_count(c) == 11);
    c.probe_every = 10;
    CHECK(probe_count(c) == 2);
    c.probe_every = 3;  // 0, 3, 6, 9, 10
    CHECK(probe_count(c) == 5);
    c.num_steps = 0;
    CHECK(probe_count(c) == 1);
}

TEST_CASE("the cost model grows with every size and with steps, and saturates instead of overflowing", "[shard]") {
    Config c;
    const std::uint64_t base = run_cost(c);
    for (int Config::*field : {&Config::n, &Config::d, &Config::h, &Config::num_steps}) {
        Config bigger = c;
        bigger.*field *= 2;
        CHECK(run_cost(bigger) > base);
    }
    Config huge = c;
    huge.n = huge.d = huge.h = 2000000000;
    huge.num_steps = 2000000000;
    CHECK(run_cost(huge) == UINT64_MAX);
    // The study's run is dominated by its GEMMs: 4 S n d h of the steps alone.
    CHECK(run_flops(c).gemm >= 4ULL * 10 * 2000 * 1000 * 1500);
}

TEST_CASE("shards are disjoint, cover the grid, are deterministic and balanced within LPT's bound", "[shard]") {
    const std::vector<SweepRun> runs = varied_grid();
    const std::vector<std::uint64_t> costs = sweep_run_costs(runs);
    const std::uint64_t largest = *std::max_element(costs.begin(), costs.end());
    for (int count : {1, 2, 3, 7, 16, 90, 200}) {
        std::multiset<std::size_t> seen;
        std::uint64_t worst = 0;
        for (int k = 1; k <= count; ++k) {
            const std::vector<std::size_t> mine = shard_runs(costs, {k, count});
            CHECK(std::is_sorted(mine.begin(), mine.end()));
            CHECK(mine == shard_runs(costs, {k, count}));  // deterministic
            seen.insert(mine.begin(), mine.end());
            std::uint64_t load = 0;
            for (std::size_t i : mine) load += costs[i];
            worst = std::max(worst, load);
        }
        CHECK(seen.size() == runs.size());                                  // covering ...
        CHECK(std::set<std::size_t>(seen.begin(), seen.end()).size() == runs.size());  // ... and disjoint
        // LPT: the most loaded shard carries at most the mean load plus the largest run (Graham's bound).
        const double bound = static_cast<double>(sum(costs)) / count + static_cast<double>(largest);
        INFO("shards " << count << ": worst load " << worst << ", bound " << bound);
        CHECK(static_cast<double>(worst) <= bound);
    }
}

TEST_CASE("LPT puts the largest runs first and breaks ties by grid index, then by shard", "[shard]") {
    const std::vector<std::uint64_t> costs = {5, 9, 5, 1, 9};
    CHECK(largest_first(costs) == std::vector<std::size_t>{1, 4, 0, 2, 3});
    // 9 -> shard 0, 9 -> shard 1, 5 -> shard 0 (tie, lower shard), 5 -> shard 1, 1 -> shard 0.
    CHECK(assign_shards(costs, 2) == std::vector<int>{0, 0, 1, 0, 1});
    // Equal costs: round robin in grid order.
    CHECK(assign_shards({3, 3, 3, 3, 3}, 2) == std::vector<int>{0, 1, 0, 1, 0});
    // More shards than runs: some shards are empty, none holds two runs.
    CHECK(assign_shards({1, 2}, 4) == std::vector<int>{1, 0});
}

TEST_CASE("shard specs are checked", "[shard]") {
    CHECK(validate_shard({1, 1}).empty());
    CHECK(validate_shard({3, 3}).empty());
    CHECK(validate_shard({0, 3}).front().field == "shard");
    CHECK(validate_shard({4, 3}).size() == 1);
    CHECK(validate_shard({1, 0}).size() == 1);
    CHECK(validate_shard({1, k_max_shards + 1}).size() == 1);
}

TEST_CASE("FNV-1a 64 matches its published test vectors", "[shard]") {
    CHECK(fnv1a_64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a_64("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(fnv1a_64("foobar") == 0x85944171f73967e8ULL);
    CHECK(hex_64(0xaf63dc4c8601ec8cULL) == "af63dc4c8601ec8c");
    CHECK(hex_64(1) == "0000000000000001");
}
