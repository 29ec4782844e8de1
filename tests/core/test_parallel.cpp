// for_each_phased_block (core/parallel.hpp): every block runs once, and a phase starts only when the phase
// before it has finished, on 1, 2 and 3 OpenMP threads (the threaded wasm pool runs the same take loop:
// tests/wasm/threads.test.mjs checks its results bit for bit).
#include <catch2/catch.hpp>
#include <omp.h>

#include <atomic>
#include <vector>

#include "parallel.hpp"

using namespace spiketail;

TEST_CASE("phased blocks: each runs once, after every block of the phases before it", "[parallel]") {
    const int counts[] = {1, 7, 0, 3, 1, 5};  // a serial phase, an empty one, and parallel ones between
    int total = 0;
    for (int c : counts) total += c;
    const int saved = omp_get_max_threads();
    for (int threads : {1, 2, 3}) {
        omp_set_num_threads(threads);
        for (bool parallel : {true, false}) {
            std::vector<std::atomic<int>> runs(total);
            std::vector<std::atomic<int>> done(std::size(counts));
            std::atomic<int> early{0};
            for_each_phased_block(counts, [&](int phase, int i) {
                int first = 0;
                for (int k = 0; k < phase; ++k) {
                    if (done[k].load() != counts[k]) ++early;  // a block of an earlier phase still running
                    first += counts[k];
                }
                ++runs[first + i];
                ++done[phase];
            }, parallel);
            INFO("threads " << threads << (parallel ? ", parallel" : ", serial"));
            CHECK(early.load() == 0);
            for (int b = 0; b < total; ++b) CHECK(runs[b].load() == 1);
        }
    }
    omp_set_num_threads(saved);
}
