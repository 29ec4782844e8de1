// The cost model of sweep_cost.hpp, in saturating 64-bit integer arithmetic.
#include "sweep_cost.hpp"

#include <algorithm>
#include <initializer_list>
#include <limits>

namespace spiketail {
namespace {

constexpr std::uint64_t k_max = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add(std::uint64_t a, std::uint64_t b) { return a > k_max - b ? k_max : a + b; }

std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
    std::uint64_t product;
    return __builtin_mul_overflow(a, b, &product) ? k_max : product;
}

std::uint64_t mul(std::initializer_list<std::uint64_t> factors) {
    std::uint64_t product = 1;
    for (std::uint64_t f : factors) product = mul(product, f);
    return product;
}

std::uint64_t positive(int x) { return x > 0 ? static_cast<std::uint64_t>(x) : 0; }

}  // namespace

std::uint64_t probe_count(const Config& config) {
    const std::uint64_t steps = positive(config.num_steps);
    const std::uint64_t every = std::max<std::uint64_t>(positive(config.probe_every), 1);
    return 1 + steps / every + (steps % every != 0 ? 1 : 0);
}

RunFlops run_flops(const Config& c) {
    const std::uint64_t n = positive(c.n), n_test = positive(c.n_test), d = positive(c.d), h = positive(c.h);
    const std::uint64_t steps = positive(c.num_steps), probes = probe_count(c);
    const std::uint64_t m = std::min(d, h), big = std::max(d, h), a = std::min(n, h), b = std::max(n, h);
    const std::uint64_t grams = c.probe_update ? 2 : 1;  // W, and the update M_t
    RunFlops flops;
    const std::uint64_t per_probe = add(add(mul({2, add(n, n_test), d, h}), mul({2, grams, m, m, big})), mul({2, a, a, b}));
    flops.gemm = add(mul({4, steps, n, d, h}), mul(probes, per_probe));
    flops.eig = mul({probes, grams, m, m, m});
    return flops;
}

std::uint64_t run_cost(const Config& config) {
    const RunFlops flops = run_flops(config);
    return add(add(flops.gemm, mul(k_eig_flop_weight, flops.eig)), k_run_overhead_flops);
}

double predict_run_seconds(const Config& config) {
    return k_seconds_per_gemm_flop * static_cast<double>(run_cost(config));
}

}  // namespace spiketail
