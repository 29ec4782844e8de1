// The reference implementation's YAML configs -> spiketail documents (see reference_yaml.hpp).
#include "reference_yaml.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "io/config_json.hpp"
#include "io/json_document.hpp"

namespace spiketail {
namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

bool is_one_of(const std::string& s, std::initializer_list<const char*> words) {
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return s == w; });
}

bool all_digits(const std::string& s, std::size_t from) {
    if (from >= s.size()) return false;
    return std::all_of(s.begin() + from, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

ordered scalar_to_json(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    // Quoted scalars ('adam', "0.1") carry the non-specific tag "!": they are strings as written.
    if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return s;
    if (is_one_of(s, {"", "~", "null", "Null", "NULL"})) return nullptr;
    if (is_one_of(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) return true;
    if (is_one_of(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) return false;
    if (is_one_of(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return std::numeric_limits<double>::infinity();
    if (is_one_of(s, {"-.inf", "-.Inf", "-.INF"})) return -std::numeric_limits<double>::infinity();
    if (is_one_of(s, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();
    if (all_digits(s, (s[0] == '-' || s[0] == '+') ? 1 : 0)) {
        errno = 0;
        const long long value = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == 0) return value;
    }
    // A number as the reference's users write them: 0.01, 1e-2, 1.5E+3 (not "inf"/"nan" words).
    const bool numeric_chars = std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    });
    if (numeric_chars && std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        char* end = nullptr;
        const double value = std::strtod(s.c_str(), &end);
        if (end && *end == '\0') return value;
    }
    return s;
}

ordered node_to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar: return scalar_to_json(node);
        case YAML::NodeType::Sequence: {
            ordered out = ordered::array();
            for (const YAML::Node& child : node) out.push_back(node_to_json(child));
            return out;
        }
        case YAML::NodeType::Map: {
            ordered out = ordered::object();
            for (const auto& pair : node) {
                if (!pair.first.IsScalar()) throw YAML::Exception(pair.first.Mark(), "a key must be a plain word");
                out[pair.first.Scalar()] = node_to_json(pair.second);
            }
            return out;
        }
        default: return nullptr;  // Null, Undefined
    }
}

std::string mark_position(const YAML::Mark& mark) { return text_position(mark.line + 1, mark.column + 1); }

// Ends the first pass at its first structural problem (thrown from the event handler through yaml-cpp).
struct StopPass {};

// The first pass (check_yaml_text): follows the events of yaml-cpp's parser with a stack of the open
// mappings and lists, so that every node has its key path, and never builds a node.
class BoundedYamlHandler : public YAML::EventHandler {
public:
    std::vector<FieldError> errors;

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++m_documents > 1)
            stop("yaml", "a second YAML document (---) at " + mark_position(mark) +
                             "; a config is one document, and the first would be read alone");
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { node(mark, anchor, nullptr, false); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        stop(field_here(), "aliases (*name) and anchors (&name) are not supported (the reference's configs use "
                           "none), at " + mark_position(mark));
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
        node(mark, anchor, &value, false);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        node(mark, anchor, nullptr, true);
        open(mark, false);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        node(mark, anchor, nullptr, true);
        open(mark, true);
    }
    void OnMapEnd() override { close(); }
    void OnAnchor(const YAML::Mark& mark, const std::string&) override {
        stop(field_here(), "anchors (&name) and aliases (*name) are not supported (the reference's configs use "
                           "none), at " + mark_position(mark));
    }

private:
    struct Frame {
        bool map = false;
        std::string path;         // the field the container is ("" for the document)
        std::size_t index = 0;    // lists: the index of the next item
        bool expect_key = false;  // mappings: the next node is a key
        std::string key;          // mappings: the key whose value comes next
        std::unordered_map<std::string, YAML::Mark> seen;
    };

    [[noreturn]] void stop(const std::string& field, const std::string& message) {
        errors.push_back({field.empty() ? "yaml" : field, message});
        throw StopPass{};
    }
    // The path of the node about to start (a key of a mapping names the mapping).
    std::string field_here() const {
        if (m_stack.empty()) return "";
        const Frame& f = m_stack.back();
        if (f.map) return f.expect_key ? f.path : (f.path.empty() ? f.key : f.path + "." + f.key);
        return f.path + "[" + std::to_string(f.index) + "]";
    }

    // Every node: counted, anchors refused; a key of a mapping is checked and remembered.
    void node(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string* scalar, bool container) {
        if (++m_nodes > k_max_yaml_nodes)
            stop("yaml", "more than " + std::to_string(k_max_yaml_nodes) +
                             " nodes (values, lists, mappings), the limit of a YAML config, at " + mark_position(mark));
        if (anchor != YAML::NullAnchor)
            stop(field_here(), "anchors (&name) and aliases (*name) are not supported (the reference's configs use "
                               "none), at " + mark_position(mark));
        if (m_stack.empty() || !m_stack.back().map || !m_stack.back().expect_key) {
            if (!container) finish_value();
            return;
        }
        Frame& f = m_stack.back();
        if (!scalar) stop(f.path, "a key must be a plain word, at " + mark_position(mark));
        const auto [first, inserted] = f.seen.emplace(*scalar, mark);
        f.key = *scalar;
        f.expect_key = false;
        if (!inserted)
            errors.push_back({f.path.empty() ? f.key : f.path + "." + f.key,
                              "duplicate key: at " + mark_position(first->second) + " and again at " +
                                  mark_position(mark) + " (give each key once; YAML would keep only the last)"});
    }
    void open(const YAML::Mark& mark, bool map) {
        if (m_stack.size() >= static_cast<std::size_t>(k_max_document_depth))  // named after the key above the lists
            stop(field_here().substr(0, field_here().find('[')), "nested deeper than " + std::to_string(k_max_document_depth) +
                                   " levels of mappings and lists, at " + mark_position(mark));
        Frame frame;
        frame.map = map;
        frame.path = field_here();
        frame.expect_key = map;
        m_stack.push_back(std::move(frame));
    }
    void close() {
        if (!m_stack.empty()) m_stack.pop_back();
        finish_value();
    }
    // A value of the enclosing container is complete.
    void finish_value() {
        if (m_stack.empty()) return;
        Frame& f = m_stack.back();
        if (f.map)
            f.expect_key = true;
        else
            ++f.index;
    }

    std::vector<Frame> m_stack;
    long m_nodes = 0;
    int m_documents = 0;
};

// Reference keys that only steer its plots, caches or evaluation batching; spiketail accepts and ignores them.
const char* const k_ignored_keys[] = {"batch_size_test", "probe_weights", "probe_features", "plot_overlaps",
                                      "enable_ww", "lightweight"};
const char* const k_varying_params[] = {"n", "label_noise_std", "reg_lambda", "gamma"};

bool read_count(const ordered& value, const char* field, long long lo, long long& out, std::vector<FieldError>& errors) {
    if (!value.is_number_integer() || value.get<long long>() < lo) {
        errors.push_back({field, "expected an integer >= " + std::to_string(lo) + ", got " + json_type_phrase(json(value))});
        return false;
    }
    out = value.get<long long>();
    return true;
}

}  // namespace

std::vector<FieldError> check_yaml_text(const std::string& yaml_text) {
    if (yaml_text.size() > k_max_document_bytes)
        return {{"yaml", "the document is " + std::to_string(yaml_text.size()) + " bytes, more than the limit of " +
                             std::to_string(k_max_document_bytes) + " bytes (4 MiB) a config may have"}};
    BoundedYamlHandler handler;
    try {
        std::istringstream in(yaml_text);
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(handler)) {
        }
    } catch (const StopPass&) {
    } catch (const YAML::Exception& e) {  // a syntax error, with its line and column
        handler.errors.push_back({"yaml", e.what()});
    }
    return std::move(handler.errors);
}

