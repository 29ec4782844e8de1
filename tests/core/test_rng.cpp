// Rng: xoshiro256** seeded by SplitMix64 (rng.hpp), checked against the published algorithms written out
// here from Vigna's reference C, and its uniform and Gaussian samplers against their exact moments.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>

#include "rng.hpp"

using namespace spiketail;

namespace {

// Reference SplitMix64 and xoshiro256** (prng.di.unimi.it), kept naive and separate from core/rng.cpp.
struct ReferenceXoshiro {
    std::uint64_t s[4];
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    explicit ReferenceXoshiro(std::uint64_t seed) {
        for (auto& w : s) w = splitmix(seed);
    }
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
        const std::uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
};

}  // namespace

TEST_CASE("rng: the reference SplitMix64 reproduces its published first output", "[rng]") {
    // SplitMix64 seeded with 0 starts 0xe220a8397b1dcdaf (Vigna's splitmix64.c test vector): anchors the
    // reference above to the published algorithm rather than to a run of our own code.
    std::uint64_t x = 0;
    CHECK(ReferenceXoshiro::splitmix(x) == 0xe220a8397b1dcdafULL);
    CHECK(ReferenceXoshiro::splitmix(x) == 0x6e789e6aa1b965f4ULL);
}

TEST_CASE("rng: next_u64 is xoshiro256** seeded by SplitMix64", "[rng]") {
    for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xffffffffffffffffULL}) {
        Rng rng(seed);
        ReferenceXoshiro ref(seed);
        int mismatches = 0;
        for (int i = 0; i < 1000; ++i) mismatches += rng.next_u64() != ref.next();
        INFO("seed " << seed << ": " << mismatches << " of 1000 outputs differ from the reference");
        CHECK(mismatches == 0);
    }
}

TEST_CASE("rng: streams are reproducible and distinct", "[rng]") {
    const auto first = [](Rng r) { return r.next_u64(); };
    CHECK(first(Rng::for_stream(3, 1, Stream::train_x)) == first(Rng::for_stream(3, 1, Stream::train_x)));
    CHECK(first(Rng::for_stream(3, 1, Stream::train_x)) != first(Rng::for_stream(3, 2, Stream::train_x)));
    CHECK(first(Rng::for_stream(3, 1, Stream::train_x)) != first(Rng::for_stream(4, 1, Stream::train_x)));
    CHECK(first(Rng::for_stream(3, 1, Stream::train_x)) != first(Rng::for_stream(3, 1, Stream::probe_x)));
    // Swapping seed and repeat must not give the same stream (the keys are mixed, not added).
    CHECK(first(Rng::for_stream(1, 2, Stream::init_w)) != first(Rng::for_stream(2, 1, Stream::init_w)));
}

TEST_CASE("rng: uniform and gaussian have the moments of U[0,1) and N(0,1)", "[rng]") {
    // Sample means of N draws have standard error sd/sqrt(N); 5 standard errors is a false-alarm rate of
    // 6e-7 per check, and the seed is fixed, so a failure means a wrong sampler, not bad luck.
    constexpr int samples = 200000;
    constexpr double k_sigmas = 5.0;
    Rng rng(2024);
    double u_sum = 0, u_min = 1, u_max = 0;
    for (int i = 0; i < samples; ++i) {
        const double u = rng.uniform();
        u_sum += u;
        u_min = std::min(u_min, u);
        u_max = std::max(u_max, u);
    }
    const double u_mean = u_sum / samples;
    const double u_tol = k_sigmas * std::sqrt(1.0 / 12.0 / samples);
    INFO("uniform: mean " << u_mean << " (|error| " << std::abs(u_mean - 0.5) << ", tol " << u_tol << "), min "
                          << u_min << ", max " << u_max);
    CHECK(std::abs(u_mean - 0.5) <= u_tol);
    CHECK(u_min >= 0.0);
    CHECK(u_max < 1.0);

    double m1 = 0, m2 = 0, m4 = 0;
    for (int i = 0; i < samples; ++i) {
        const double g = rng.gaussian();
        m1 += g;
        m2 += g * g;
        m4 += g * g * g * g;
    }
    m1 /= samples, m2 /= samples, m4 /= samples;
    // Standard errors: mean 1/sqrt(N); E g^2 = 1 with var 2; E g^4 = 3 with var 105 - 9 = 96.
    const double tol1 = k_sigmas / std::sqrt(samples), tol2 = k_sigmas * std::sqrt(2.0 / samples),
                 tol4 = k_sigmas * std::sqrt(96.0 / samples);
    INFO("gaussian: mean " << m1 << " (tol " << tol1 << "), E g^2 " << m2 << " (tol " << tol2 << "), E g^4 " << m4
                           << " (tol " << tol4 << ")");
    CHECK(std::abs(m1) <= tol1);
    CHECK(std::abs(m2 - 1.0) <= tol2);
    CHECK(std::abs(m4 - 3.0) <= tol4);
}
