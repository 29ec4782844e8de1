// The command line through CLI11: the commands and their options, the help text, and usage errors as one line.
#include "arguments.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#ifndef SPIKETAIL_VERSION
#define SPIKETAIL_VERSION "0.1.0"
#endif

namespace spiketail {
namespace {

const char* const k_description =
    "spiketail: watch a two-layer network's weight spectrum go from Marchenko-Pastur to bulk + spike to\n"
    "heavy-tailed under full-batch GD and Adam (arXiv 2406.04657), and measure it.";

const char* const k_run_description =
    "one training run; without CONFIG the study's single run (n=2000, d=1000, h=1500,\n"
    "Adam, lr=1, 10 steps). Writes {config, status, message, probes}.";

const char* const k_sweep_description =
    "a grid: \"optimizer\" and/or \"lr\" may be lists, \"repeat\" is the number of repeats,\n"
    "\"vary\": {param: [values]} a parameter study (n, label_noise_std, reg_lambda, gamma).\n"
    "Writes {config, runs: [...]} in a fixed order whatever --jobs is.";

const char* const k_analyze_description =
    "the spectral analysis of every layer of model files, with WeightWatcher's columns (alpha, xmin, D,\n"
    "norms, entropy, ...): .npy, .npz, .safetensors, .gguf, TF.js model.json (its shards next to it), .csv/.tsv.\n"
    "Writes {files: [...], layers: [...]}, or CSV when --out ends in .csv.";

const char* const k_merge_description =
    "merges the parts of one sweep (sweep --shard K/N outputs, progress saves) into its document:\n"
    "byte for byte the single-machine sweep's when every run is there. A run in two parts must be\n"
    "identical in both; missing runs are listed and make the exit status 3 unless --allow-missing.";

const char* const k_footer =
    "CONFIG: a JSON config (docs/schema.md), or a YAML config of the study's reference implementation\n"
    "        (its configs/*.yml; see docs/cli.md for how its keys map). \"-\" reads stdin.\n"
    "\n"
    "exit status: 0 done (diverged runs included), 1 output not written, 2 bad input,\n"
    "             3 merge: runs missing (the partial document is written).";

// An option's value must not be another option: CLI11 gives an option its value whatever it looks like, so
// `--out --quiet` would write a file named "--quiet". "-" alone is a value (stdout, stdin).
bool looks_like_option(const std::string& value) { return value.size() > 1 && value[0] == '-'; }

// -j, -j4, --jobs, --jobs=4
bool is_jobs_option(const std::string& arg) {
    return arg.rfind("-j", 0) == 0 || arg == "--jobs" || arg.rfind("--jobs=", 0) == 0;
}

const CLI::Validator k_file_value(
    [](std::string& value) -> std::string {
        if (value.empty()) return "needs a FILE";
        if (looks_like_option(value)) return "needs a FILE (got the option " + value + "; write ./" + value + " for such a file)";
        return "";
    },
    "", "FILE");

const CLI::Validator k_jobs_value(
    [](std::string& value) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long jobs = value.empty() ? 0 : std::strtol(value.c_str(), &end, 10);
        if (value.empty() || errno != 0 || *end != '\0' || jobs < 1 || jobs > 2147483647L)
            return "needs an integer >= 1 (got \"" + value + "\")";
        return "";
    },
    "", "N");

// --max-runs: 1 ... k_max_sweep_runs_raised.
const CLI::Validator k_max_runs_value(
    [](std::string& value) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long runs = value.empty() ? 0 : std::strtoll(value.c_str(), &end, 10);
        if (value.empty() || errno != 0 || *end != '\0' || runs < 1 || runs > k_max_sweep_runs_raised)
            return "needs an integer from 1 to " + std::to_string(k_max_sweep_runs_raised) + " (got \"" + value + "\")";
        return "";
    },
    "", "N");

