// Shard assignment by LPT, the dispatch order, and the FNV-1a hash of sweep_shard.hpp.
#include "sweep_shard.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>

#include "sweep_cost.hpp"

namespace spiketail {

std::vector<FieldError> validate_shard(const ShardSpec& shard) {
    if (shard.count < 1 || shard.count > k_max_shards)
        return {{"shard", "the number of shards must be 1 to " + std::to_string(k_max_shards) + " (got " +
                              std::to_string(shard.count) + ")"}};
    if (shard.index < 1 || shard.index > shard.count)
        return {{"shard", "K of K/N must be 1 to " + std::to_string(shard.count) + " (got " +
                              std::to_string(shard.index) + ")"}};
    return {};
}

std::vector<std::uint64_t> sweep_run_costs(const std::vector<SweepRun>& runs) {
    std::vector<std::uint64_t> costs;
    costs.reserve(runs.size());
    for (const SweepRun& run : runs) costs.push_back(run_cost(run.config));
    return costs;
}

std::vector<std::size_t> largest_first(const std::vector<std::uint64_t>& costs) {
    std::vector<std::size_t> order(costs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    return order;
}

std::vector<int> assign_shards(const std::vector<std::uint64_t>& costs, int count) {
    count = std::max(count, 1);
    std::vector<int> shard_of(costs.size(), 0);
    // (load, shard), least on top: std::pair's order breaks a tie of loads by the lower shard.
    using Load = std::pair<std::uint64_t, int>;
    std::priority_queue<Load, std::vector<Load>, std::greater<Load>> loads;
    for (int s = 0; s < count; ++s) loads.push({0, s});
    for (std::size_t i : largest_first(costs)) {
        const Load least = loads.top();
        loads.pop();
        shard_of[i] = least.second;
        const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - least.first;
        loads.push({least.first + std::min(costs[i], room), least.second});  // saturating, as the costs are
    }
    return shard_of;
}

std::vector<std::size_t> shard_runs(const std::vector<std::uint64_t>& costs, const ShardSpec& shard) {
    const std::vector<int> shard_of = assign_shards(costs, shard.count);
    std::vector<std::size_t> mine;
    for (std::size_t i = 0; i < shard_of.size(); ++i)
        if (shard_of[i] == shard.index - 1) mine.push_back(i);
    return mine;
}

std::uint64_t fnv1a_64(const std::string& text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char byte : text) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string hex_64(std::uint64_t value) {
    static const char digits[] = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) text[static_cast<std::size_t>(i)] = digits[value & 0xf];
    return text;
}

}  // namespace spiketail
