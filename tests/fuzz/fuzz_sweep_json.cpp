// Fuzz target: a sweep document as `spiketail sweep` and the page's expandSweep read it — core/io/sweep_json.hpp
// sweep_from_json (which runs validate_sweep), then, when it is valid and small, expand_sweep and the documents
// written from it. Checks: every error names a field; a valid spec expands to count_sweep_runs runs, at most
// k_max_sweep_runs, each a valid config; the spec, written back as the sweep file's "config", reads back to
// itself.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "io/config_json.hpp"
#include "io/sweep_json.hpp"
#include "sweep.hpp"

using namespace spiketail;
using fuzz::check;

namespace {
// Expansion is linear in the runs; beyond this many the target checks only the count (throughput).
constexpr long long k_max_expanded = 256;
const auto k_replace = nlohmann::ordered_json::error_handler_t::replace;  // as wasm/sweep_glue.cpp dumps
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const SweepParse parsed = sweep_from_json(text);
    fuzz::check_errors(parsed.errors, text.find("\"\"") != std::string::npos);
    (void)field_errors_to_json(parsed.errors).dump(-1, ' ', false, k_replace);
    if (!parsed.ok()) return 0;

    const SweepSpec& spec = parsed.spec;
    const long long count = count_sweep_runs(spec);
    check(count >= 1 && count <= k_max_sweep_runs, "a valid sweep outside 1..k_max_sweep_runs runs");
    if (count <= k_max_expanded) {
        const std::vector<SweepRun> runs = expand_sweep(spec);
        check(static_cast<long long>(runs.size()) == count, "expand_sweep and count_sweep_runs disagree");
        for (const SweepRun& run : runs) {
            check(validate(run.config).empty(), "a valid sweep expands to an invalid run");
            (void)sweep_run_to_json_value(run).dump(-1, ' ', false, k_replace);
        }
    }
    const std::string written = sweep_spec_to_json_value(spec).dump();
    const SweepParse again = sweep_from_json(written);
    check(again.ok(), "a valid sweep's config, written out, does not read back as valid");
    check(sweep_spec_to_json_value(again.spec).dump() == written, "a valid sweep's config reads back as another sweep");
    return 0;
}
