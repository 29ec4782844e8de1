// The embind glue between the core and JavaScript: conversions and argument checks only, no math (API in
// spiketail.d.mts). Documents cross as JSON strings (docs/schema.md); arrays leave as typed-array copies, so
// they stay valid after the heap grows and can be posted out of a Worker.
//
// Errors. A documented invalid input (a config, a sweep, a matrix that does not fit) comes back as a status
// value with a message naming the field. A call that is wrong in itself (an argument of the wrong type, NaN, a
// negative count, more histogram bins than k_max_histogram_bins) throws a JS Error (TypeError or RangeError)
// whose message names the function and the argument. It is never a C++ throw: this build cannot catch those,
// and JS would see a bare number (the exception's address) and the memory of the call would leak. Nor is it a
// JS throw from inside the call: that would skip the C++ destructors and embind's frees of the arguments. Such
// a call returns a Checked instead, and the JS side of that type (registered below) throws its Error once the
// call has returned and embind has freed the arguments: a refused call leaves nothing allocated. Every size
// that a call would allocate is checked against a cap before anything is allocated.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "figures.hpp"
#include "io/config_json.hpp"
#include "io/figures_json.hpp"
#include "io/json_document.hpp"
#include "io/record_json.hpp"
#include "io/sweep_stats_json.hpp"
#include "session.hpp"
#include "spectrum.hpp"
#include "sweep_glue.hpp"

using emscripten::val;
using namespace spiketail;

namespace {

// A call's outcome for JS: its value, or an Error object that the JS side throws (no value of this API is an
// Error object, so one is never mistaken for the other).
struct Checked {
    val value;

    static Checked of(val value) { return {std::move(value)}; }
    static Checked of(const std::string& text) { return {val(text)}; }
    static Checked undefined() { return {val::undefined()}; }
    // type: "Error", "TypeError" or "RangeError".
    static Checked error(const char* type, const std::string& message) {
        return {val::global(type).new_(message)};
    }
};

}  // namespace

namespace emscripten::internal {
// Checked crosses as an emval handle, like val; its JS conversion is register_checked_type's.
template <>
struct BindingType<Checked> {
    typedef EM_VAL WireType;
    static WireType toWireType(const Checked& checked) { return BindingType<val>::toWireType(checked.value); }
};
}  // namespace emscripten::internal

// The JS side of Checked: the value, or a throw of the Error. embind converts a call's return value after it
// has run the arguments' destructors (craftInvokerFunction), so the throw leaks nothing. registerType, Emval,
// __emval_decref and simpleReadValueFromPointer are embind's own (src/embind/*.js of Emscripten 3.1.6, where
// _embind_register_emval uses them the same way); tests/wasm/hostile.test.mjs checks the throw and the heap.
EM_JS(void, register_checked_type, (const void* raw_type), {
    registerType(raw_type, {
        name: "spiketail::Checked",
        "fromWireType": function(handle) {
            var value = Emval.toValue(handle);
            __emval_decref(handle);
            if (value instanceof Error) throw value;
            return value;
        },
        "toWireType": function(destructors, value) { return Emval.toHandle(value); },
        "argPackAdvance": 8,
        "readValueFromPointer": simpleReadValueFromPointer,
        destructorFunction: null
    });
});

// Calls fn(step) and catches what it throws, so that a throw does not unwind through the C++ frames (which
// would skip their destructors and leave the wasm stack pointer and a handle behind: 200,000 such throws
// broke the module). Returns 0, or a handle to the thrown value as an Error to rethrow once the call is over.
EM_JS(emscripten::EM_VAL, call_catching, (emscripten::EM_VAL fn, int step), {
    try {
        Emval.toValue(fn)(step);
        return 0;
    } catch (thrown) {
        var error = thrown;
        if (!(error instanceof Error)) {
            var text = "a value";
            try { text = String(thrown); } catch (ignored) {}
            error = new Error("Session.runToEnd: onTick threw " + text);
        }
        return Emval.toHandle(error);
    }
});

