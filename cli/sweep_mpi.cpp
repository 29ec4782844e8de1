// The MPI sweep runner of sweep_mpi.hpp (compiled only with -DSPIKETAIL_MPI=ON).
//
// Rank 0 reads CONFIG (and --resume's file), sends the resolved sweep config to the others, and hands out grid
// indices one at a time, largest predicted cost first (sweep_shard.hpp), so the last runs to finish are the
// short ones. Its main thread dispatches (the only thread that calls MPI: MPI_THREAD_FUNNELED) and a worker
// thread beside it computes runs from the same queue, so P ranks on P cores keep every core busy. A worker rank
// sends READY, then each finished run as "index\n" + its entry's JSON, and gets the next index (-1: stop). Every
// entry is the same JSON the thread pool makes, and rank 0 writes the document the same way, so the file is
// byte for byte the single-machine sweep's. A run that throws is an entry with status "error" (run_sweep_entry);
// a rank that dies makes mpirun end the job — nothing waits forever.
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "io/sweep_json.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "sweep_mpi.hpp"
#include "sweep_plan.hpp"

namespace spiketail {
namespace {

constexpr int k_tag_ready = 1;   // worker -> 0: give me a run
constexpr int k_tag_result = 2;  // worker -> 0: "index\n" + entry JSON, and give me the next
constexpr int k_tag_work = 3;    // 0 -> worker: a long long grid index, or -1 to stop
// How long rank 0's dispatcher sleeps when no message is waiting: short beside a run (>= tens of ms), and it
// leaves the core to the worker thread beside it.
constexpr auto k_idle_sleep = std::chrono::milliseconds(2);

void broadcast_text(std::string& text, int rank) {
    long long size = static_cast<long long>(text.size());
    MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (rank != 0) text.resize(static_cast<std::size_t>(size));
    MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
}

void send_work(long long index, int rank) { MPI_Send(&index, 1, MPI_LONG_LONG, rank, k_tag_work, MPI_COMM_WORLD); }

// A worker rank: runs what rank 0 sends until it sends -1.
void serve_runs(const Options& options, const std::vector<SweepRun>& runs) {
    std::atomic<long long> steps_done{0};
    std::atomic<int> diverged{0};
    MPI_Send(nullptr, 0, MPI_CHAR, 0, k_tag_ready, MPI_COMM_WORLD);
    for (;;) {
        long long index = -1;
        MPI_Recv(&index, 1, MPI_LONG_LONG, 0, k_tag_work, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (index < 0 || index >= static_cast<long long>(runs.size())) return;
        const std::string message = std::to_string(index) + "\n" +
            run_sweep_entry(runs[static_cast<std::size_t>(index)], options.record, steps_done, diverged).dump();
        MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, k_tag_result, MPI_COMM_WORLD);
    }
}

// Rank 0: dispatches job.todo (largest first) to the other ranks and to its own worker thread; saves progress.
int dispatch_runs(const Options& options, SweepJob& job, int size) {
    std::vector<std::size_t> order = job.todo;
    const std::vector<std::uint64_t> costs = sweep_run_costs(job.runs);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::deque<std::pair<std::size_t, nlohmann::ordered_json>> local_done;  // the worker thread's, to move in
    std::thread local([&]() {
        std::atomic<long long> steps_done{0};
        std::atomic<int> diverged{0};
        for (std::size_t k = next++; k < order.size(); k = next++) {
            nlohmann::ordered_json entry = run_sweep_entry(job.runs[order[k]], options.record, steps_done, diverged);
            std::lock_guard<std::mutex> lock(mutex);
            local_done.emplace_back(order[k], std::move(entry));
        }
    });

    ProgressSaver saver(options, job);
    Progress progress(!options.quiet);
    std::size_t received = 0;
    std::vector<std::size_t> per_rank(static_cast<std::size_t>(size), 0);  // runs each rank computed
    int serving = size - 1;  // worker ranks not yet told to stop
    while (received < order.size() || serving > 0) {
        bool busy = false;
        int waiting = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
        if (waiting) {
            busy = true;
            int length = 0;
            MPI_Get_count(&status, MPI_CHAR, &length);
            std::string message(static_cast<std::size_t>(length), '\0');
            MPI_Recv(message.data(), length, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (status.MPI_TAG == k_tag_result) {
                const std::size_t newline = message.find('\n');
                const std::size_t index = std::stoull(message.substr(0, newline));
                job.results.entries[index] = nlohmann::ordered_json::parse(message.substr(newline + 1));
                job.results.filled[index] = 1;
                ++received;
                ++per_rank[static_cast<std::size_t>(status.MPI_SOURCE)];
            }
            const std::size_t k = next++;
            send_work(k < order.size() ? static_cast<long long>(order[k]) : -1, status.MPI_SOURCE);
            if (k >= order.size()) --serving;
        }
        {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto& [index, entry] : local_done) {
                job.results.entries[index] = std::move(entry);
                job.results.filled[index] = 1;
                ++received;
                ++per_rank[0];
                busy = true;
            }
            local_done.clear();
        }
        if (const int signal_number = pending_signal(); signal_number != 0) {
            progress.finish();
            saver.maybe_save(job, /*force=*/true);
            if (!options.quiet)
                std::fprintf(stderr, "spiketail: stopped by signal %d after %zu of %zu runs%s\n", signal_number,
                             received, order.size(), saver.enabled() ? " (saved)" : "");
            MPI_Abort(MPI_COMM_WORLD, 128 + signal_number);  // the other ranks' runs in flight are lost
        }
        if (busy && received < order.size()) saver.maybe_save(job);
        progress.update(order.empty() ? 1.0 : static_cast<double>(received) / order.size(),
                        "run " + std::to_string(received) + "/" + std::to_string(order.size()) + " (" +
                            std::to_string(size) + " ranks)");
        if (!busy) std::this_thread::sleep_for(k_idle_sleep);
    }
    local.join();
    progress.finish();
    if (!options.quiet) {  // always: how the runs were spread is worth a line
        std::string spread;
        for (std::size_t r = 0; r < per_rank.size(); ++r) spread += (r ? ", " : "") + std::to_string(per_rank[r]);
        std::fprintf(stderr, "spiketail: %zu runs on %d ranks (per rank: %s) in %s\n", order.size(), size,
                     spread.c_str(), format_duration(progress.elapsed_seconds()).c_str());
    }
    return write_output(options, sweep_job_document(options, job));
}

}  // namespace

int command_sweep_mpi(const Options& options) {
    int provided = 0, rank = 0, size = 1;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank != 0) install_output_signal_cleanup(/*defer=*/false);  // only rank 0 saves on a signal

    // Rank 0 reads the inputs; the others get the resolved sweep config, so CONFIG need not be on every node.
    SweepJob job;
    int status = rank == 0 ? prepare_sweep(options, job) : -1;
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (status >= 0) {
        MPI_Finalize();
        return rank == 0 ? status : k_exit_ok;
    }
    std::string spec_text = rank == 0 ? sweep_spec_to_json_value(job.spec).dump() : std::string();
    broadcast_text(spec_text, rank);
    if (rank != 0) {
        const SweepParse parsed = sweep_from_json(spec_text, k_max_sweep_runs_raised);
        if (!parsed.ok()) MPI_Abort(MPI_COMM_WORLD, k_exit_input);  // cannot happen: rank 0 wrote it from a valid spec
        serve_runs(options, expand_sweep(parsed.spec));
    } else {
        status = dispatch_runs(options, job, size);
    }
    MPI_Finalize();
    return rank == 0 ? status : k_exit_ok;
}

}  // namespace spiketail
