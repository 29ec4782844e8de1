#include "pool_plan.hpp"

#include <algorithm>
#include <cmath>

namespace spiketail {

int default_pool_workers(int cores) { return std::max(1, std::min({cores, k_default_pool_workers, k_max_pool_workers})); }

int pool_size(int requested, std::int64_t jobs, double bytes_per_job, double budget_bytes) {
    double by_memory = k_max_pool_workers;
    if (bytes_per_job > 0 && std::isfinite(bytes_per_job)) by_memory = std::max(1.0, std::floor(budget_bytes / bytes_per_job));
    const double n = std::min({static_cast<double>(requested), static_cast<double>(k_max_pool_workers),
                               static_cast<double>(jobs), by_memory});
    return std::max(1, static_cast<int>(n));
}

int layer_pool_size(int cores, std::int64_t jobs, double largest_layer_bytes) {
    return pool_size(default_pool_workers(cores), jobs, largest_layer_bytes, k_layer_pool_memory_budget_bytes);
}

int run_pool_size(int requested, std::int64_t runs, double bytes_per_run) {
    return pool_size(requested, runs, bytes_per_run, k_run_pool_memory_budget_bytes);
}

}  // namespace spiketail