namespace {

// The longest JSON text a call reads that is not a config or a sweep (a run or sweep result, a probe record):
// 256 Mi characters, half of what V8 allows a string. Configs and sweeps have the core's cap,
// k_max_document_bytes (io/json_document.hpp). Checked on the JS string, before it is copied into the heap.
constexpr double k_max_result_document_chars = 256.0 * 1024 * 1024;

// ---- argument checks: each returns the message, empty when the argument is fine ----

// A number as JS prints it: "NaN", "-Infinity", "-1", "2.5", "10000000000", "1e+300".
std::string js_number(double x) {
    if (std::isnan(x)) return "NaN";
    if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
    char buffer[40];
    if (x == std::floor(x) && std::abs(x) < 1e21) {
        std::snprintf(buffer, sizeof buffer, "%.0f", x);
        return buffer;
    }
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
        if (std::strtod(buffer, nullptr) == x) break;
    }
    return buffer;
}


// What a JS value is, for a TypeError: "a string", "undefined", "null", "an Array", "a Float64Array", ...
std::string js_type_phrase(const val& v) {
    const std::string type = v.typeOf().as<std::string>();
    if (type == "undefined") return "undefined";
    if (type != "object") return "a " + type;
    if (v.isNull()) return "null";
    if (val::global("Array").call<bool>("isArray", v)) return "an Array";
    const val constructor = v["constructor"];
    if (constructor.typeOf().as<std::string>() == "function") {
        const val name = constructor["name"];
        if (name.isString()) {
            const std::string text = name.as<std::string>();
            if (!text.empty()) return std::string(std::string("AEIOU").find(text[0]) != std::string::npos ? "an " : "a ") + text;
        }
    }
    return "an object";
}

// x must be an integer in [lo, hi].
std::string integer_error(const std::string& where, const char* name, double x, double lo, double hi) {
    if (std::isfinite(x) && x == std::floor(x) && x >= lo && x <= hi) return "";
    const std::string range = std::isinf(hi) ? ">= " + js_number(lo) : "in " + js_number(lo) + ".." + js_number(hi);
    return where + ": " + name + " must be an integer " + range + " (got " + js_number(x) + ")";
}

// x must be a finite number (> 0 when positive).
std::string finite_error(const std::string& where, const char* name, double x, bool positive) {
    if (std::isfinite(x) && (!positive || x > 0)) return "";
    return where + ": " + name + " must be a finite number" + (positive ? " > 0" : "") + " (got " + js_number(x) + ")";
}

// A JS typed array of numbers: its length; -1 for anything else (a plain Array, a DataView, a BigInt64Array).
double typed_array_length(const val& v) {
    if (v.typeOf().as<std::string>() != "object" || v.isNull()) return -1;
    if (!val::global("ArrayBuffer").call<bool>("isView", v) || v.instanceof(val::global("DataView"))) return -1;
    for (const char* big : {"BigInt64Array", "BigUint64Array"}) {
        const val type = val::global(big);
        if (!type.isUndefined() && v.instanceof(type)) return -1;
    }
    return v["length"].as<double>();
}

// A JSON text argument, read into `text` unless it is not a string (the TypeError's message) or has more than
// max_chars characters (the message, without the function's name): nothing is copied then.
struct DocumentArg {
    std::string text, type_error, too_long;
    bool ok() const { return type_error.empty() && too_long.empty(); }
};
DocumentArg read_document(const val& v, const std::string& where, const char* name, double max_chars) {
    DocumentArg arg;
    if (!v.isString()) {
        arg.type_error = where + ": " + name + " must be a string of JSON (got " + js_type_phrase(v) + ")";
        return arg;
    }
    if (const double length = v["length"].as<double>(); length > max_chars) {
        arg.too_long = "the document is " + js_number(length) + " characters long, more than the limit of " +
                       js_number(max_chars) +
                       (max_chars == k_max_document_bytes ? " bytes (4 MiB) a config or sweep document may have"
                                                          : " characters a document may have");
        return arg;
    }
    arg.text = v.as<std::string>();
    return arg;
}
// A config or a sweep: the core's cap.
DocumentArg read_config_document(const val& v, const std::string& where, const char* name) {
    return read_document(v, where, name, static_cast<double>(k_max_document_bytes));
}

