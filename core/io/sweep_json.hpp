// Sweep documents <-> SweepSpec / SweepRun (docs/schema.md, "Sweep"; sweep.hpp for what a sweep is).
//
// Parsing never throws, as config_json.hpp's: every problem comes back as a FieldError naming the field,
// a list entry as lr[2], optimizer[0] or vary.n[1].
// Method: docs/method.md §7.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "../config.hpp"
#include "../sweep.hpp"

namespace spiketail {

// A sweep document: a config (docs/schema.md) whose "optimizer" and "lr" may be lists, whose "repeat" is
// the number of repeats (>= 1, default 1), with an optional "vary": {param: [values]} (one parameter).
struct SweepParse {
    SweepSpec spec;
    std::vector<FieldError> errors;
    bool ok() const { return errors.empty(); }
};
// A list longer than k_max_sweep_list is refused before its entries are read, and a document of more than
// max_runs runs (validate_sweep, from the list sizes) before anything is expanded.
SweepParse sweep_from_json(const std::string& text, long long max_runs = k_max_sweep_runs);
SweepParse sweep_from_json_value(const nlohmann::json& value, long long max_runs = k_max_sweep_runs);

// The spec in the same form: the resolved base config with "optimizer", "lr" as lists, "repeat" as the
// count and "vary" when a parameter is varied.
nlohmann::ordered_json sweep_spec_to_json_value(const SweepSpec& spec);

// One expanded run without results: {"config", "optimizer", "lr", "repeat", "param", "value"};
// param and value are null when the sweep varies no parameter.
nlohmann::ordered_json sweep_run_to_json_value(const SweepRun& run);

}  // namespace spiketail
