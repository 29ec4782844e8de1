#include "config_file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "io/config_json.hpp"
#include "io/json_document.hpp"
#include "reference_yaml.hpp"

namespace spiketail {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Reads at most k_max_document_bytes + 1 bytes, so that /dev/zero, a FIFO that never ends or a huge file
// is refused on its size rather than read into memory.
bool read_bounded(std::istream& in, std::string& text, std::string& error) {
    text.clear();
    char buffer[65536];
    while (in && text.size() <= k_max_document_bytes) {
        in.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, k_max_document_bytes + 1 - text.size())));
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (text.size() > k_max_document_bytes) {
        error = "more than " + std::to_string(k_max_document_bytes) +
                " bytes (4 MiB), the limit of a config or sweep document";
        return false;
    }
    if (in.bad()) {
        error = std::string("cannot read the file: ") + std::strerror(errno);
        return false;
    }
    return true;
}

bool read_text(const std::string& path, std::string& text, std::string& error) {
    if (path == "-") return read_bounded(std::cin, text, error);
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
        error = "is a directory, not a config file";
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::string("cannot read the file: ") + std::strerror(errno);
        return false;
    }
    return read_bounded(in, text, error);
}

}  // namespace

LoadedConfig load_config_file(const std::string& path) {
    LoadedConfig loaded;
    std::string text, error;
    if (!read_text(path, text, error)) {
        loaded.errors.push_back({"", error});  // the CLI names the file itself
        return loaded;
    }
    // An empty file (/dev/null, an empty pipe) is a mistake more often than a wish for the defaults.
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        loaded.errors.push_back({"", "CONFIG is empty; `spiketail run` without CONFIG runs the study's defaults"});
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
