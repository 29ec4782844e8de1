// Fuzz target: a JSON config as the CLI reads CONFIG.json and the page's validateConfig checks it —
// core/io/config_json.hpp config_from_json (size, nesting, duplicate keys, overflowing numbers, syntax, types,
// ranges, memory). Checks beyond "no crash, no sanitizer report": every error names a field; the answer dumps as
// validateConfig dumps it (strictly, so the input being UTF-8 as a page's string always is); a valid config,
// written back as a run document holds it, reads back to itself.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "io/config_json.hpp"

using namespace spiketail;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const ConfigParse parsed = config_from_json(text);
    fuzz::check_errors(parsed.errors, text.find("\"\"") != std::string::npos);

    nlohmann::ordered_json answer;  // as wasm/bindings.cpp validate_config
    answer["ok"] = parsed.ok();
    answer["errors"] = field_errors_to_json(parsed.errors);
    if (parsed.ok()) answer["config"] = config_to_json_value(parsed.config);
    if (fuzz::is_utf8(text))
        (void)answer.dump();  // throws (an uncaught exception: a crash) on a message that is not UTF-8
    else
        (void)answer.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);

    if (parsed.ok()) {
        const std::string written = config_to_json(parsed.config);
        const ConfigParse again = config_from_json(written);
        check(again.ok(), "a valid config, written out, does not read back as valid");
        check(config_to_json(again.config) == written, "a valid config, written out, reads back as another config");
    }
    return 0;
}
