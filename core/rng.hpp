// Deterministic random numbers, identical natively and in WebAssembly.
//
// Generator: xoshiro256** (Blackman & Vigna), state seeded by SplitMix64.
// Gaussian:  Marsaglia's polar method (needs only log and sqrt, both of which
//            agree between glibc and musl for the inputs used here).
// Streams:   every random array of a run comes from its own stream, keyed by
//            (seed, repeat, purpose), so any run of a sweep can be recreated
//            from its config alone, in any order, in any process.
// Method: docs/method.md §9.
#pragma once
#include <cstdint>

namespace spiketail {

enum class Stream : std::uint64_t {
    teacher = 1,
    train_x,
    train_noise,
    probe_x,
    probe_noise,
    test_x,
    test_noise,
    init_w,
    init_a,
};

class Rng {
public:
    explicit Rng(std::uint64_t seed);
    static Rng for_stream(std::uint64_t seed, std::uint64_t repeat, Stream purpose);

    std::uint64_t next_u64();
    double uniform();   // in [0, 1), 53 random bits
    double gaussian();  // N(0, 1)

private:
    std::uint64_t m_state[4];
    bool m_has_spare = false;
    double m_spare = 0.0;
};

}  // namespace spiketail
