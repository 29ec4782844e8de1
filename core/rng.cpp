#include "rng.hpp"

#include <cmath>

namespace spiketail {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& s : m_state) s = splitmix64(x);
}

Rng Rng::for_stream(std::uint64_t seed, std::uint64_t repeat, Stream purpose) {
    // Mix the three keys through SplitMix64 so that neighbouring keys give unrelated streams.
    std::uint64_t x = seed;
    std::uint64_t key = splitmix64(x);
    x = key ^ (repeat * 0xD1B54A32D192ED03ULL);
    key = splitmix64(x);
    x = key ^ (static_cast<std::uint64_t>(purpose) * 0xABC98388FB8FAC03ULL);
    return Rng(splitmix64(x));
}

std::uint64_t Rng::next_u64() {
    std::uint64_t* s = m_state;
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

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::gaussian() {
    if (m_has_spare) {
        m_has_spare = false;
        return m_spare;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    m_spare = v * f;
    m_has_spare = true;
    return u * f;
}

}  // namespace spiketail
