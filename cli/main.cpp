// spiketail: the command-line front end. The commands and files only; the science is in core/, the command
// line (options, help, exit statuses) in arguments.hpp.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analyze.hpp"
#include "arguments.hpp"
#include "config_file.hpp"
#include "io/config_json.hpp"
#include "io/record_json.hpp"
#include "io/sweep_json.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "wait_policy.hpp"
#include "session.hpp"
#include "sweep.hpp"

namespace spiketail {
namespace {

// Input errors: one line on stderr, exit status 2.
int fail_input(const std::string& line) {
    std::fprintf(stderr, "spiketail: %s\n", line.c_str());
    return k_exit_input;
}

int fail_field_errors(const std::string& source, const std::vector<FieldError>& errors) {
    const FieldError& first = errors.front();
    std::string line = source + ": " + (first.field.empty() ? first.message : format_field_error(first));
    if (errors.size() > 1)
        line += " (and " + std::to_string(errors.size() - 1) + " more problem" + (errors.size() > 2 ? "s" : "") + ")";
    return fail_input(line);
}

void print_notes(const Options& options, const LoadedConfig& loaded) {
    if (options.quiet) return;
    if (!loaded.ignored.empty()) {
        std::string keys;
        for (const std::string& key : loaded.ignored) keys += (keys.empty() ? "" : ", ") + key;
        std::fprintf(stderr, "spiketail: %s: ignored (plotting or runtime keys of the reference): %s\n",
                     options.config_path.c_str(), keys.c_str());
    }
    for (const std::string& note : loaded.notes)
        std::fprintf(stderr, "spiketail: %s: note: %s\n", options.config_path.c_str(), note.c_str());
}

// Writes the document to --out or stdout (cli/output.hpp: atomic for files, written through for devices).
int write_output(const Options& options, const nlohmann::ordered_json& document) {
    const OutputResult result = write_output_file(options.out_path, dump_document(document));
    if (result.ok) return k_exit_ok;
    std::fprintf(stderr, "spiketail: %s\n", result.error.c_str());
    return k_exit_output;
}

int command_run(const Options& options) {
    Config config;  // the study's single run when no CONFIG is given
    const std::string source = options.config_path.empty() ? "defaults" : options.config_path;
    if (!options.config_path.empty()) {
        LoadedConfig loaded = load_config_file(options.config_path);
        if (!loaded.errors.empty()) return fail_field_errors(source, loaded.errors);
        if (loaded.is_sweep)
            return fail_input(source + ": a sweep config (optimizer or lr is a list, vary, or several repeats); "
                                       "run it with `spiketail sweep`");
        // In the reference's YAML "repeat" counts repeats; one repeat is simply repeat 0 here.
        if (loaded.reference_yaml) loaded.document.erase("repeat");
        const ConfigParse parsed = config_from_json_value(loaded.document);
        if (!parsed.ok()) return fail_field_errors(source, parsed.errors);
        print_notes(options, loaded);
        config = parsed.config;
    }

    Progress progress(!options.quiet);
    std::string error;
    std::unique_ptr<Session> session = Session::create(config, &error);
    if (!session) return fail_input(source + ": " + error);
    const int total = config.num_steps;
    session->run_to_end([&](const Session& s, const Advance&) {
        progress.update(total > 0 ? static_cast<double>(s.step_count()) / total : 1.0,
                        "step " + std::to_string(s.step_count()) + "/" + std::to_string(total));
        return true;
    });
    progress.finish();
    if (session->status() == RunStatus::diverged && !options.quiet)
        std::fprintf(stderr, "spiketail: %s\n", session->message().c_str());
    return write_output(options, run_to_json_value(*session, options.record));
}

// One sweep run to its result entry; never throws (a failure becomes status "error").
nlohmann::ordered_json run_sweep_entry(const SweepRun& run, const RecordOptions& record,
                                       std::atomic<long long>& steps_done, std::atomic<int>& diverged) {
    try {
        std::string error;
        std::unique_ptr<Session> session = Session::create(run.config, &error);
        if (!session) {
            nlohmann::ordered_json entry = sweep_run_to_json_value(run);
            entry["status"] = "error";
            entry["message"] = error;
            entry["probes"] = nlohmann::ordered_json::array();
            return entry;
        }
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
        nlohmann::ordered_json entry = sweep_run_to_json_value(run);
        entry["status"] = "error";
        entry["message"] = std::string("the run failed: ") + e.what();
        entry["probes"] = nlohmann::ordered_json::array();
        return entry;
    }
}

int command_sweep(const Options& options) {
    const std::string& source = options.config_path;
    LoadedConfig loaded = load_config_file(source);
    if (!loaded.errors.empty()) return fail_field_errors(source, loaded.errors);
    const SweepParse parsed = sweep_from_json_value(loaded.document, options.max_runs);
    if (!parsed.ok()) return fail_field_errors(source, parsed.errors);
    print_notes(options, loaded);

    const std::vector<SweepRun> runs = expand_sweep(parsed.spec);
    long long total_steps = 0;
    for (const SweepRun& run : runs) total_steps += std::max(run.config.num_steps, 1);

    // A pool of --jobs workers takes runs in order; each writes its own slot, so the output order is the
    // expansion order whatever finishes first. Eigen's products use OpenMP: share the cores among workers.
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(runs.size())));
    // T = OMP_NUM_THREADS when set, else the number of cores. The products of a step and of a probe are summed
    // in fixed column blocks (core/gemm.cpp), so a run's numbers do not depend on its threads per run, nor on
    // --jobs (tests/cli/determinism.test.mjs).
    const int threads = std::max(1, omp_get_max_threads());
    const int threads_per_run = std::max(1, threads / jobs);
    std::vector<nlohmann::ordered_json> results(runs.size());
    // done[i] is set (release) after results[i] is written, so the main thread may read finished slots.
    const std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[runs.size()]());
    std::atomic<std::size_t> next{0};
    std::atomic<int> finished{0}, diverged{0};
    std::atomic<long long> steps_done{0};
    std::mutex mutex;
    std::condition_variable wake;

    auto worker = [&]() {
        omp_set_num_threads(threads_per_run);  // this thread's OpenMP teams (Eigen's GEMM)
        for (std::size_t i = next++; i < runs.size(); i = next++) {
            results[i] = run_sweep_entry(runs[i], options.record, steps_done, diverged);
            done[i].store(true, std::memory_order_release);
            ++finished;
            std::lock_guard<std::mutex> lock(mutex);
            wake.notify_one();
        }
    };
    const nlohmann::ordered_json sweep_config = sweep_spec_to_json_value(parsed.spec);
    // The finished runs, in expansion order: the whole document at the end, a partial one (a valid sweep
    // document with fewer runs) while the sweep goes on.
    auto document_of_finished = [&]() {
        nlohmann::ordered_json document = nlohmann::ordered_json::object();
        document["config"] = sweep_config;
        nlohmann::ordered_json entries = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < runs.size(); ++i)
            if (done[i].load(std::memory_order_acquire)) entries.push_back(results[i]);
        document["runs"] = std::move(entries);
        return document;
    };
    // With --out, the runs finished so far are saved after each run (atomically), so a killed sweep keeps
    // them; the saving takes at most a tenth of the time (a large document is saved less often).
    const bool save_progress = !options.out_path.empty() && options.out_path != "-";
    using Clock = std::chrono::steady_clock;
    Clock::time_point last_save = Clock::now();
    double last_save_seconds = 0;
    int saved_runs = 0;
    auto save_finished = [&]() {
        const Clock::time_point start = Clock::now();
        const OutputResult result = write_output_file(options.out_path, dump_document(document_of_finished()));
        last_save = Clock::now();
        last_save_seconds = std::chrono::duration<double>(last_save - start).count();
        if (!result.ok && !options.quiet) std::fprintf(stderr, "spiketail: %s\n", result.error.c_str());
    };
    Progress progress(!options.quiet);
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
    const int num_runs = static_cast<int>(runs.size());
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (finished < num_runs) {
            wake.wait_for(lock, std::chrono::milliseconds(200));
            if (const int signal_number = pending_signal(); signal_number != 0) {
                // SIGINT/SIGTERM/SIGHUP: keep what is finished, then end as the signal asks (runs in flight are lost).
                lock.unlock();
                progress.finish();
                if (save_progress && finished > saved_runs) save_finished();
                if (!options.quiet)
                    std::fprintf(stderr, "spiketail: stopped by signal %d after %d of %d runs%s\n", signal_number,
                                 finished.load(), num_runs, save_progress ? " (saved)" : "");
                end_with_signal(signal_number);
            }
            const double since = std::chrono::duration<double>(Clock::now() - last_save).count();
            if (save_progress && finished > saved_runs && finished < num_runs && since >= 10 * last_save_seconds) {
                saved_runs = finished;
                lock.unlock();
                save_finished();
                lock.lock();
            }
            progress.update(total_steps > 0 ? static_cast<double>(steps_done) / total_steps : 1.0,
                            "run " + std::to_string(finished.load()) + "/" + std::to_string(num_runs) +
                                (jobs > 1 ? " (" + std::to_string(jobs) + " at once)" : ""));
        }
    }
    for (std::thread& t : pool) t.join();
    progress.finish();
    if (!options.quiet && progress.elapsed_seconds() >= 1.0)
        std::fprintf(stderr, "spiketail: %d runs in %s%s\n", num_runs, format_duration(progress.elapsed_seconds()).c_str(),
                     diverged > 0 ? (" (" + std::to_string(diverged.load()) + " diverged)").c_str() : "");

    const nlohmann::ordered_json document = document_of_finished();
    return write_output(options, document);
}

}  // namespace
}  // namespace spiketail

int main(int argc, char** argv) {
    using namespace spiketail;
    ensure_passive_wait_policy(argv);
    Options options;
    if (const int status = parse_arguments(argc, argv, options); status >= 0) return status;
    std::vector<std::string> inputs = options.files;
    inputs.push_back(options.config_path);
    if (const OutputResult target = check_output_target(options.out_path, inputs); !target.ok)
        return fail_input(target.error);
    install_output_signal_cleanup(/*defer=*/options.command == "sweep");
    try {
        if (options.command == "analyze") return command_analyze(options);
        return options.command == "run" ? command_run(options) : command_sweep(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "spiketail: %s\n", e.what());
        return k_exit_output;
    }
}
