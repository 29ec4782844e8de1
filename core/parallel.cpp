// The thread pool behind for_each_block in the threaded wasm build (see parallel.hpp); natively OpenMP's count.
//
// The pool's threads are started at the first parallel call (Emscripten takes them from the Web Workers it
// created with the module, PTHREAD_POOL_SIZE) and then wait on a condition variable between calls; a call
// publishes its job, every thread (the caller included) takes the next block until none is left, and the call
// returns when the last thread has finished its block.
#include "parallel.hpp"

#include <algorithm>

#if defined(__EMSCRIPTEN_PTHREADS__)
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#elif defined(_OPENMP)
#include <omp.h>
#endif

namespace spiketail {

#if defined(__EMSCRIPTEN_PTHREADS__)

namespace {

// Spins of a thread that waits before it sleeps (each an atomic load, a few microseconds in all): enough to
// catch the next call of a loop that calls in back to back, short enough not to burn a shared core.
constexpr int k_spin = 1 << 10;

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

    void run(int blocks, void (*run)(void*, int), void* context) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_run = run;
            m_context = context;
            m_blocks = blocks;
            m_next.store(0, std::memory_order_relaxed);
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
        for (int b = m_next.fetch_add(1); b < m_blocks; b = m_next.fetch_add(1)) m_run(m_context, b);
        t_inside = false;
    }

    // seen: the last job this thread has taken part in (the current one when it starts).
    void work(unsigned long seen) {
        for (;;) {
            // A short spin first: the ESD's reduction calls in once per column, and waking a thread that sleeps
            // (a futex, Atomics.wait in wasm) costs as much as a small block.
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
    int m_blocks = 0;
    std::atomic<int> m_next{0};
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

namespace detail {
void run_blocks(int blocks, void (*run)(void*, int), void* context) {
    if (g_threads <= 1 || Pool::t_inside) {
        for (int b = 0; b < blocks; ++b) run(context, b);
        return;
    }
    Pool& p = pool();
    if (p.threads() != g_threads) p.resize(g_threads - 1);
    p.run(blocks, run, context);
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

namespace detail {
void run_blocks(int blocks, void (*run)(void*, int), void* context) {
    for (int b = 0; b < blocks; ++b) run(context, b);
}
}  // namespace detail

#endif

}  // namespace spiketail
