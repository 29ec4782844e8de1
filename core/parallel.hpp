// Fixed blocks on the available threads: for_each_block(B, f) calls f(0) .. f(B-1), each exactly once, and
// returns when all have run. The caller cuts its work into blocks whose number and edges do not depend on the
// thread count, and every block writes its own part of the result, so a threaded product sums every entry as
// the serial one does: results are bit-identical whatever the number of threads (docs/method.md §9).
//
//   native                       OpenMP, schedule(dynamic, 1): a descheduled thread delays one block only
//   wasm with pthreads           a persistent pool of std::threads (parallel.cpp), the calling thread one of them
//   wasm without, fuzz builds    one block after the other
//
// Blocks are handed out one at a time in order, so the calling thread takes part and a block never waits for a
// thread to wake if another is free. A call from inside a block runs its blocks serially (no nesting).
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

namespace detail {
// The pool's entry (parallel.cpp): run(context, b) for b = 0 .. blocks-1.
void run_blocks(int blocks, void (*run)(void*, int), void* context);
}  // namespace detail

template <typename Block>
void for_each_block(int blocks, Block&& block, bool parallel = true) {
#if defined(__EMSCRIPTEN_PTHREADS__)
    using B = std::remove_reference_t<Block>;
    if (parallel && blocks > 1) {
        detail::run_blocks(blocks, [](void* context, int b) { (*static_cast<B*>(context))(b); }, &block);
        return;
    }
    for (int b = 0; b < blocks; ++b) block(b);
#elif defined(_OPENMP)
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
    for (int b = 0; b < blocks; ++b) block(b);
#else
    (void)parallel;
    for (int b = 0; b < blocks; ++b) block(b);
#endif
}

}  // namespace spiketail
