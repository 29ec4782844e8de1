// JSON text -> nlohmann::json with every problem of the text named: its size, its nesting, a key given twice,
// a number beyond double's range, a syntax error. Configs and sweep documents are read through here (the CLI,
// and the wasm module through config_from_json / sweep_from_json), so both report the same messages.
//
// nlohmann::json keeps the last of two equal keys and reports "number overflow" without the field; a small
// token scanner runs first and follows every key with its position and its enclosing object, so that a
// duplicate is refused naming the key and both positions, and an overflowing number naming its field.
// Never throws (the wasm build cannot catch exceptions); nothing recurses on the document's depth.
// Method: docs/method.md §12; its limits in docs/limits.md.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "../config.hpp"

namespace spiketail {

// The largest config or sweep document (JSON or the reference's YAML) read, in bytes: 4 MiB. A config is a
// few hundred bytes; a sweep of 10,000 learning rates (k_max_sweep_list) about 250 KB.
constexpr std::size_t k_max_document_bytes = std::size_t{4} << 20;
// The deepest nesting of objects and arrays (JSON) or mappings and lists (YAML) in a config: 64. A config
// nests 3 deep (vary -> a parameter -> its list).
constexpr int k_max_document_depth = 64;

struct JsonScan {
    // Each names the field as the config errors do ("n", "lr_scheduler.gamma", "vary.n[1]", "lr[3]"; "json"
    // at the top level) and says where: a key given twice (both positions), a number beyond double's range,
    // nesting deeper than k_max_document_depth.
    std::vector<FieldError> errors;
    bool too_deep = false;           // the scan stopped at k_max_document_depth: do not parse the text
    bool complete = false;           // false when the scan stopped at a syntax error (json::parse names it)
};

// The scan alone: tokens (strings with their escapes, numbers, literals, punctuation), no tree.
JsonScan scan_json(const std::string& text);

// "line 3, column 7"
std::string text_position(std::size_t line, std::size_t column);

// A key as a field name in messages: the key itself, or `""` for the empty key, which would otherwise make a
// message with no field at all (`{"": 1}`).
std::string key_name(const std::string& key);

// Parses text into out (discarded on failure) and returns every problem, each naming its field or "json"
// with a position; empty when out holds the document. Checked in this order: the size
// (k_max_document_bytes), the nesting (k_max_document_depth), duplicate keys and overflowing numbers, then
// the syntax (json::parse's message with its line and column).
std::vector<FieldError> parse_json_document(const std::string& text, nlohmann::json& out);

}  // namespace spiketail
