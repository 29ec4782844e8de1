// Elementwise loops over large arrays (the activation, dL/dZ, the optimisers' updates) on the available threads:
// for_each_range(count, per_item, f) calls f(begin, end) on consecutive ranges of [0, count) that together cover it
// once, through for_each_block (parallel.hpp), and serially when count * per_item < k_elementwise_parallel_min
// entries, where waking the threads costs more than the loop. Every entry depends only on its own inputs, so any
// split gives the same bits whatever the number of threads (docs/method.md §9).
#pragma once
#include <algorithm>
#include <cstddef>

#include "parallel.hpp"

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

}  // namespace spiketail
