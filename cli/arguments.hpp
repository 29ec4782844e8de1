// The spiketail command line: its commands, options, help text and exit statuses (parsed with CLI11).
//
//   spiketail run   [CONFIG] [--out FILE] [--eigenvalues] [--detail] [--quiet]
//   spiketail sweep CONFIG   [--out FILE] [--jobs N] [--max-runs N] [--shard K/N] [--resume] [--estimate]
//                            [--eigenvalues] [--detail] [--quiet]
//   spiketail merge PART...  [--out FILE] [--allow-missing] [--quiet]
//   spiketail analyze FILE... [--out FILE.json|FILE.csv] [--jobs N] [--layers REGEX] [--min-size N] [--quiet]
//   spiketail --help | --version        (and spiketail COMMAND --help)
#pragma once
#include <string>
#include <vector>

#include "io/record_json.hpp"
#include "sweep.hpp"
#include "sweep_shard.hpp"

namespace spiketail {

constexpr int k_exit_ok = 0;      // done (a diverged run is a result, not a failure)
constexpr int k_exit_output = 1;  // the output could not be written
constexpr int k_exit_input = 2;   // bad input: usage, file, syntax, an unknown key or a value out of range
constexpr int k_exit_incomplete = 3;  // merge: runs of the sweep are missing (the merged, partial document is written)

struct Options {
    std::string command;      // "run", "sweep", "merge" or "analyze"
    std::string config_path;  // empty: run's defaults (the study's single run); "-": stdin
    std::string out_path;     // empty: stdout
    RecordOptions record;
    int jobs = 1;  // sweep only
    long long max_runs = k_max_sweep_runs;  // sweep only: --max-runs, at most k_max_sweep_runs_raised
    bool sharded = false;   // sweep --shard K/N
    ShardSpec shard;
    bool resume = false;    // sweep --resume: skip the runs already in --out
    bool estimate = false;  // sweep --estimate: print the cost model's prediction instead of running
    std::vector<std::string> parts;  // merge: the documents to merge
    bool allow_missing = false;      // merge: exit 0 even when runs are missing
    bool quiet = false;
    // analyze only
    std::vector<std::string> files;
    std::string layers_regex;       // empty: every layer
    long long min_size = 10;        // WeightWatcher's min_evals: a layer needs M * rf >= this
};

// Parses the command line into options. Returns -1 when the command is to run, else the exit status to leave
// with: k_exit_ok after --help or --version (printed on stdout), k_exit_input after a usage error (one line
// on stderr that names it).
int parse_arguments(int argc, char** argv, Options& options);

}  // namespace spiketail