// True when the heap can hold a block of this many bytes now (it grows to it if it can). Tried before a call
// allocates its largest arrays, so that a call the heap cannot take is refused with a message rather than
// failing half-way (Eigen and std::vector report a failed allocation by a C++ throw, which this build
// cannot catch). The block is freed again: the allocator then serves the call from the memory it holds.
bool heap_can_hold(double bytes) {
    if (!(bytes >= 0) || bytes > k_max_memory_bytes) return false;
    void* volatile block = std::malloc(static_cast<std::size_t>(bytes));  // volatile: the probe is not elided
    if (!block) return false;
    std::free(block);
    return true;
}

// Copies a typed array of numbers into the heap: the message when it is not one, when its copy as T would
// be above k_max_memory_bytes, or when the heap cannot hold it now; nothing is allocated then.
template <typename T>
std::string copy_numbers(const val& array, const std::string& where, const char* name, std::vector<T>& out) {
    const double length = typed_array_length(array);
    if (length < 0)
        return where + ": " + name + " must be a typed array of numbers such as a Float64Array (got " +
               js_type_phrase(array) + ")";
    const double bytes = length * sizeof(T);
    if (bytes > k_max_memory_bytes)
        return where + ": " + name + " holds " + js_number(length) + " numbers, " + bytes_text(bytes) +
               " in the heap, above the cap of " + bytes_text(k_max_memory_bytes);
    if (!heap_can_hold(bytes))
        return where + ": the wasm heap cannot hold a copy of " + name + " (" + bytes_text(bytes) + ") now";
    out.resize(static_cast<std::size_t>(length));
    val heap_view(emscripten::typed_memory_view(out.size(), out.data()));  // a view, not a copy
    heap_view.call<void>("set", array);
    return "";
}

// A copy of a vector as a new JS typed array of element type T.
template <typename T, typename Source>
val to_typed_array(const std::vector<Source>& values, const char* js_type) {
    if constexpr (std::is_same_v<T, Source>) {
        return val::global(js_type).new_(emscripten::typed_memory_view(values.size(), values.data()));
    } else {
        const std::vector<T> converted(values.begin(), values.end());
        return val::global(js_type).new_(emscripten::typed_memory_view(converted.size(), converted.data()));
    }
}

std::string errors_document(const std::vector<FieldError>& errors) { return field_errors_to_json(errors).dump(); }

// "n: must be an integer >= 1 (got 0); lr: ..."
std::string errors_line(const std::vector<FieldError>& errors) {
    std::string line;
    for (const FieldError& e : errors) line += (line.empty() ? "" : "; ") + format_field_error(e);
    return line;
}

// A run or sweep result, a probe record, any document: a TypeError when not a string, a RangeError when
// longer than k_max_result_document_chars; an undefined value when fine.
Checked result_document_refused(const val& v, const std::string& where, const char* name) {
    if (!v.isString())
        return Checked::error("TypeError", where + ": " + name + " must be a string of JSON (got " + js_type_phrase(v) + ")");
    if (v["length"].as<double>() > k_max_result_document_chars)
        return Checked::error("RangeError", where + ": " + name + " has " + js_number(v["length"].as<double>()) +
                                                " characters, more than the limit of " +
                                                js_number(k_max_result_document_chars) + " a document may have");
    return Checked::undefined();
}
DocumentArg read_result_document(const val& v, const std::string& where, const char* name) {
    return read_document(v, where, name, k_max_result_document_chars);
}

class SessionHandle {
public:
    // A config that is not a string, too long, or invalid (including a run above the memory cap,
    // k_max_memory_bytes: validate() checks it) leaves the handle not ok(), with the errors in error().
    explicit SessionHandle(const val& config_json) {
        const DocumentArg config = read_config_document(config_json, "Session", "the config");
        if (!config.ok()) {
            refuse({{"json", config.type_error.empty() ? config.too_long : config.type_error}});
            return;
        }
        ConfigParse parsed = config_from_json(config.text);
        if (!parsed.ok()) {
            refuse(parsed.errors);
            return;
        }
        m_session = std::make_unique<Session>(parsed.config);
    }

    bool ok() const { return m_session != nullptr; }
    std::string error() const { return m_error; }

