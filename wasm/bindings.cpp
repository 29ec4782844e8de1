// The embind glue between the core and JavaScript: conversions only, no math (API in spiketail.d.mts).
// Documents cross as JSON strings (docs/schema.md); arrays leave as typed-array copies, so they stay valid
// after the heap grows and can be posted out of a Worker. Arguments are checked, and wrong calls refused, as
// arguments.hpp says.
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

#include "arguments.hpp"
#include "elementwise.hpp"
#include "figures.hpp"
#include "io/config_json.hpp"
#include "io/findings_json.hpp"
#include "io/figures_json.hpp"
#include "io/json_document.hpp"
#include "io/record_json.hpp"
#include "io/sweep_stats_json.hpp"
#include "parallel.hpp"
#include "session.hpp"
#include "spectrum.hpp"
#include "model_glue.hpp"
#include "sweep_glue.hpp"

using emscripten::val;
using namespace spiketail;


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

using namespace spiketail::glue;

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
        const ConfigParse parsed = config_from_json(config.text);
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
        if (Checked refused = check_integer("Session.step", "k", k, 0, INFINITY); refused.refused()) return refused;
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
        val thrown = val::undefined();
        m_session->run_to_end([&](const Session& s, const Advance& tick) {
            if (tick.probed) m_last = &s.history().back();  // on_tick may read it
            if (!report) return true;
            if (emscripten::EM_VAL error = call_catching(on_tick.as_handle(), s.step_count())) {
                thrown = val::take_ownership(error);
                return false;  // the run stops after this tick
            }
            return true;
        });
        if (!thrown.isUndefined()) return Checked::of(thrown);
        if (!m_session->history().empty()) m_last = &m_session->history().back();
        return Checked::of(run_to_json_value(*m_session, record_options(detail)).dump());
    }
    int step_count() const { return ok() ? m_session->step_count() : 0; }
    // n: an integer in 0..2^31 - 1 (num_steps' range).
    Checked set_num_steps(double n) {
        if (!ok()) return not_ok("Session.setNumSteps");
        if (Checked refused = check_integer("Session.setNumSteps", "n", n, 0, 2147483647.0); refused.refused())
            return refused;
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
        const EsdFigure f = spiketail::esd_figure(s.eigenvalues, m_session->initial_eigenvalues(), m_session->initial_mp_law(),
                                                  fit_line(s.hill), fit_line(s.ks), m_session->esd_range());
        return esd_figure_to_json_value(f).dump();
    }
    // The ESD figures' range widened to [log_lo, log_hi] (e.g. a pinned run's, so both runs share the bins).
    Checked widen_esd_range(double log_lo, double log_hi) {
        if (!ok()) return not_ok("Session.widenEsdRange");
        if (Checked refused = check_range("Session.widenEsdRange", log_lo, log_hi); refused.refused()) return refused;
        m_session->widen_esd_range(EsdRange{log_lo, log_hi});
        return Checked::undefined();
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

// A config argument parsed: a document too long is an error on the field "json", as a syntax error is.
ConfigParse parse_config_argument(const DocumentArg& config) {
    if (config.ok()) return config_from_json(config.text);
    ConfigParse parsed;
    parsed.errors.push_back({"json", config.too_long});
    return parsed;
}

Checked validate_config(const val& json) {
    const DocumentArg config = read_config_document(json, "validateConfig", "configJson");
    if (!config.type_error.empty()) return document_refusal(config, "validateConfig");
    const ConfigParse parsed = parse_config_argument(config);
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
    if (!config.type_error.empty()) return document_refusal(config, "estimateMemory");
    const ConfigParse parsed = parse_config_argument(config);
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
        if (Checked refused = check_integer(where, name, x, 1, 2147483647.0); refused.refused()) return refused;
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
    if (!all_finite(Wt)) return Checked::of(matrix_refused("the matrix contains a non-finite entry").dump());
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
    if (Checked refused = check_integer(where, "bins", bins, 1, k_max_histogram_bins); refused.refused()) return refused;
    const std::pair<const char*, double> range[] = {{"lo", lo}, {"hi", hi}};
    for (const auto& [name, x] : range)
        if (Checked refused = check_finite(where, name, x, false); refused.refused()) return refused;
    std::vector<double> data;
    if (Checked refused = copy_numbers(values, where, "values", data); refused.refused()) return refused;
    Histogram hist = histogram(data, static_cast<int>(bins), lo, hi);
    std::vector<double>().swap(data);
    return Checked::of(nlohmann::json{{"edges", hist.edges}, {"density", hist.density}}.dump());
}

Checked mp_density(const val& xs, double rows, double cols, double variance) {
    const std::string where = "mpDensity";
    const std::pair<const char*, double> law_parameters[] = {{"rows", rows}, {"cols", cols}, {"variance", variance}};
    for (const auto& [name, x] : law_parameters)
        if (Checked refused = check_finite(where, name, x, true); refused.refused()) return refused;
    std::vector<double> x;
    if (Checked refused = copy_numbers(xs, where, "x", x); refused.refused()) return refused;
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

// The ESD figure of a stored probe record, binned over `range` (empty: its own eigenvalues' range).
Checked stored_esd_figure(const std::string& where, const val& config_json, const val& record_json, const val& initial,
                          const EsdRange& range) {
    const DocumentArg config_text = read_result_document(config_json, where, "configJson");
    if (!config_text.ok()) return document_refusal(config_text, where);
    const DocumentArg record_text = read_result_document(record_json, where, "recordJson");
    if (!record_text.ok()) return document_refusal(record_text, where);
    std::vector<double> initial_values;
    if (Checked refused = copy_numbers(initial, where, "initialEigenvalues", initial_values); refused.refused())
        return refused;
    const nlohmann::json config = nlohmann::json::parse(config_text.text, nullptr, false);
    const nlohmann::json record = nlohmann::json::parse(record_text.text, nullptr, false);
    return Checked::of(esd_figure_to_json_value(esd_figure_from_record(config, record, initial_values, range)).dump());
}

// The ESD figure of a stored run's probe record (an imported file), drawn exactly as a live one.
Checked esd_figure_of(const val& config_json, const val& record_json, const val& initial) {
    return stored_esd_figure("esdFigureOf", config_json, record_json, initial, EsdRange{});
}

// The ESD figure of a stored record binned over [log_lo, log_hi] widened by its eigenvalues (a pinned run drawn
// on the live run's bins).
Checked esd_figure_in(const val& config_json, const val& record_json, const val& initial, double log_lo,
                      double log_hi) {
    if (Checked refused = check_range("esdFigureIn", log_lo, log_hi); refused.refused()) return refused;
    return stored_esd_figure("esdFigureIn", config_json, record_json, initial, EsdRange{log_lo, log_hi});
}

// [log_lo, log_hi] widened to hold the eigenvalues (figures.hpp grow_esd_range); log_lo >= log_hi: empty so far.
// A Float64Array [lo, hi], empty ([]) when neither the range nor the values hold an eigenvalue above the floor.
Checked grow_esd_range_of(const val& eigenvalues, double log_lo, double log_hi) {
    const std::string where = "growEsdRange";
    const std::pair<const char*, double> ends[] = {{"logLo", log_lo}, {"logHi", log_hi}};
    for (const auto& [name, x] : ends)
        if (Checked refused = check_finite(where, name, x, false); refused.refused()) return refused;
    std::vector<double> values;
    if (Checked refused = copy_numbers(eigenvalues, where, "eigenvalues", values); refused.refused()) return refused;
    const EsdRange range = grow_esd_range(EsdRange{log_lo, log_hi}, values);
    const std::vector<double> out = range.empty() ? std::vector<double>{} : std::vector<double>{range.log_lo, range.log_hi};
    return Checked::of(to_typed_array<double>(out, "Float64Array"));
}

// Mean ± std over repeats of a sweep's runs (sweep_stats.hpp): the statistics its figures draw.
Checked summarize_sweep_json(const val& runs_json) {
    const DocumentArg text = read_result_document(runs_json, "summarizeSweep", "runsJson");
    if (!text.ok()) return document_refusal(text, "summarizeSweep");
    const nlohmann::json runs = nlohmann::json::parse(text.text, nullptr, false);
    return Checked::of(sweep_summary_to_json_value(summarize_sweep(sweep_outcomes_from_json(runs))).dump());
}

// What runs show, for the tour's captions (findings.hpp): run documents in, their findings out.
Checked run_findings_json(const val& runs_json) {
    const DocumentArg text = read_result_document(runs_json, "runFindings", "runsJson");
    if (!text.ok()) return document_refusal(text, "runFindings");
    return Checked::of(runs_findings_json(nlohmann::json::parse(text.text, nullptr, false)).dump());
}

// What a sweep shows (findings.hpp), from its runs as summarizeSweep takes them.
Checked sweep_findings_json(const val& runs_json) {
    const DocumentArg text = read_result_document(runs_json, "sweepFindings", "runsJson");
    if (!text.ok()) return document_refusal(text, "sweepFindings");
    const nlohmann::json runs = nlohmann::json::parse(text.text, nullptr, false);
    return Checked::of(sweep_findings_to_json_value(sweep_findings(summarize_sweep(sweep_outcomes_from_json(runs)))).dump());
}

// A document laid out as the CLI writes its files (dump_document): "" when the text is not JSON.
Checked format_document(const val& json) {
    const DocumentArg argument = read_result_document(json, "formatDocument", "json");
    if (!argument.ok()) return document_refusal(argument, "formatDocument");
    const std::string& text = argument.text;
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
    if (!sweep.type_error.empty()) return document_refusal(sweep, "expandSweep");
    if (!sweep.ok()) {  // the answer of an invalid sweep (sweep_glue.hpp)
        nlohmann::ordered_json out;
        out["ok"] = false;
        out["errors"] = field_errors_to_json({{"json", sweep.too_long}});
        out["runs"] = nlohmann::ordered_json::array();
        return Checked::of(out.dump());
    }
    return Checked::of(spiketail::expand_sweep_json(sweep.text));
}

// Import and Resume: sweep documents collected onto one grid (sweep_glue.hpp); Export: the document of a grid.
// Both write parts of the request back (recursively, as formatDocument does): refused beyond the depth a
// sweep document may have, as formatDocument refuses it.
Checked sweep_request(const val& json, const std::string& where, std::string (*answer)(const std::string&)) {
    const DocumentArg request = read_result_document(json, where, "requestJson");
    if (!request.ok()) return document_refusal(request, where);
    if (scan_json(request.text).too_deep)
        return Checked::error("RangeError", where + ": requestJson nests deeper than " +
                                                std::to_string(k_max_document_depth) + " levels of objects and arrays");
    return Checked::of(answer(request.text));
}

Checked collect_sweep_checked(const val& json) { return sweep_request(json, "collectSweep", &spiketail::collect_sweep_json); }
Checked sweep_document_checked(const val& json) { return sweep_request(json, "sweepDocument", &spiketail::sweep_document_json); }

std::string version() { return "0.1.0"; }

// The threads of the products and the ESD's reduction (core/parallel.hpp): 1 in the single-thread module; in the
// threaded one at most 1 + the factory's helperThreads (the Web Workers started with it).
int threads() { return spiketail::thread_count(); }
Checked set_threads(double threads) {
    if (Checked refused = check_integer("setThreads", "threads", threads, 1, spiketail::k_max_threads); refused.refused())
        return refused;
    return Checked::of(val(spiketail::set_thread_count(static_cast<int>(threads))));
}

}  // namespace

EMSCRIPTEN_BINDINGS(spiketail) {
    using namespace emscripten;
    register_checked();
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
        .function("widenEsdRange", &SessionHandle::widen_esd_range)
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
    function("esdFigureIn", &esd_figure_in);
    function("growEsdRange", &grow_esd_range_of);
    function("summarizeSweep", &summarize_sweep_json);
    function("formatDocument", &format_document);
    function("runFindings", &run_findings_json);
    function("sweepFindings", &sweep_findings_json);
    function("expandSweep", &expand_sweep_checked);
    function("collectSweep", &collect_sweep_checked);
    function("sweepDocument", &sweep_document_checked);
    function("version", &version);
    function("threads", &threads);
    function("setThreads", &set_threads);
    register_model_functions();
}
