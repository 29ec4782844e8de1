// The native side of bench/run.mjs: our core's training step and ESD, timed in-process, linked against
// the same libcore.a as the CLI (same flags: -O3 -march=native, fixed column blocks on OpenMP threads, each
// block OpenBLAS's or Eigen's single-threaded product: core/block_blas.hpp).
//   native_bench n d h reps   ->  one JSON object on stdout, seconds (reps 0: threads, blas and digest only):
//   {"threads": T, "blas": "...", "step": {"median", "samples", "cpu"}, "esd": {...}, "probe": {...},
//    "digest": {"weights", "eigenvalues"}}
// cpu: the process's CPU seconds (all threads) of each sample, which a loaded machine inflates less than wall
// time. digest: FNV-1a of the bytes of W after two steps of a fresh session and of the ESD's eigenvalues, for
// run.mjs to compare across thread counts (they must be bit-identical).
// step: Session::step(1) at lr 1e-3 (finite at every scale); esd: analyze_spectrum of a Gaussian h x d
// matrix (Gram W^T W in double + eigenvalues + power-law fits), what the wasm module's analyzeMatrix runs;
// probe: Session::probe() (ridge refit, losses, KTA, spectrum, singular vectors), without the update analysis.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "block_blas.hpp"
#include "rng.hpp"
#include "session.hpp"
#include "spectrum.hpp"

using namespace spiketail;

namespace {

double cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::string list(const std::vector<double>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
    return out + "]";
}

std::uint64_t fnv1a(const void* data, std::size_t bytes) {
    std::uint64_t h = 1469598103934665603ull;
    for (std::size_t i = 0; i < bytes; ++i) h = (h ^ static_cast<const unsigned char*>(data)[i]) * 1099511628211ull;
    return h;
}

std::string timed(const std::function<void()>& fn, int reps) {
    fn();  // warm-up
    std::vector<double> t, cpu;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_seconds();
        fn();
        cpu.push_back(cpu_seconds() - c0);
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::vector<double> s = t;
    std::sort(s.begin(), s.end());
    const double median = s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
    return "{\"median\":" + std::to_string(median) + ",\"samples\":" + list(t) + ",\"cpu\":" + list(cpu) + "}";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: native_bench n d h reps\n");
        return 2;
    }
    Config c;
    c.n = std::atoi(argv[1]);
    c.d = std::atoi(argv[2]);
    c.h = std::atoi(argv[3]);
    const int reps = std::max(0, std::atoi(argv[4]));  // 0: only the digest
    c.lr = 1e-3;
    c.num_steps = 1 << 20;
    c.probe_update = false;
    c.top_k = std::min(c.top_k, std::min(c.h, c.d));

    Rng rng(12345);
    MatrixF W(c.h, c.d);
    for (Eigen::Index i = 0; i < W.size(); ++i) W.data()[i] = static_cast<float>(rng.gaussian());
    Session fresh(c);
    fresh.step(2);
    const MatrixF& W2 = fresh.student().W;
    const std::vector<double> eigenvalues = esd_eigenvalues(W);
    char digest[160];
    std::snprintf(digest, sizeof digest, "{\"weights\":\"%016llx\",\"eigenvalues\":\"%016llx\"}",
                  static_cast<unsigned long long>(fnv1a(W2.data(), sizeof(float) * W2.size())),
                  static_cast<unsigned long long>(fnv1a(eigenvalues.data(), sizeof(double) * eigenvalues.size())));
    if (reps == 0) {
        std::printf("{\"threads\":%d,\"blas\":\"%s\",\"digest\":%s}\n", omp_get_max_threads(), block_blas_name(), digest);
        return 0;
    }

    Session session(c);
    int taken = 0;
    const std::string step = timed([&] { taken += session.step(1); }, reps);
    if (taken != reps + 1) {
        std::fprintf(stderr, "native_bench: a step was not taken (%s)\n", session.message().c_str());
        return 1;
    }
    const std::string probe = timed([&] { session.probe(); }, std::max(1, reps / 3));
    const std::string esd = timed([&] { analyze_spectrum(W, 0.0); }, reps);
    std::printf("{\"threads\":%d,\"blas\":\"%s\",\"step\":%s,\"esd\":%s,\"probe\":%s,"
                "\"digest\":%s}\n",
                omp_get_max_threads(), block_blas_name(), step.c_str(), esd.c_str(), probe.c_str(), digest);
    return 0;
}