    // k: an integer >= 0; at most the steps left of the budget are taken (Session::step).
    Checked step(double k) {
        if (!ok()) return not_ok("Session.step");
        if (std::string e = integer_error("Session.step", "k", k, 0, INFINITY); !e.empty())
            return Checked::error(std::isnan(k) ? "TypeError" : "RangeError", e);
        return Checked::of(val(m_session->step(static_cast<int>(std::min(k, 2147483647.0)))));
    }
    // One tick of the run's schedule (Session::advance): the rule of when to probe lives in the core alone.
    Advance advance() {
        if (!ok()) return {};
        const Advance tick = m_session->advance();
        if (tick.probed) m_last = &m_session->history().back();
        return tick;
    }
    bool can_advance() const { return ok() && m_session->can_advance(); }
    // The whole run as a run document; on_tick(step) after each tick when a function. A throw from on_tick
    // stops the run after that tick and is rethrown to the caller once this call is over.
    Checked run_to_end(bool detail, const val& on_tick) {
        if (!ok()) return Checked::of(std::string("{}"));
        const std::string type = on_tick.typeOf().as<std::string>();
        const bool report = type == "function";
        if (!report && !on_tick.isNull() && !on_tick.isUndefined())
            return Checked::error("TypeError", "Session.runToEnd: onTick must be a function or null (got " +
                                                   js_type_phrase(on_tick) + ")");
        // Session::run_to_end's loop (tick while can_advance), here so that a throwing on_tick can end it.
        while (m_session->can_advance()) {
            if (m_session->advance().probed) m_last = &m_session->history().back();  // on_tick may read it
            if (!report) continue;
            if (emscripten::EM_VAL thrown = call_catching(on_tick.as_handle(), m_session->step_count()))
                return Checked::of(val::take_ownership(thrown));
        }
        if (!m_session->history().empty()) m_last = &m_session->history().back();
        return Checked::of(run_to_json_value(*m_session, record_options(detail)).dump());
    }
    int step_count() const { return ok() ? m_session->step_count() : 0; }
    // n: an integer in 0..2^31 - 1 (num_steps' range).
    Checked set_num_steps(double n) {
        if (!ok()) return not_ok("Session.setNumSteps");
        if (std::string e = integer_error("Session.setNumSteps", "n", n, 0, 2147483647.0); !e.empty())
            return Checked::error(std::isnan(n) ? "TypeError" : "RangeError", e);
        m_session->set_num_steps(static_cast<int>(n));
        return Checked::undefined();
    }
    std::string status() const { return ok() ? to_string(m_session->status()) : "error"; }
    std::string message() const { return ok() ? m_session->message() : m_error; }
    std::string config() const { return ok() ? config_to_json(m_session->config()) : "{}"; }

    std::string probe(bool detail) {
        if (!ok()) return "{}";
        m_last = &m_session->probe();
        return probe_record_to_json(*m_last, record_options(detail));
    }
    // The record of the last probe (advance, runToEnd or probe), or "{}" before any.
    std::string last_record(bool detail) const {
        return m_last ? probe_record_to_json(*m_last, record_options(detail)) : "{}";
    }

    val eigenvalues() const { return array_of(m_last ? &m_last->spectrum.eigenvalues : nullptr); }
    val initial_eigenvalues() const { return array_of(ok() ? &m_session->initial_eigenvalues() : nullptr); }
    val update_singular_values() const { return array_of(m_last ? &m_last->update.singular_values : nullptr); }
    val v_beta_overlap() const { return array_of(m_last ? &m_last->v_beta_overlap : nullptr); }

    // The ESD figures of the last probe against the initial ESD (figures.hpp).
    std::string esd_figure() const {
        if (!m_last) return "{}";
        const SpectralSummary& s = m_last->spectrum;
        const EsdFigure f = spiketail::esd_figure(s.eigenvalues, m_session->initial_eigenvalues(), s.mp,
                                                  fit_line(s.hill), fit_line(s.ks));
        return esd_figure_to_json_value(f).dump();
    }
    // Entries of W now and at initialisation on k_weight_bins bins (figures.hpp).
    std::string weight_figure() const {
        if (!ok()) return "null";
        return weight_figure_to_json_value(
                   spiketail::weight_figure(m_session->student().W, m_session->initial_weights()))
            .dump();
    }

private:
    void refuse(const std::vector<FieldError>& errors) {
        m_error = errors_document(errors);
        m_error_line = errors_line(errors);
    }
    Checked not_ok(const char* where) const {
        return Checked::error("Error", std::string(where) + ": the session's config was refused (" + m_error_line + ")");
    }
    static RecordOptions record_options(bool detail) {
        RecordOptions options;
        options.detail = detail;
        options.eigenvalues = detail;
        return options;
    }
    static val array_of(const std::vector<double>* values) {
        static const std::vector<double> empty;
        return to_typed_array<float>(values ? *values : empty, "Float32Array");
    }