// --shard K/N: 1 <= K <= N <= k_max_shards.
bool parse_shard(const std::string& value, ShardSpec& shard) {
    const std::size_t slash = value.find('/');
    if (slash == std::string::npos) return false;
    char* end = nullptr;
    errno = 0;
    const long k = std::strtol(value.c_str(), &end, 10);
    if (end != value.c_str() + slash || errno != 0) return false;
    const long n = std::strtol(value.c_str() + slash + 1, &end, 10);
    if (*end != '\0' || errno != 0 || slash + 1 == value.size() || k < 1 || n < 1 || k > n || n > k_max_shards)
        return false;
    shard = {static_cast<int>(k), static_cast<int>(n)};
    return true;
}

const CLI::Validator k_shard_value(
    [](std::string& value) -> std::string {
        ShardSpec shard;
        if (parse_shard(value, shard)) return "";
        return "needs K/N with 1 <= K <= N <= " + std::to_string(k_max_shards) + " (got \"" + value + "\")";
    },
    "", "K/N");

// The options of both commands. A repeated option takes its last value, as it always has.
void add_output_options(CLI::App& app, Options& options) {
    app.add_option("-o,--out", options.out_path, "write the JSON document to FILE instead of stdout")
        ->type_name("FILE")
        ->check(k_file_value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.add_flag("--eigenvalues", options.record.eigenvalues, "add the eigenvalues of W^T W to every probe");
    app.add_flag("--detail", options.record.detail,
                 "also add |V^T beta*| and the update analysis (implies --eigenvalues)");
    app.add_flag("-q,--quiet", options.quiet, "no progress line and no notes on stderr");
}

CLI::Option* add_jobs_option(CLI::App& app, int& jobs, const std::string& prefix) {
    return app
        .add_option("-j,--jobs", jobs,
                    prefix + "run N runs at once, each with max(1, T / N) threads, T = OMP_NUM_THREADS\n"
                             "or the number of cores (default 1)")
        ->type_name("N")
        ->check(k_jobs_value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

// A usage error: one line on stderr.
int fail_usage(std::string line) {
    for (char& c : line)
        if (c == '\n') c = ' ';
    std::fprintf(stderr, "spiketail: %s\n", line.c_str());
    return k_exit_input;
}

}  // namespace

int parse_arguments(int argc, char** argv, Options& options) {
    const std::string version = "spiketail " SPIKETAIL_VERSION;
    CLI::App app(k_description, "spiketail");
    app.get_formatter()->column_width(20);
    app.set_version_flag("--version", version);
    app.require_subcommand(1);
    app.footer(k_footer);  // before the commands, which copy it
    // The options may come before the command too (spiketail --quiet run): spiketail --help lists them so,
    // spiketail run --help and sweep --help as the command's. --jobs is refused for run below.
    add_output_options(app, options);
    CLI::Option* jobs_before_command = add_jobs_option(app, options.jobs, "sweep: ");

    CLI::App* run = app.add_subcommand("run", k_run_description);
    run->add_option("CONFIG", options.config_path, "a config; without it the study's single run")->type_name("");
    add_output_options(*run, options);
    run->set_version_flag("--version", version);
    run->allow_extras();  // checked below, to say that --jobs is sweep's rather than "not expected"

    CLI::App* sweep = app.add_subcommand("sweep", k_sweep_description);
    sweep->add_option("CONFIG", options.config_path, "a sweep config")->type_name("")->required();
    add_output_options(*sweep, options);
    add_jobs_option(*sweep, options.jobs, "");
    sweep->add_option("--max-runs", options.max_runs,
                      "allow up to N runs (default " + std::to_string(k_max_sweep_runs) + ", at most " +
                          std::to_string(k_max_sweep_runs_raised) + ")")
        ->type_name("N")
        ->check(k_max_runs_value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    std::string shard_text;
    CLI::Option* shard_option =
        sweep->add_option("--shard", shard_text,
                          "run only part K of N of the grid (parts balanced by predicted cost, docs/cluster.md);\n"
                          "--out then holds a partial document for spiketail merge")
            ->type_name("K/N")
            ->check(k_shard_value)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    sweep->add_flag("--resume", options.resume,
                    "skip the runs already in --out FILE (a partial or complete document of this sweep)");
    sweep->add_flag("--estimate", options.estimate,
                    "run nothing: write each run's predicted cost and time on one thread (docs/cluster.md),\n"
                    "and with --shard K/N which runs shard K holds");
    sweep->set_version_flag("--version", version);

    CLI::App* analyze = app.add_subcommand("analyze", k_analyze_description);
    analyze->add_option("FILE", options.files, "model files")->type_name("")->required()->check(k_file_value);
    analyze->add_option("-o,--out", options.out_path, "write the document to FILE (.csv: the table as CSV)")
        ->type_name("FILE")
        ->check(k_file_value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    analyze->add_option("-j,--jobs", options.jobs, "analyse N layers at once (default 1)")
        ->type_name("N")
        ->check(k_jobs_value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    analyze->add_option("--layers", options.layers_regex, "only layers whose name matches REGEX (ECMAScript, searched)")
        ->type_name("REGEX")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    analyze->add_option("--min-size", options.min_size,
                        "skip layers with fewer than N eigenvalues, M x slices (default 10, WeightWatcher's min_evals)")
        ->type_name("N")
        ->check(CLI::Range(0LL, 1LL << 40))
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    analyze->add_flag("-q,--quiet", options.quiet, "no progress line on stderr");
    analyze->set_version_flag("--version", version);

    CLI::App* merge = app.add_subcommand("merge", k_merge_description);
    merge->add_option("PART", options.parts, "sweep documents of one sweep (parts, progress saves)")
        ->type_name("")
        ->required();
    merge->add_option("-o,--out", options.out_path, "write the merged document to FILE instead of stdout")
        ->type_name("FILE")
        ->check(k_file_value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    merge->add_flag("--allow-missing", options.allow_missing, "exit 0 even when runs are missing");
    merge->add_flag("-q,--quiet", options.quiet, "no notes on stderr");
    merge->set_version_flag("--version", version);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);  // the command's help after a command, else the whole program's
        return k_exit_ok;
    } catch (const CLI::CallForVersion& e) {
        std::printf("%s\n", e.what());
        return k_exit_ok;
    } catch (const CLI::ParseError& e) {
        if (app.get_subcommands().empty()) {
            for (const std::string& arg : app.remaining())
                if (!looks_like_option(arg))
                    return fail_usage("unknown command \"" + arg + "\": run, sweep, merge or analyze (spiketail --help)");
            if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr)
                return fail_usage("no command given: run, sweep, merge or analyze (spiketail --help)");
        }
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && sweep->parsed())
            return fail_usage("sweep needs a CONFIG");
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && analyze->parsed())
            return fail_usage("analyze needs at least one FILE");
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && merge->parsed())
            return fail_usage("merge needs the PART files to merge");
        return fail_usage(e.what());
    }
    options.command = app.get_subcommands().front()->get_name();
    if (options.command == "analyze" && (options.record.eigenvalues || options.record.detail))
        return fail_usage("--eigenvalues and --detail apply to run and sweep");
    if (options.command == "run") {
        const std::vector<std::string> extras = run->remaining();
        if (jobs_before_command->count() > 0 || std::any_of(extras.begin(), extras.end(), is_jobs_option))
            return fail_usage("--jobs applies to sweep only");
        if (!extras.empty()) return fail_usage(CLI::ExtrasError(run->get_name(), extras).what());
    }
    if (shard_option->count() > 0) options.sharded = parse_shard(shard_text, options.shard);
    if (options.command == "sweep" && options.resume && (options.out_path.empty() || options.out_path == "-"))
        return fail_usage("--resume needs --out FILE: the file whose runs are kept");
    if (options.command == "sweep" && options.resume && options.estimate)
        return fail_usage("--estimate and --resume: --resume's --out is the file to complete, --estimate's where "
                          "the estimate goes; give one of them");
    if (options.command == "merge" && (options.record.eigenvalues || options.record.detail || jobs_before_command->count() > 0))
        return fail_usage("--eigenvalues, --detail and --jobs apply to run and sweep; merge keeps the parts' records");
    return -1;
}

}  // namespace spiketail
