// Preparing a sweep (CONFIG, --shard, --resume), running one of its runs, and saving its progress.
#include "sweep_plan.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <sstream>

#include "config_file.hpp"
#include "io/record_json.hpp"
#include "io/sweep_json.hpp"
#include "output.hpp"
#include "report.hpp"
#include "session.hpp"

namespace spiketail {
namespace {

nlohmann::ordered_json error_entry(const SweepRun& run, const std::string& message) {
    nlohmann::ordered_json entry = sweep_run_to_json_value(run);
    entry["status"] = "error";
    entry["message"] = message;
    entry["probes"] = nlohmann::ordered_json::array();
    return entry;
}

// --resume: keeps the runs of --out's document that belong to this sweep (runs with status "error" are run
// again). A missing file is a fresh start; a file of another sweep is refused.
int load_resumed_runs(const Options& options, SweepJob& job) {
    struct stat info;
    if (::stat(options.out_path.c_str(), &info) != 0) {
        if (!options.quiet)
            std::fprintf(stderr, "spiketail: %s: no such file yet; --resume starts the sweep afresh\n",
                         options.out_path.c_str());
        return -1;
    }
    nlohmann::ordered_json document;
    std::string error;
    if (!read_result_file(options.out_path, document, error)) return fail_input(error + " (--resume)");
    CollectTarget target;
    target.runs = &job.runs;
    target.id = sweep_id(job.spec);
    target.id_origin = options.config_path;
    target.record = record_name(options.record);
    target.skip_errors = true;
    const CollectReport report = collect_sweep_document(document, options.out_path, target, job.results);
    if (!report.errors.empty())
        return fail_field_errors("--resume", report.errors);
    job.resumed = report.added;
    return -1;
}

}  // namespace

int prepare_sweep(const Options& options, SweepJob& job) {
    const std::string& source = options.config_path;
    LoadedConfig loaded = load_config_file(source);
    if (!loaded.errors.empty()) return fail_field_errors(source, loaded.errors);
    const SweepParse parsed = sweep_from_json_value(loaded.document, options.max_runs);
    if (!parsed.ok()) return fail_field_errors(source, parsed.errors);
    print_notes(options, loaded);
    job.spec = parsed.spec;
    job.runs = expand_sweep(job.spec);
    job.results = SweepResults(job.runs.size());
    if (options.resume)
        if (const int status = load_resumed_runs(options, job); status >= 0) return status;

    std::vector<std::size_t> mine;
    if (options.sharded) {
        mine = shard_runs(sweep_run_costs(job.runs), options.shard);
    } else {
        mine.resize(job.runs.size());
        for (std::size_t i = 0; i < mine.size(); ++i) mine[i] = i;
    }
    for (std::size_t i : mine)
        if (!job.results.filled[i]) {
            job.todo.push_back(i);
            job.todo_steps += std::max(job.runs[i].config.num_steps, 1);
        }
    if (options.resume && !options.quiet)
        std::fprintf(stderr, "spiketail: %s: %zu runs kept, %zu to run\n", options.out_path.c_str(), job.resumed,
                     job.todo.size());
    return -1;
}

nlohmann::ordered_json sweep_job_document(const Options& options, const SweepJob& job) {
    return sweep_results_document(job.spec, job.results, options.record, options.sharded ? &options.shard : nullptr);
}

nlohmann::ordered_json run_sweep_entry(const SweepRun& run, const RecordOptions& record,
                                       std::atomic<long long>& steps_done, std::atomic<int>& diverged) {
    try {
        std::string error;
        std::unique_ptr<Session> session = Session::create(run.config, &error);
        if (!session) return error_entry(run, error);
        int last = 0;
        session->run_to_end([&](const Session& s, const Advance&) {
            steps_done += s.step_count() - last;
            last = s.step_count();
            return true;
        });
        steps_done += std::max(run.config.num_steps, 1) - last;  // a diverged run's remaining steps count as done
        if (session->status() == RunStatus::diverged) ++diverged;
        return sweep_result_to_json_value(run, session->status(), session->message(), session->history(), record);
    } catch (const std::exception& e) {  // e.g. std::bad_alloc: report it in the run, keep the others
        return error_entry(run, std::string("the run failed: ") + e.what());
    }
}

bool read_result_file(const std::string& path, nlohmann::ordered_json& out, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot read it";
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
        out = nlohmann::ordered_json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        error = path + ": not a JSON document (" + e.what() + ")";
        return false;
    }
    return true;
}

ProgressSaver::ProgressSaver(const Options& options, const SweepJob& job)
    : m_options(options),
      m_enabled(!options.out_path.empty() && options.out_path != "-"),
      m_saved_count(job.results.count()),
      m_last_save(Clock::now()) {}

void ProgressSaver::maybe_save(const SweepJob& job, bool force) {
    const std::size_t count = job.results.count();
    if (!m_enabled || count <= m_saved_count) return;
    const double since = std::chrono::duration<double>(Clock::now() - m_last_save).count();
    if (!force && since < 10 * m_last_save_seconds) return;
    const Clock::time_point start = Clock::now();
    const OutputResult result = write_output_file(m_options.out_path, dump_document(sweep_job_document(m_options, job)));
    m_last_save = Clock::now();
    m_last_save_seconds = std::chrono::duration<double>(m_last_save - start).count();
    m_saved_count = count;
    if (!result.ok && !m_options.quiet) std::fprintf(stderr, "spiketail: %s\n", result.error.c_str());
}

}  // namespace spiketail
