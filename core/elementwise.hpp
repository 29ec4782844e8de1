// Elementwise loops over large arrays (the activation, dL/dZ, the optimisers' updates) on the available threads:
// for_each_range(count, per_item, f) calls f(begin, end) on consecutive ranges of [0, count) that together cover it
// once, through for_each_block (parallel.hpp), and serially when count * per_item < k_elementwise_parallel_min
// entries, where waking the threads costs more than the loop. Every entry depends only on its own inputs, so any
// split gives the same bits whatever the number of threads (docs/method.md §9).
//
// all_finite(m): whether a matrix holds no NaN and no infinity (a run's weights after each step, a matrix to
// analyse), by its float bits four at a time and in ranges on the threads; the answer does not depend on the split.
#pragma once
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>

#include "parallel.hpp"
#include "types.hpp"

namespace spiketail {

constexpr std::ptrdiff_t k_elementwise_parallel_min = std::ptrdiff_t{1} << 16;
// Entries per range (128 KB of floats): enough ranges for the threads to share, few enough to hand out cheaply.
constexpr std::ptrdiff_t k_elementwise_range = std::ptrdiff_t{1} << 15;

// count items of per_item entries each (e.g. columns of a matrix).
template <typename Range>
void for_each_range(std::ptrdiff_t count, std::ptrdiff_t per_item, Range&& range) {
    if (count <= 0) return;
    const std::ptrdiff_t items = std::max<std::ptrdiff_t>(1, k_elementwise_range / std::max<std::ptrdiff_t>(per_item, 1));
    const std::ptrdiff_t ranges = (count + items - 1) / items;
    for_each_block(
        static_cast<int>(ranges),
        [&](int r) {
            const std::ptrdiff_t begin = r * items;
            range(begin, std::min(count, begin + items));
        },
        count * per_item >= k_elementwise_parallel_min);
}

namespace detail {
// Whether x[0, n) is finite: a float is not when its 8 exponent bits are all set.
inline bool all_finite_serial(const float* x, std::ptrdiff_t n) {
    typedef int v4i __attribute__((vector_size(16)));
    typedef int v4i_unaligned __attribute__((vector_size(16), aligned(4), may_alias));
    const v4i exponent = {0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000};
    v4i bad = {0, 0, 0, 0};
    std::ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) bad |= (*reinterpret_cast<const v4i_unaligned*>(x + i) & exponent) == exponent;
    bool finite = (bad[0] | bad[1] | bad[2] | bad[3]) == 0;
    for (; i < n; ++i) finite = finite && std::isfinite(x[i]);
    return finite;
}
}  // namespace detail

inline bool all_finite(const float* x, std::ptrdiff_t n) {
    std::atomic<bool> finite{true};
    for_each_range(n, 1, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        if (!detail::all_finite_serial(x + begin, end - begin)) finite.store(false, std::memory_order_relaxed);
    });
    return finite.load();
}

inline bool all_finite(const MatrixF& m) { return all_finite(m.data(), m.size()); }

}  // namespace spiketail
