// The native side of bench/run.mjs: our core's training step and ESD, timed in-process, linked against
// the same libcore.a as the CLI (same flags: -O3 -march=native, Eigen threaded by OpenMP).
//   native_bench n d h reps   ->  one JSON object on stdout, seconds:
//   {"threads": T, "step": {"median", "samples"}, "esd": {...}, "probe": {...}}
// step: Session::step(1) at lr 1e-3 (finite at every scale); esd: analyze_spectrum of a Gaussian h x d
// matrix (Gram W^T W in double + eigenvalues + power-law fits), what the wasm module's analyzeMatrix runs;
// probe: Session::probe() (ridge refit, losses, KTA, spectrum, singular vectors), without the update analysis.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "rng.hpp"
#include "session.hpp"
#include "spectrum.hpp"

using namespace spiketail;

namespace {

std::string timed(const std::function<void()>& fn, int reps) {
    fn();  // warm-up
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::vector<double> s = t;
    std::sort(s.begin(), s.end());
    const double median = s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
    std::string out = "{\"median\":" + std::to_string(median) + ",\"samples\":[";
    for (std::size_t i = 0; i < t.size(); ++i) out += (i ? "," : "") + std::to_string(t[i]);
    return out + "]}";
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
    const int reps = std::max(1, std::atoi(argv[4]));
    c.lr = 1e-3;
    c.num_steps = 1 << 20;
    c.probe_update = false;
    c.top_k = std::min(c.top_k, std::min(c.h, c.d));

    Session session(c);
    int taken = 0;
    const std::string step = timed([&] { taken += session.step(1); }, reps);
    if (taken != reps + 1) {
        std::fprintf(stderr, "native_bench: a step was not taken (%s)\n", session.message().c_str());
        return 1;
    }
    const std::string probe = timed([&] { session.probe(); }, std::max(1, reps / 3));
    Rng rng(12345);
    MatrixF W(c.h, c.d);
    for (Eigen::Index i = 0; i < W.size(); ++i) W.data()[i] = static_cast<float>(rng.gaussian());
    const std::string esd = timed([&] { analyze_spectrum(W, 0.0); }, reps);
    std::printf("{\"threads\":%d,\"step\":%s,\"esd\":%s,\"probe\":%s}\n", omp_get_max_threads(), step.c_str(),
                esd.c_str(), probe.c_str());
    return 0;
}