    std::unique_ptr<Session> m_session;
    std::string m_error, m_error_line;  // the refused config's errors: JSON, and as one line
    const ProbeRecord* m_last = nullptr;  // points into the session's history (or its diverged placeholder)
};

std::string default_config() { return config_to_json(Config{}); }
std::string config_schema() { return config_schema_to_json_value().dump(); }
std::string method_constants() { return method_constants_to_json_value().dump(); }

Checked validate_config(const val& json) {
    const DocumentArg config = read_config_document(json, "validateConfig", "configJson");
    if (!config.type_error.empty()) return Checked::error("TypeError", config.type_error);
    ConfigParse parsed;
    if (config.ok())
        parsed = config_from_json(config.text);
    else
        parsed.errors.push_back({"json", config.too_long});
    nlohmann::ordered_json out;
    out["ok"] = parsed.ok();
    out["errors"] = field_errors_to_json(parsed.errors);
    if (parsed.ok()) out["config"] = config_to_json_value(parsed.config);
    return Checked::of(out.dump());
}

// The estimate of a config whose fields are valid, also when it is above the memory cap (the "memory" error
// is what the estimate is for); any other error throws, with the errors in the Error's `errors`.
Checked estimate_memory(const val& json) {
    const DocumentArg config = read_config_document(json, "estimateMemory", "configJson");
    if (!config.type_error.empty()) return Checked::error("TypeError", config.type_error);
    ConfigParse parsed;
    if (config.ok())
        parsed = config_from_json(config.text);
    else
        parsed.errors.push_back({"json", config.too_long});
    std::vector<FieldError> errors;
    for (const FieldError& e : parsed.errors)
        if (e.field != "memory") errors.push_back(e);
    if (!errors.empty()) {
        Checked refused = Checked::error("Error", "estimateMemory: the config is invalid: " + errors_line(errors));
        refused.value.set("errors", val::global("JSON").call<val>("parse", errors_document(errors)));
        return refused;
    }
    return Checked::of(val(estimate_memory_bytes(parsed.config)));
}

double max_memory_bytes() { return k_max_memory_bytes; }

nlohmann::ordered_json matrix_refused(const std::string& message) {
    nlohmann::ordered_json out;
    out["ok"] = false;
    out["error"] = message;
    return out;
}

Checked analyze_matrix(const val& values, double rows, double cols) {
    const std::string where = "analyzeMatrix";
    const std::pair<const char*, double> shape[] = {{"rows", rows}, {"cols", cols}};
    for (const auto& [name, x] : shape)
        if (std::string e = integer_error(where, name, x, 1, 2147483647.0); !e.empty())
            return Checked::error(std::isnan(x) ? "TypeError" : "RangeError", e);
    const double length = typed_array_length(values);
    if (length < 0)
        return Checked::error("TypeError", where + ": values must be a typed array of numbers such as a Float32Array (got " +
                                               js_type_phrase(values) + ")");
    // The matrix, its Gram matrix and the eigensolver's work (analyze_spectrum_memory_bytes) under the cap
    // that a run has (k_max_memory_bytes), checked from the shape before anything is copied.
    const double bytes = analyze_spectrum_memory_bytes(rows, cols);
    if (bytes > k_max_memory_bytes)
        return Checked::of(matrix_refused("a " + js_number(rows) + " x " + js_number(cols) + " matrix needs about " +
                                          bytes_text(bytes) + " to analyse, above the cap of " +
                                          bytes_text(k_max_memory_bytes))
                               .dump());
    if (length != rows * cols) return Checked::of(matrix_refused("values must hold rows x cols numbers").dump());
    if (!heap_can_hold(bytes))
        return Checked::of(matrix_refused("the wasm heap cannot hold the " + bytes_text(bytes) +
                                          " the analysis needs now").dump());
    // Row-major rows x cols is column-major cols x rows: W^T, read without a second copy. Its squared
    // singular values, norms, fits and MP law (symmetric in rows and cols) are those of W.
    MatrixF Wt(static_cast<Eigen::Index>(cols), static_cast<Eigen::Index>(rows));
    val heap_view(emscripten::typed_memory_view(static_cast<std::size_t>(Wt.size()), Wt.data()));
    heap_view.call<void>("set", values);
    if (!Wt.allFinite()) return Checked::of(matrix_refused("the matrix contains a non-finite entry").dump());
    ProbeRecord record;
    record.spectrum = analyze_spectrum(Wt, 0.0);
    Wt.resize(0, 0);
    RecordOptions options;
    options.eigenvalues = true;
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["ok"] = true;
    // The spectral fields of a probe record only: a plain matrix has no step, lr, losses, kta or sim_w_beta.
    nlohmann::ordered_json fields = probe_record_to_json_value(record, options);
    for (const char* training : {"step", "lr", "train_loss", "test_loss", "kta", "sim_w_beta"}) fields.erase(training);
    for (auto& field : fields.items()) out[field.key()] = std::move(field.value());
    return Checked::of(out.dump());
}

