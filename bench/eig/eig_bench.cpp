// The ESD's eigenvalues (issue 11, item 6) timed natively and in wasm from one source, for bench/run.mjs:
// the smaller Gram of a rows x cols float matrix and all its eigenvalues, no vectors.
//   impl 0 (ours):   esd_eigenvalues — the float Gram (gemm.hpp), the blocked float reduction
//                    (tridiagonalize.hpp) and QL on T in double
//   impl 1 (former): the float Gram widened to double and Eigen's SelfAdjointEigenSolver (EigenvaluesOnly),
//                    what esd_eigenvalues ran before
// Native (build-bench/eig-bench, linked against the CLI's libcore.a, OpenMP):
//   eig-bench impl reps rows cols [rows cols ...]  ->  one JSON object per shape and line on stdout:
//   {"rows", "cols", "threads", "median", "samples", "lambda_max"} (seconds; a warm-up call first)
// Wasm (build-bench/eig-bench.cjs, linked against build-wasm's libcore.a): eig_bench_setup(rows, cols) then
// eig_bench_run(impl) -> lambda_max, timed by the caller.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <Eigen/Eigenvalues>

#include "gemm.hpp"
#include "spectrum.hpp"

using spiketail::MatrixD;
using spiketail::MatrixF;

namespace {

MatrixF g_w;

// Uniform entries in [-1, 1) from xorshift (as bench/gemm): the cost does not depend on the distribution.
void fill(MatrixF& M, std::uint32_t seed) {
    std::uint32_t s = seed * 2654435761u + 1u;
    for (Eigen::Index i = 0; i < M.size(); ++i) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        M.data()[i] = static_cast<float>(s) * (2.0f / 4294967296.0f) - 1.0f;
    }
}

double run(int impl) {
    if (impl == 0) return spiketail::esd_eigenvalues(g_w).back();
    MatrixF gram;
    if (g_w.rows() >= g_w.cols())
        spiketail::product_tn_self(g_w, 1.0f, gram);
    else
        spiketail::product_nt(g_w, g_w, 1.0f, gram);  // as esd_eigenvalues did
    const Eigen::SelfAdjointEigenSolver<MatrixD> solver(gram.cast<double>(), Eigen::EigenvaluesOnly);
    return solver.eigenvalues().maxCoeff();
}

}  // namespace

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

extern "C" {
EMSCRIPTEN_KEEPALIVE void eig_bench_setup(int rows, int cols) {
    g_w.resize(rows, cols);
    fill(g_w, static_cast<std::uint32_t>(rows * 31 + cols));
}
EMSCRIPTEN_KEEPALIVE double eig_bench_run(int impl) { return run(impl); }
}

#else
#include <omp.h>

int main(int argc, char** argv) {
    if (argc < 5 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: eig-bench impl reps rows cols [rows cols ...]\n");
        return 2;
    }
    const int impl = std::atoi(argv[1]), reps = std::max(1, std::atoi(argv[2]));
    for (int a = 3; a + 1 < argc; a += 2) {
        const int rows = std::atoi(argv[a]), cols = std::atoi(argv[a + 1]);
        g_w.resize(rows, cols);
        fill(g_w, static_cast<std::uint32_t>(rows * 31 + cols));
        double lambda_max = run(impl);  // warm-up
        std::vector<double> t;
        for (int r = 0; r < reps; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            lambda_max = run(impl);
            t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        std::vector<double> s = t;
        std::sort(s.begin(), s.end());
        const double median = s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
        std::printf("{\"rows\":%d,\"cols\":%d,\"threads\":%d,\"median\":%.6f,\"lambda_max\":%.9g,\"samples\":[", rows,
                    cols, omp_get_max_threads(), median, lambda_max);
        for (std::size_t i = 0; i < t.size(); ++i) std::printf("%s%.6f", i ? "," : "", t[i]);
        std::printf("]}\n");
        std::fflush(stdout);
    }
    return 0;
}
#endif
