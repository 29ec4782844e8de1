// What every sweep runner shares (the thread pool of sweep_command.cpp, the MPI runner of sweep_mpi.cpp):
// the grid read from CONFIG, the runs this process computes (--shard), the runs kept from --resume's file,
// one run to its entry, and the throttled progress saves that make a killed sweep lose little.
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "io/sweep_parts.hpp"
#include "sweep.hpp"

namespace spiketail {

struct SweepJob {
    SweepSpec spec;
    std::vector<SweepRun> runs;      // the whole grid, in expansion order
    std::vector<std::size_t> todo;   // grid indices this process computes, ascending (its shard, minus resumed runs)
    SweepResults results;            // one slot per grid run: the resumed ones filled, the rest as they finish
    std::size_t resumed = 0;         // runs taken from --resume's file
    long long todo_steps = 0;        // steps of the runs in todo (a run without steps counts 1), for progress
};

// Reads CONFIG and --resume's file into job. Returns -1 to go on, else the exit status (the message printed).
int prepare_sweep(const Options& options, SweepJob& job);

// The document of job.results: complete when every grid run is there, else partial (with the shard when sharded).
nlohmann::ordered_json sweep_job_document(const Options& options, const SweepJob& job);

// One run to its entry; never throws (a failure, e.g. std::bad_alloc, becomes status "error" with the message).
nlohmann::ordered_json run_sweep_entry(const SweepRun& run, const RecordOptions& record,
                                       std::atomic<long long>& steps_done, std::atomic<int>& diverged);

// A result document (JSON, any size memory holds) read for merge and --resume: false with "FILE: reason".
bool read_result_file(const std::string& path, nlohmann::ordered_json& out, std::string& error);

// Saves job's document to --out as runs finish: after a run when the time since the last save is at least
// ten times what that save took, so saving costs at most a tenth of the sweep (a large document is saved
// less often). Each save is atomic (output.hpp): a SIGKILL loses the runs in flight and those finished since
// the last save, never the file.
class ProgressSaver {
public:
    // Counts job's runs so far (resumed ones) as saved: they are in the file already.
    ProgressSaver(const Options& options, const SweepJob& job);
    bool enabled() const { return m_enabled; }
    // Saves when runs finished since the last save and the throttle allows (always when force).
    void maybe_save(const SweepJob& job, bool force = false);

private:
    using Clock = std::chrono::steady_clock;
    const Options& m_options;
    bool m_enabled;
    std::size_t m_saved_count = 0;
    Clock::time_point m_last_save;
    double m_last_save_seconds = 0;
};

}  // namespace spiketail