Checked histogram_of(const val& values, double bins, double lo, double hi) {
    const std::string where = "histogram";
    if (std::string e = integer_error(where, "bins", bins, 1, k_max_histogram_bins); !e.empty())
        return Checked::error(std::isnan(bins) ? "TypeError" : "RangeError", e);
    const std::pair<const char*, double> range[] = {{"lo", lo}, {"hi", hi}};
    for (const auto& [name, x] : range)
        if (std::string e = finite_error(where, name, x, false); !e.empty())
            return Checked::error(std::isnan(x) ? "TypeError" : "RangeError", e);
    std::vector<double> data;
    if (std::string e = copy_numbers(values, where, "values", data); !e.empty())
        return Checked::error(typed_array_length(values) < 0 ? "TypeError" : "RangeError", e);
    Histogram hist = histogram(data, static_cast<int>(bins), lo, hi);
    std::vector<double>().swap(data);
    return Checked::of(nlohmann::json{{"edges", hist.edges}, {"density", hist.density}}.dump());
}

Checked mp_density(const val& xs, double rows, double cols, double variance) {
    const std::string where = "mpDensity";
    const std::pair<const char*, double> law_parameters[] = {{"rows", rows}, {"cols", cols}, {"variance", variance}};
    for (const auto& [name, x] : law_parameters)
        if (std::string e = finite_error(where, name, x, true); !e.empty())
            return Checked::error(std::isnan(x) ? "TypeError" : "RangeError", e);
    std::vector<double> x;
    if (std::string e = copy_numbers(xs, where, "x", x); !e.empty())
        return Checked::error(typed_array_length(xs) < 0 ? "TypeError" : "RangeError", e);
    for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isnan(x[i]))  // ±Infinity lies outside the support: density 0
            return Checked::error("TypeError", where + ": x[" + std::to_string(i) + "] is NaN");
    MpLaw law;
    law.rows = rows;
    law.cols = cols;
    law.variance = variance;
    for (double& v : x) v = law.density(v);
    return Checked::of(to_typed_array<double>(x, "Float64Array"));
}

// The ESD figure of a stored run's probe record (an imported file), drawn exactly as a live one.
Checked esd_figure_of(const val& config_json, const val& record_json, const val& initial) {
    const std::string where = "esdFigureOf";
    const std::pair<const char*, const val*> documents[] = {{"configJson", &config_json}, {"recordJson", &record_json}};
    for (const auto& [name, v] : documents)  // checked before either is copied
        if (Checked refused = result_document_refused(*v, where, name); !refused.value.isUndefined()) return refused;
    std::vector<double> initial_values;
    if (std::string e = copy_numbers(initial, where, "initialEigenvalues", initial_values); !e.empty())
        return Checked::error(typed_array_length(initial) < 0 ? "TypeError" : "RangeError", e);
    const nlohmann::json config =
        nlohmann::json::parse(read_result_document(config_json, where, "configJson").text, nullptr, false);
    const nlohmann::json record =
        nlohmann::json::parse(read_result_document(record_json, where, "recordJson").text, nullptr, false);
    const EsdFigure f = esd_figure_from_record(config, record, initial_values);
    return Checked::of(esd_figure_to_json_value(f).dump());
}

