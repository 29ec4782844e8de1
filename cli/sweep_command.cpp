// The sweep command's thread pool (sweep_command.hpp); the preparation and the saves are sweep_plan.hpp's.
#include "sweep_command.hpp"

#include <omp.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "sweep_estimate.hpp"
#include "sweep_mpi.hpp"
#include "sweep_plan.hpp"

namespace spiketail {

// Declared in sweep_mpi.hpp; here because both builds need it.
bool launched_by_mpirun() {
    return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
           std::getenv("PMIX_RANK") != nullptr;
}

int command_sweep(const Options& options) {
    if (launched_by_mpirun() && !options.estimate) return command_sweep_mpi(options);
    SweepJob job;
    if (const int status = prepare_sweep(options, job); status >= 0) return status;
    if (options.estimate) return write_sweep_estimate(options, job);

    // A pool of --jobs workers takes the runs in grid order; each writes its own slot and the main thread moves
    // finished slots into job.results, so the document's order is the expansion order whatever finishes first.
    const std::size_t num_todo = job.todo.size();
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(num_todo)));
    // T = OMP_NUM_THREADS when set, else the number of cores. The products of a step and of a probe are summed
    // in fixed column blocks (core/gemm.cpp), so a run's numbers do not depend on its threads per run, nor on
    // --jobs (tests/cli/determinism.test.mjs).
    const int threads_per_run = std::max(1, std::max(1, omp_get_max_threads()) / jobs);
    std::vector<nlohmann::ordered_json> computed(num_todo);
    // done[k] is set (release) after computed[k] is written, so the main thread may read finished slots.
    const std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[num_todo]());
    std::vector<char> harvested(num_todo, 0);
    std::atomic<std::size_t> next{0}, finished{0};
    std::atomic<int> diverged{0};
    std::atomic<long long> steps_done{0};
    std::mutex mutex;
    std::condition_variable wake;

    auto worker = [&]() {
        omp_set_num_threads(threads_per_run);  // this thread's OpenMP teams (Eigen's GEMM)
        for (std::size_t k = next++; k < num_todo; k = next++) {
            computed[k] = run_sweep_entry(job.runs[job.todo[k]], options.record, steps_done, diverged);
            done[k].store(true, std::memory_order_release);
            ++finished;
            std::lock_guard<std::mutex> lock(mutex);
            wake.notify_one();
        }
    };
    auto harvest = [&]() {
        for (std::size_t k = 0; k < num_todo; ++k)
            if (!harvested[k] && done[k].load(std::memory_order_acquire)) {
                const std::size_t i = job.todo[k];
                job.results.entries[i] = std::move(computed[k]);
                job.results.filled[i] = 1;
                harvested[k] = 1;
            }
    };

    ProgressSaver saver(options, job);
    Progress progress(!options.quiet);
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs && num_todo > 0; ++j) pool.emplace_back(worker);
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (finished < num_todo) {
            wake.wait_for(lock, std::chrono::milliseconds(200));
            if (const int signal_number = pending_signal(); signal_number != 0) {
                // SIGINT/SIGTERM/SIGHUP: keep what is finished, then end as the signal asks (runs in flight are lost).
                lock.unlock();
                progress.finish();
                harvest();
                saver.maybe_save(job, /*force=*/true);
                if (!options.quiet)
                    std::fprintf(stderr, "spiketail: stopped by signal %d after %zu of %zu runs%s\n", signal_number,
                                 finished.load(), num_todo, saver.enabled() ? " (saved)" : "");
                end_with_signal(signal_number);
            }
            if (saver.enabled() && finished < num_todo) {
                lock.unlock();
                harvest();
                saver.maybe_save(job);
                lock.lock();
            }
            progress.update(job.todo_steps > 0 ? static_cast<double>(steps_done) / job.todo_steps : 1.0,
                            "run " + std::to_string(finished.load()) + "/" + std::to_string(num_todo) +
                                (jobs > 1 ? " (" + std::to_string(jobs) + " at once)" : ""));
        }
    }
    for (std::thread& t : pool) t.join();
    harvest();
    progress.finish();
    if (!options.quiet && progress.elapsed_seconds() >= 1.0)
        std::fprintf(stderr, "spiketail: %zu runs in %s%s\n", num_todo, format_duration(progress.elapsed_seconds()).c_str(),
                     diverged > 0 ? (" (" + std::to_string(diverged.load()) + " diverged)").c_str() : "");
    return write_output(options, sweep_job_document(options, job));
}

}  // namespace spiketail
