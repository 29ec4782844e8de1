// all_finite (core/elementwise.hpp): a NaN or an infinity anywhere — in the four-at-a-time part, in the tail
// past the last multiple of 4, in a range of its own on another thread — is found; the largest finite floats,
// subnormals and -0 are finite; on 1, 2 and 3 OpenMP threads.
#include <catch2/catch.hpp>
#include <omp.h>

#include <limits>
#include <vector>

#include "elementwise.hpp"

using namespace spiketail;

TEST_CASE("all_finite finds a NaN or an infinity wherever it is", "[elementwise]") {
    using limits = std::numeric_limits<float>;
    const float bad_values[] = {limits::quiet_NaN(), -limits::quiet_NaN(), limits::infinity(), -limits::infinity()};
    const int saved = omp_get_max_threads();
    for (int threads : {1, 2, 3}) {
        omp_set_num_threads(threads);
        // Lengths around a multiple of 4, and one of several parallel ranges (k_elementwise_range entries each).
        for (std::ptrdiff_t n : {std::ptrdiff_t{1}, std::ptrdiff_t{3}, std::ptrdiff_t{4}, std::ptrdiff_t{7},
                                 std::ptrdiff_t{9}, 5 * k_elementwise_range + 3}) {
            std::vector<float> x(static_cast<std::size_t>(n), 1.0f);
            x[0] = limits::max();
            if (n > 1) x[1] = -limits::denorm_min();
            if (n > 2) x[2] = -0.0f;
            if (n > 3) x[n - 1] = -limits::max();
            CHECK(all_finite(x.data(), n));
            for (std::ptrdiff_t at : {std::ptrdiff_t{0}, n / 2, n - 1, n - 3}) {
                if (at < 0) continue;
                for (float bad : bad_values) {
                    const float kept = x[static_cast<std::size_t>(at)];
                    x[static_cast<std::size_t>(at)] = bad;
                    INFO(threads << " threads, n = " << n << ", entry " << at << " = " << bad);
                    CHECK_FALSE(all_finite(x.data(), n));
                    x[static_cast<std::size_t>(at)] = kept;
                }
            }
        }
    }
    omp_set_num_threads(saved);
    CHECK(all_finite(MatrixF::Zero(3, 5)));
    CHECK(all_finite(nullptr, 0));
}