// Mean ± std over repeats of a sweep's runs (sweep_stats.hpp): the statistics its figures draw.
Checked summarize_sweep_json(const val& runs_json) {
    if (Checked refused = result_document_refused(runs_json, "summarizeSweep", "runsJson"); !refused.value.isUndefined())
        return refused;
    const nlohmann::json runs =
        nlohmann::json::parse(read_result_document(runs_json, "summarizeSweep", "runsJson").text, nullptr, false);
    return Checked::of(sweep_summary_to_json_value(summarize_sweep(sweep_outcomes_from_json(runs))).dump());
}

// A document laid out as the CLI writes its files (dump_document): "" when the text is not JSON.
Checked format_document(const val& json) {
    if (Checked refused = result_document_refused(json, "formatDocument", "json"); !refused.value.isUndefined())
        return refused;
    const std::string text = read_result_document(json, "formatDocument", "json").text;
    // Writing a document recurses on its depth (parsing does not): refused beyond the depth a config may have,
    // which is far beyond a run's or a sweep's (5 levels), before the stack would overflow.
    if (scan_json(text).too_deep)
        return Checked::error("RangeError", "formatDocument: json nests deeper than " +
                                                std::to_string(k_max_document_depth) + " levels of objects and arrays");
    const nlohmann::ordered_json document = nlohmann::ordered_json::parse(text, nullptr, false);
    return Checked::of(document.is_discarded() ? std::string() : dump_document(document));
}

// A sweep document's runs (sweep_glue.hpp); the sweep's own caps (k_max_sweep_runs, ...) refuse it before it
// is expanded.
Checked expand_sweep_checked(const val& json) {
    const DocumentArg sweep = read_config_document(json, "expandSweep", "sweepJson");
    if (!sweep.type_error.empty()) return Checked::error("TypeError", sweep.type_error);
    if (!sweep.ok()) {  // the answer of an invalid sweep (sweep_glue.hpp)
        nlohmann::ordered_json out;
        out["ok"] = false;
        out["errors"] = field_errors_to_json({{"json", sweep.too_long}});
        out["runs"] = nlohmann::ordered_json::array();
        return Checked::of(out.dump());
    }
    return Checked::of(spiketail::expand_sweep_json(sweep.text));
}

std::string version() { return "0.1.0"; }

}  // namespace

EMSCRIPTEN_BINDINGS(spiketail) {
    using namespace emscripten;
    register_checked_type(internal::TypeID<Checked>::get());
    class_<SessionHandle>("Session")
        .constructor<val>()
        .function("ok", &SessionHandle::ok)
        .function("error", &SessionHandle::error)
        .function("step", &SessionHandle::step)
        .function("probe", &SessionHandle::probe)
        .function("advance", &SessionHandle::advance)
        .function("canAdvance", &SessionHandle::can_advance)
        .function("runToEnd", &SessionHandle::run_to_end)
        .function("lastRecord", &SessionHandle::last_record)
        .function("stepCount", &SessionHandle::step_count)
        .function("setNumSteps", &SessionHandle::set_num_steps)
        .function("status", &SessionHandle::status)
        .function("message", &SessionHandle::message)
        .function("config", &SessionHandle::config)
        .function("eigenvalues", &SessionHandle::eigenvalues)
        .function("initialEigenvalues", &SessionHandle::initial_eigenvalues)
        .function("updateSingularValues", &SessionHandle::update_singular_values)
        .function("vBetaOverlap", &SessionHandle::v_beta_overlap)
        .function("esdFigure", &SessionHandle::esd_figure)
        .function("weightFigure", &SessionHandle::weight_figure);
    value_object<Advance>("Advance").field("stepped", &Advance::stepped).field("probed", &Advance::probed);
    function("defaultConfig", &default_config);
    function("configSchema", &config_schema);
    function("methodConstants", &method_constants);
    function("validateConfig", &validate_config);
    function("estimateMemory", &estimate_memory);
    function("maxMemoryBytes", &max_memory_bytes);
    function("analyzeMatrix", &analyze_matrix);
    function("histogram", &histogram_of);
    function("mpDensity", &mp_density);
    function("esdFigureOf", &esd_figure_of);
    function("summarizeSweep", &summarize_sweep_json);
    function("formatDocument", &format_document);
    function("expandSweep", &expand_sweep_checked);
    function("version", &version);
}
