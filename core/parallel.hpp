// Fixed blocks on the available threads: for_each_block(B, f) calls f(0) .. f(B-1), each exactly once, and
// returns when all have run. The caller cuts its work into blocks whose number and edges do not depend on the
// thread count, and every block writes its own part of the result, so a threaded product sums every entry as
// the serial one does: results are bit-identical whatever the number of threads (docs/method.md §9).
//
//   native                       an OpenMP team (parallel.cpp): a descheduled thread delays one block only
//   wasm with pthreads           a persistent pool of std::threads (parallel.cpp), the calling thread one of them
//   wasm without, fuzz builds    one block after the other
//
// Either way one loop (parallel.cpp, take_phased) hands the blocks out one at a time in order, so the calling
// thread takes part and a block never waits for a thread to wake if another is free. A call from inside a block
// runs its blocks serially (no nesting).
#pragma once

#include <type_traits>

namespace spiketail {

// The most threads the wasm build uses (the page asks for navigator.hardwareConcurrency, capped here): the
// products of a study-scale step have 4-8 column blocks of 256, so more threads would mostly wait.
constexpr int k_max_threads = 8;

// The threads for_each_block may use: natively OpenMP's (OMP_NUM_THREADS), in the threaded wasm build what
// set_thread_count chose (1 until then), otherwise 1.
int thread_count();
// The threaded wasm build's thread count, clamped to [1, k_max_threads] and returned; natively and in the
// single-thread build it changes nothing and returns thread_count().
int set_thread_count(int threads);

// Whether the other threads stay awake between calls of for_each_block, so that a call costs ≈ 1 µs rather than
// a wake-up (≈ 20 µs): in the threaded wasm build always (its pool spins ≈ 0.1 ms before sleeping); natively
// unless OMP_WAIT_POLICY is passive (the CLI's setting, cli/wait_policy.cpp: a sweep's idle threads must not
// spin); serially never. For loops whose calls are only worth it when cheap (the QL's pairs of sweeps, sterf.cpp).
bool threads_stay_awake();

namespace detail {
// The pool's entry (parallel.cpp): run(context, b) for b = 0 .. ends[phases-1]-1, in phases: block b of phase k
// (ends[k-1] <= b < ends[k]) starts when every block of the phases before it has finished.
void run_blocks(int phases, const int* ends, void (*run)(void*, int), void* context, bool parallel);
}  // namespace detail

template <typename Block>
void for_each_block(int blocks, Block&& block, bool parallel = true) {
    using B = std::remove_reference_t<Block>;
    detail::run_blocks(1, &blocks, [](void* context, int b) { (*static_cast<B*>(context))(b); }, &block, parallel);
}

// Phases of fixed blocks in one call: block(k, i) for i = 0 .. counts[k]-1 of phase k = 0 .. Phases-1, and
// phase k starts when all of phase k-1 has finished (a barrier, without leaving the call: threads that wait spin).
// A phase of one block is a serial step between parallel ones. For loops that would otherwise call
// for_each_block several times per iteration (the reduction's columns): one hand-off instead of several.
// Serially the blocks run in the same order, so the results are the same either way.
template <int Phases, typename Block>
void for_each_phased_block(const int (&counts)[Phases], Block&& block, bool parallel = true) {
    struct Context {
        Block* block;
        int ends[Phases];
    } context{&block, {}};
    for (int k = 0, end = 0; k < Phases; ++k) context.ends[k] = end += counts[k];
    detail::run_blocks(
        Phases, context.ends,
        [](void* c, int b) {
            const Context& ctx = *static_cast<Context*>(c);
            int k = 0;
            while (b >= ctx.ends[k]) ++k;
            (*ctx.block)(k, b - (k > 0 ? ctx.ends[k - 1] : 0));
        },
        &context, parallel);
}

}  // namespace spiketail
