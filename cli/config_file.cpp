#include "config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "io/config_json.hpp"
#include "io/json_document.hpp"
#include "reference_yaml.hpp"

namespace spiketail {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool read_text(const std::string& path, std::string& text, std::string& error) {
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        return true;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::string("cannot read the file: ") + std::strerror(errno);
        return false;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    return true;
}

}  // namespace

LoadedConfig load_config_file(const std::string& path) {
    LoadedConfig loaded;
    std::string text, error;
    if (!read_text(path, text, error)) {
        loaded.errors.push_back({"", error});  // the CLI names the file itself
        return loaded;
    }
    bool is_json = ends_with(path, ".json");
    if (!is_json && !ends_with(path, ".yml") && !ends_with(path, ".yaml")) {
        const auto first = text.find_first_not_of(" \t\r\n");
        is_json = first != std::string::npos && text[first] == '{';
    }

    if (is_json) {
        // Duplicate keys and overflowing numbers named by field, syntax errors by line and column.
        loaded.errors = parse_json_document(text, loaded.document);
        if (!loaded.errors.empty()) return loaded;
        if (!loaded.document.is_object()) {
            loaded.errors.push_back({"config", "expected a JSON object of config keys, got " +
                                                   json_type_phrase(loaded.document)});
            return loaded;
        }
        for (const char* key : {"optimizer", "lr"})
            if (loaded.document.contains(key) && loaded.document[key].is_array()) loaded.is_sweep = true;
        if (loaded.document.contains("vary")) loaded.is_sweep = true;
        return loaded;
    }

    ReferenceMapping mapping = map_reference_yaml(text);
    loaded.reference_yaml = true;
    loaded.document = std::move(mapping.document);
    loaded.is_sweep = mapping.is_sweep;
    loaded.ignored = std::move(mapping.ignored);
    loaded.notes = std::move(mapping.notes);
    loaded.errors = std::move(mapping.errors);
    return loaded;
}

}  // namespace spiketail
