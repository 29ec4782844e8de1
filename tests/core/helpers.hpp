// Small shared helpers for the core tests: random matrices from our own Rng (so every test is deterministic
// and platform-independent), FNV-1a hashing for the determinism tests, and float rounding constants.
#pragma once
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "config.hpp"
#include "rng.hpp"
#include "spectrum.hpp"

namespace spiketail::test {

// Unit roundoff of float32 (half an ulp of 1): the scale of every rounding error in the float kernels.
constexpr double k_float_u = std::numeric_limits<float>::epsilon() / 2;

// The same closed form evaluated in double by two routes (another order, pow versus products): each side carries
// a few ulps (~1e-16 each); 1e-12 relative is far above that and far below any formula error.
constexpr double k_same_formula_rel_tol = 1e-12;

// gamma_k = k u / (1 - k u): Higham's bound on the relative error of a k-term float dot product,
// |fl(x.y) - x.y| <= gamma_k |x|.|y|, whatever the summation order (blocked, FMA or not).
inline double gamma_float(double k) { return k * k_float_u / (1.0 - k * k_float_u); }

inline MatrixD gaussian_matrix(int rows, int cols, std::uint64_t seed, double scale = 1.0) {
    Rng rng(seed);
    MatrixD M(rows, cols);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) M(i, j) = scale * rng.gaussian();
    return M;
}

inline MatrixF gaussian_matrix_f(int rows, int cols, std::uint64_t seed, double scale = 1.0) {
    return gaussian_matrix(rows, cols, seed, scale).cast<float>();
}

// A small config for tests: every size tiny, everything else the study's defaults.
inline Config small_config(int n = 60, int d = 20, int h = 30) {
    Config c;
    c.n = n;
    c.n_test = n / 2;
    c.d = d;
    c.h = h;
    c.num_steps = 5;
    c.seed = 7;
    return c;
}

// FNV-1a 64-bit over raw bytes, chained through `hash`.
inline std::uint64_t fnv1a(const void* data, std::size_t bytes, std::uint64_t hash = 0xcbf29ce484222325ULL) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) {
        hash ^= p[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

inline std::uint64_t fnv1a(const MatrixF& M, std::uint64_t hash = 0xcbf29ce484222325ULL) {
    return fnv1a(M.data(), sizeof(float) * static_cast<std::size_t>(M.size()), hash);
}

inline std::uint64_t fnv1a(const std::vector<double>& v, std::uint64_t hash = 0xcbf29ce484222325ULL) {
    return fnv1a(v.data(), sizeof(double) * v.size(), hash);
}

// One line per measured error on stdout, so a plain run of the tests shows every error next to its tolerance.
inline void print_error(const std::string& what, double error, double tol) {
    std::printf("  %-66s error %-11.3g tol %.3g\n", what.c_str(), error, tol);
    std::fflush(stdout);
}

}  // namespace spiketail::test

// Prints a measured error and its tolerance, then checks error <= tol (a NaN error fails).
#define CHECK_ERROR(what, error, tol)                                                              \
    do {                                                                                           \
        const double check_error_e = (error), check_error_t = (tol);                               \
        std::ostringstream check_error_what;                                                       \
        check_error_what << what;                                                                  \
        ::spiketail::test::print_error(check_error_what.str(), check_error_e, check_error_t);      \
        INFO(check_error_what.str() << ": error " << check_error_e << ", tol " << check_error_t);   \
        CHECK(check_error_e <= check_error_t);                                                     \
    } while (0)