nlohmann::ordered_json yaml_to_json(const std::string& yaml_text) {
    const std::vector<FieldError> problems = check_yaml_text(yaml_text);
    if (!problems.empty()) throw YAML::Exception(YAML::Mark::null_mark(), format_field_error(problems.front()));
    return node_to_json(YAML::Load(yaml_text));
}

ReferenceMapping map_reference_yaml(const std::string& yaml_text) {
    ReferenceMapping m;
    m.errors = check_yaml_text(yaml_text);  // bounded, before any tree is built
    if (!m.errors.empty()) return m;
    ordered source;
    try {
        source = node_to_json(YAML::Load(yaml_text));
    } catch (const YAML::Exception& e) {
        m.errors.push_back({"yaml", e.what()});
        return m;
    }
    if (source.is_null()) {  // only comments: as empty as an empty file
        m.errors.push_back({"config", "the YAML document has no keys; `spiketail run` without CONFIG runs the study's defaults"});
        return m;
    }
    if (!source.is_object()) {
        m.errors.push_back({"config", "expected a mapping of keys, got " + json_type_phrase(json(source))});
        return m;
    }

    const std::vector<std::string> spiketail_keys = config_keys();
    json& out = m.document;
    const ordered* num_epochs = nullptr;
    const ordered* batch_size = nullptr;
    const ordered* scheduler_cls = nullptr;
    const ordered* scheduler_kwargs = nullptr;
    const ordered* varying = nullptr;
    for (auto it = source.begin(); it != source.end(); ++it) {
        const std::string& key = it.key();
        const ordered& value = it.value();
        if (key == "L") {
            if (!(value.is_number_integer() && value.get<long long>() == 2))
                m.errors.push_back({"L", "only the two-layer network (L = 2) is supported, got " + json_type_phrase(json(value))});
        } else if (key == "num_epochs") {
            num_epochs = &value;
        } else if (key == "batch_size") {
            batch_size = &value;
        } else if (key == "probe_freq_steps") {
            out["probe_every"] = value;
        } else if (key == "lr_scheduler_cls") {
            scheduler_cls = &value;
        } else if (key == "lr_scheduler_kwargs") {
            scheduler_kwargs = &value;
        } else if (key == "varying_param") {
            varying = &value;
        } else if (std::find(std::begin(k_ignored_keys), std::end(k_ignored_keys), key) != std::end(k_ignored_keys)) {
            m.ignored.push_back(key);
        } else if (std::find(spiketail_keys.begin(), spiketail_keys.end(), key) != spiketail_keys.end()) {
            out[key] = value;  // same name and meaning in both (n, lr, optimizer, reg_lambda, ...)
        } else {
            m.errors.push_back({key, "unknown key: neither the reference implementation nor spiketail has it"});
        }
    }
    auto conflict = [&](const char* reference_key, const char* spiketail_key) {
        m.errors.push_back({spiketail_key, std::string("give either ") + reference_key + " (reference) or " +
                                               spiketail_key + " (spiketail), not both"});
    };
    if (source.contains("probe_freq_steps") && source.contains("probe_every")) conflict("probe_freq_steps", "probe_every");

    // Steps: the reference takes ceil(n / batch_size) optimiser steps per epoch; spiketail is full-batch.
    if (num_epochs) {
        long long epochs = 0;
        if (source.contains("num_steps")) {
            conflict("num_epochs", "num_steps");
        } else if (read_count(*num_epochs, "num_epochs", 0, epochs, m.errors)) {
            const bool varies_n = varying && varying->is_string() && varying->get<std::string>() == "n";
            long long n = 2000;  // Config's default when the file gives none
            if (source.contains("n") && source["n"].is_number_integer()) n = source["n"].get<long long>();
            long long batch = n;
            if (batch_size && !varies_n) read_count(*batch_size, "batch_size", 1, batch, m.errors);
            // The reference's bulk scripts set batch_size = n for each n of a study.
            const long long per_epoch = varies_n || n < 1 ? 1 : n / batch + (n % batch != 0 ? 1 : 0);
            // num_steps is an int: refuse a product beyond it rather than let it wrap (checked by division,
            // so that the product itself is never formed when it would overflow 64 bits).
            constexpr long long max_steps = std::numeric_limits<int>::max();
            if (epochs > max_steps / per_epoch) {
                m.errors.push_back({"num_epochs", std::to_string(epochs) + " epochs x " + std::to_string(per_epoch) +
                                                      " step" + (per_epoch > 1 ? "s" : "") +
                                                      " per epoch (ceil(n / batch_size)) is more than the " +
                                                      std::to_string(max_steps) + " steps a run can take"});
            } else {
                out["num_steps"] = epochs * per_epoch;
            }
            if (per_epoch > 1 && out.contains("num_steps"))
                m.notes.push_back("batch_size " + std::to_string(batch) + " < n " + std::to_string(n) +
                                  ": the reference takes " + std::to_string(per_epoch) +
                                  " mini-batch steps per epoch; spiketail takes as many full-batch steps (num_steps " +
                                  std::to_string(epochs * per_epoch) + ")");
        }
    } else if (batch_size) {
        m.ignored.push_back("batch_size");
    }

    // StepLR, the reference's only scheduler.
    if (scheduler_cls) {
        if (source.contains("lr_scheduler")) conflict("lr_scheduler_cls", "lr_scheduler");
        if (!(scheduler_cls->is_string() && scheduler_cls->get<std::string>() == "StepLR")) {
            m.errors.push_back({"lr_scheduler_cls", "only \"StepLR\" is supported, got " + json_type_phrase(json(*scheduler_cls))});
        } else if (!scheduler_kwargs || !scheduler_kwargs->is_object() || !scheduler_kwargs->contains("step_size")) {
            m.errors.push_back({"lr_scheduler_kwargs", "StepLR needs an object with step_size (and gamma)"});
        } else {
            json scheduler = {{"gamma", 0.1}};  // PyTorch's default gamma
            for (auto it = scheduler_kwargs->begin(); it != scheduler_kwargs->end(); ++it) {
                if (it.key() == "step_size" || it.key() == "gamma")
                    scheduler[it.key()] = it.value();
                else
                    m.errors.push_back({"lr_scheduler_kwargs." + it.key(), "not supported (step_size and gamma are)"});
            }
            out["lr_scheduler"] = scheduler;
        }
    } else if (scheduler_kwargs) {
        m.ignored.push_back("lr_scheduler_kwargs");
        m.notes.push_back("lr_scheduler_kwargs without lr_scheduler_cls: the reference uses no schedule, nor does spiketail");
    }

    // A parameter study: the varied key holds the list of values.
    if (varying) {
        m.is_sweep = true;
        const std::string param = varying->is_string() ? varying->get<std::string>() : "";
        if (std::find(std::begin(k_varying_params), std::end(k_varying_params), param) == std::end(k_varying_params)) {
            m.errors.push_back({"varying_param", "must be one of \"n\", \"label_noise_std\", \"reg_lambda\", \"gamma\", got " +
                                                     json_type_phrase(json(*varying))});
        } else {
            json* holder = param == "gamma" ? (out.contains("lr_scheduler") ? &out["lr_scheduler"] : nullptr) : &out;
            const std::string field = param == "gamma" ? "lr_scheduler_kwargs.gamma" : param;
            if (!holder || !holder->contains(param) || !(*holder)[param].is_array()) {
                m.errors.push_back({field, "varying_param names it, so it must be a list of values"});
            } else {
                out["vary"] = {{param, (*holder)[param]}};
                holder->erase(param);
            }
        }
    }
    for (const char* key : {"optimizer", "lr"})
        if (out.contains(key) && out[key].is_array()) m.is_sweep = true;
    // The reference's repeat counts repeats: 1 or more (a spiketail config's repeat is an index instead).
    if (out.contains("repeat")) {
        int repeats = 0;
        if (json_read_int(out["repeat"], "repeat", repeats, m.errors) && repeats < 1)
            m.errors.push_back({"repeat", "the number of repeats must be an integer >= 1 (got " + std::to_string(repeats) + ")"});
        else if (repeats > 1)
            m.is_sweep = true;
    }
    return m;
}

}  // namespace spiketail
