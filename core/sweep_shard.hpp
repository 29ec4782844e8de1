// Splitting a sweep over machines (docs/method.md §7, "Shards"; docs/cluster.md): which runs shard K of N
// computes, the order in which the MPI runner hands runs out, and the hash that names a sweep.
//
// Assignment (longest processing time first, LPT): the runs sorted by run_cost (sweep_cost.hpp), largest first,
// ties by grid index; each in turn goes to the shard with the least cost so far, ties to the lowest shard.
// Costs are integers, so every machine computes the same assignment. LPT's makespan is at most
// total / N + the largest run's cost, and at most 4/3 of the best possible (Graham 1969).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sweep.hpp"

namespace spiketail {

// Shard `index` (1-based, as the command line and Slurm's array indices write it) of `count`.
struct ShardSpec {
    int index = 1;
    int count = 1;
};

// The most shards a sweep may be split into: far more than a cluster job array has, and small enough that
// the per-shard loads fit in memory whatever a command line says.
constexpr int k_max_shards = 1000000;

// Every problem of a shard spec, named "shard": 1 <= count <= k_max_shards, 1 <= index <= count.
std::vector<FieldError> validate_shard(const ShardSpec& shard);

// run_cost of every run, in grid order.
std::vector<std::uint64_t> sweep_run_costs(const std::vector<SweepRun>& runs);

// The grid indices sorted by cost, largest first, ties by grid index: LPT's order, and the MPI runner's.
std::vector<std::size_t> largest_first(const std::vector<std::uint64_t>& costs);

// shard_of[i] in 0 .. count-1 for grid index i, by LPT as above (count >= 1).
std::vector<int> assign_shards(const std::vector<std::uint64_t>& costs, int count);

// The grid indices of one shard, ascending.
std::vector<std::size_t> shard_runs(const std::vector<std::uint64_t>& costs, const ShardSpec& shard);

// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3) of the bytes of text.
std::uint64_t fnv1a_64(const std::string& text);

// 16 lowercase hexadecimal digits.
std::string hex_64(std::uint64_t value);

}  // namespace spiketail
