// spiketail: the command-line front end. Argument parsing and files only; the science is in core/.
//
//   spiketail run   [CONFIG] [--out FILE] [--eigenvalues] [--detail] [--quiet]
//   spiketail sweep CONFIG   [--out FILE] [--jobs N] [--eigenvalues] [--detail] [--quiet]
//
// Exit status: 0 done (a diverged run is a result, not a failure), 1 the output could not be written,
// 2 bad input (usage, file, syntax, an unknown key or a value out of range; one line on stderr names it).
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
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

#include "config_file.hpp"
#include "io/config_json.hpp"
#include "io/record_json.hpp"
#include "io/sweep_json.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "wait_policy.hpp"
#include "session.hpp"
#include "sweep.hpp"

#ifndef SPIKETAIL_VERSION
#define SPIKETAIL_VERSION "0.1.0"
#endif

namespace spiketail {
namespace {

constexpr int k_exit_ok = 0;
constexpr int k_exit_output = 1;
constexpr int k_exit_input = 2;

const char* const k_usage =
    "usage: spiketail run   [CONFIG] [--out FILE] [--eigenvalues] [--detail] [--quiet]\n"
    "       spiketail sweep CONFIG   [--out FILE] [--jobs N] [--eigenvalues] [--detail] [--quiet]\n"
    "       spiketail --help | --version\n";

const char* const k_help =
    "spiketail: watch a two-layer network's weight spectrum go from Marchenko-Pastur to bulk + spike to\n"
    "heavy-tailed under full-batch GD and Adam (arXiv 2406.04657), and measure it.\n"
    "\n"
    "commands:\n"
    "  run [CONFIG]      one training run; without CONFIG the study's single run (n=2000, d=1000, h=1500,\n"
    "                    Adam, lr=1, 10 steps). Writes {config, status, message, probes}.\n"
    "  sweep CONFIG      a grid: \"optimizer\" and/or \"lr\" may be lists, \"repeat\" is the number of repeats,\n"
    "                    \"vary\": {param: [values]} a parameter study (n, label_noise_std, reg_lambda, gamma).\n"
    "                    Writes {config, runs: [...]} in a fixed order whatever --jobs is.\n"
    "\n"
    "CONFIG: a JSON config (docs/schema.md), or a YAML config of the study's reference implementation\n"
    "        (its configs/*.yml; see docs/cli.md for how its keys map). \"-\" reads stdin.\n"
    "\n"
    "options:\n"
    "  --out FILE        write the JSON document to FILE instead of stdout\n"
    "  --eigenvalues     add the eigenvalues of W^T W to every probe\n"
    "  --detail          also add |V^T beta*| and the update analysis (implies --eigenvalues)\n"
    "  --jobs N          sweep: run N runs at once, each with max(1, T / N) threads, T = OMP_NUM_THREADS\n"
    "                    or the number of cores (default 1)\n"
    "  --quiet           no progress line and no notes on stderr\n"
    "  --help, --version\n"
    "\n"
    "exit status: 0 done (diverged runs included), 1 output not written, 2 bad input.\n";

struct Options {
    std::string command;
    std::string config_path;
    std::string out_path;
    RecordOptions record;
    int jobs = 1;
    bool quiet = false;
};

// Usage and input errors: one line on stderr, exit status 2.
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

bool parse_int(const std::string& text, int& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || value < -2147483647L || value > 2147483647L) return false;
    out = static_cast<int>(value);
    return true;
}

// Returns -1 when the arguments are fine, else the exit status to leave with.
int parse_arguments(int argc, char** argv, Options& options) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return fail_input("no command given\n" + std::string(k_usage));
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value_of = [&](const std::string& name, std::string& out) -> bool {
            if (arg.size() > name.size() && arg.compare(0, name.size() + 1, name + "=") == 0) {
                out = arg.substr(name.size() + 1);
                return true;
            }
            if (i + 1 >= args.size()) return false;
            out = args[++i];
            return true;
        };
        const std::string name = arg.substr(0, arg.find('='));
        if (arg == "--help" || arg == "-h") {
            std::fputs(k_help, stdout);
            std::fputs(k_usage, stdout);
            return k_exit_ok;
        } else if (arg == "--version") {
            std::printf("spiketail %s\n", SPIKETAIL_VERSION);
            return k_exit_ok;
        } else if (name == "--out" || name == "-o") {
            if (!value_of(name, options.out_path) || options.out_path.empty()) return fail_input("--out needs a FILE");
        } else if (name == "--jobs" || name == "-j") {
            std::string text;
            if (!value_of(name, text) || !parse_int(text, options.jobs) || options.jobs < 1)
                return fail_input("--jobs needs an integer >= 1" + (text.empty() ? "" : " (got \"" + text + "\")"));
        } else if (arg == "--eigenvalues") {
            options.record.eigenvalues = true;
        } else if (arg == "--detail") {
            options.record.detail = true;
        } else if (arg == "--quiet" || arg == "-q") {
            options.quiet = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            return fail_input("unknown option " + arg + "\n" + k_usage);
        } else if (options.command.empty()) {
            options.command = arg;
        } else if (options.config_path.empty()) {
            options.config_path = arg;
        } else {
            return fail_input("unexpected argument \"" + arg + "\" (one CONFIG per command)");
        }
    }
    if (options.command != "run" && options.command != "sweep")
        return fail_input("unknown command \"" + options.command + "\"\n" + k_usage);
    if (options.command == "sweep" && options.config_path.empty()) return fail_input("sweep needs a CONFIG");
    if (options.command == "run" && options.jobs != 1) return fail_input("--jobs applies to sweep only");
    return -1;
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
    const SweepParse parsed = sweep_from_json_value(loaded.document);
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
    if (const OutputResult target = check_output_target(options.out_path, {options.config_path}); !target.ok)
        return fail_input(target.error);
    install_output_signal_cleanup(/*defer=*/options.command == "sweep");
    try {
        return options.command == "run" ? command_run(options) : command_sweep(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "spiketail: %s\n", e.what());
        return k_exit_output;
    }
}
