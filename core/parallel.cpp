// The thread pool behind for_each_block in the threaded wasm build (see parallel.hpp); natively OpenMP's count.
//
// The pool's threads are started at the first parallel call (Emscripten takes them from the Web Workers it
// created with the module, PTHREAD_POOL_SIZE) and then wait on a condition variable between calls; a call
// publishes its job, every thread (the caller included) takes the next block until none is left, and the call
// returns when the last thread has finished its block.
#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#if defined(__EMSCRIPTEN_PTHREADS__)
#include <condition_variable>
#include <mutex>
#include <vector>
#elif defined(_OPENMP)
#include <omp.h>
#include <strings.h>  // strcasecmp

#include <cstdlib>
#endif

namespace spiketail {

namespace {

#if defined(__EMSCRIPTEN_PTHREADS__) || defined(_OPENMP)
// Takes blocks in order until none is left; a block waits (spinning) until every block of the phases before its
// own has finished. Blocks are taken in order, so those it waits for are all running: no deadlock.
void take_phased(std::atomic<int>& next, std::atomic<int>& completed, int phases, const int* ends,
                 void (*run)(void*, int), void* context) {
    const int total = ends[phases - 1];
    int k = 0;
    for (int b = next.fetch_add(1, std::memory_order_relaxed); b < total; b = next.fetch_add(1, std::memory_order_relaxed)) {
        while (b >= ends[k]) ++k;
        const int start = k > 0 ? ends[k - 1] : 0;
        while (completed.load(std::memory_order_acquire) < start) {
#if !defined(__EMSCRIPTEN__)
            std::this_thread::yield();  // natively there may be more threads than cores (OMP_NUM_THREADS)
#endif
        }
        run(context, b);
        completed.fetch_add(1, std::memory_order_release);
    }
}

#endif

void run_serially(int phases, const int* ends, void (*run)(void*, int), void* context) {
    for (int b = 0; b < ends[phases - 1]; ++b) run(context, b);
}

}  // namespace

#if defined(__EMSCRIPTEN_PTHREADS__)

namespace {

// Spins of a thread that waits before it sleeps (each an atomic load; ≈ 0.1 ms in all): the ESD's reduction
// calls in once per column with ≈ 20-50 µs of work of its own between calls, and a thread that went to sleep
// (a futex, Atomics.wait in wasm) takes longer to wake than such a gap.
constexpr int k_spin = 1 << 17;

class Pool {
public:
    ~Pool() { resize(0); }

    int threads() const { return int(m_workers.size()) + 1; }

    // helpers: the threads besides the caller.
    void resize(int helpers) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (std::thread& t : m_workers) t.join();
        m_workers.clear();
        m_stop = false;
        const unsigned long now = m_generation.load();
        for (int i = 0; i < helpers; ++i) m_workers.emplace_back([this, now] { work(now); });
    }

    void run(int phases, const int* ends, void (*run)(void*, int), void* context) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_run = run;
            m_context = context;
            m_phases = phases;
            m_ends = ends;
            m_next.store(0, std::memory_order_relaxed);
            m_completed.store(0, std::memory_order_relaxed);
            m_busy.store(int(m_workers.size()), std::memory_order_relaxed);
            m_generation.fetch_add(1, std::memory_order_release);
        }
        m_wake.notify_all();
        take_blocks();
        for (int spin = 0; spin < k_spin && m_busy.load(std::memory_order_acquire) != 0; ++spin) {
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        m_done.wait(lock, [this] { return m_busy.load(std::memory_order_acquire) == 0; });
    }

private:
    void take_blocks() {
        t_inside = true;
        take_phased(m_next, m_completed, m_phases, m_ends, m_run, m_context);
        t_inside = false;
    }

    // seen: the last job this thread has taken part in (the current one when it starts).
    void work(unsigned long seen) {
        for (;;) {
            for (int spin = 0; spin < k_spin && m_generation.load(std::memory_order_acquire) == seen; ++spin) {
            }
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stop || m_generation.load(std::memory_order_acquire) != seen; });
                if (m_stop) return;
                seen = m_generation.load(std::memory_order_acquire);
            }
            take_blocks();
            if (m_busy.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                std::lock_guard<std::mutex> lock(m_mutex);  // the caller is either before its check or waiting
                m_done.notify_one();
            }
        }
    }

public:
    static thread_local bool t_inside;  // this thread is running a block: a nested call runs serially

private:
    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    bool m_stop = false;
    std::atomic<unsigned long> m_generation{0};
    std::atomic<int> m_busy{0};
    void (*m_run)(void*, int) = nullptr;
    void* m_context = nullptr;
    int m_phases = 0;
    const int* m_ends = nullptr;
    std::atomic<int> m_next{0};
    std::atomic<int> m_completed{0};
};

thread_local bool Pool::t_inside = false;

Pool& pool() {
    static Pool p;
    return p;
}

int g_threads = 1;

}  // namespace

int thread_count() { return g_threads; }

int set_thread_count(int threads) {
    g_threads = std::clamp(threads, 1, k_max_threads);
    return g_threads;
}

bool threads_stay_awake() { return g_threads > 1; }

namespace detail {
void run_blocks(int phases, const int* ends, void (*run)(void*, int), void* context, bool parallel) {
    if (!parallel || g_threads <= 1 || Pool::t_inside || ends[phases - 1] <= 1) {
        run_serially(phases, ends, run, context);
        return;
    }
    Pool& p = pool();
    if (p.threads() != g_threads) p.resize(g_threads - 1);
    p.run(phases, ends, run, context);
}
}  // namespace detail

#else

int thread_count() {
#if defined(_OPENMP)
    return omp_get_max_threads();
#else
    return 1;
#endif
}

int set_thread_count(int) { return thread_count(); }

bool threads_stay_awake() {
#if defined(_OPENMP)
    const char* policy = std::getenv("OMP_WAIT_POLICY");
    return omp_get_max_threads() > 1 && (policy == nullptr || strcasecmp(policy, "passive") != 0);
#else
    return false;
#endif
}

namespace detail {
void run_blocks(int phases, const int* ends, void (*run)(void*, int), void* context, bool parallel) {
#if defined(_OPENMP)
    if (parallel && ends[phases - 1] > 1 && omp_get_max_threads() > 1 && !omp_in_parallel()) {
        std::atomic<int> next{0}, completed{0};
#pragma omp parallel
        take_phased(next, completed, phases, ends, run, context);
        return;
    }
#else
    (void)parallel;
#endif
    run_serially(phases, ends, run, context);
}
}  // namespace detail

#endif

}  // namespace spiketail
