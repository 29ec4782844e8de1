// spiketail: the command-line front end. The commands and files only; the science is in core/, the command
// line (options, help, exit statuses) in arguments.hpp, sweeps in sweep_command.hpp, merging in merge_command.hpp.
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "analyze.hpp"
#include "arguments.hpp"
#include "config_file.hpp"
#include "io/config_json.hpp"
#include "io/record_json.hpp"
#include "merge_command.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "session.hpp"
#include "sweep_command.hpp"
#include "wait_policy.hpp"

namespace spiketail {
namespace {

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

}  // namespace
}  // namespace spiketail

int main(int argc, char** argv) {
    using namespace spiketail;
    ensure_passive_wait_policy(argv);
    Options options;
    if (const int status = parse_arguments(argc, argv, options); status >= 0) return status;
    std::vector<std::string> inputs = options.files;  // analyze's files and merge's parts are read, never written
    inputs.insert(inputs.end(), options.parts.begin(), options.parts.end());
    inputs.push_back(options.config_path);
    if (const OutputResult target = check_output_target(options.out_path, inputs); !target.ok)
        return fail_input(target.error);
    install_output_signal_cleanup(/*defer=*/options.command == "sweep");
    try {
        if (options.command == "analyze") return command_analyze(options);
        if (options.command == "merge") return command_merge(options);
        return options.command == "run" ? command_run(options) : command_sweep(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "spiketail: %s\n", e.what());
        return k_exit_output;
    }
}
