// The embind glue between the core and JavaScript: conversions only, no math (API in spiketail.d.mts).
// Documents cross as JSON strings (docs/schema.md); arrays leave as typed-array copies, so they stay valid
// after the heap grows and can be posted out of a Worker. Nothing throws: errors are status values.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "figures.hpp"
#include "io/config_json.hpp"
#include "io/figures_json.hpp"
#include "io/record_json.hpp"
#include "io/sweep_stats_json.hpp"
#include "session.hpp"
#include "spectrum.hpp"
#include "sweep_glue.hpp"

using emscripten::val;
using namespace spiketail;

namespace {

// A copy of a vector as a new JS typed array of element type T.
template <typename T, typename Source>
val to_typed_array(const std::vector<Source>& values, const char* js_type) {
    std::vector<T> converted(values.begin(), values.end());
    return val::global(js_type).new_(emscripten::typed_memory_view(converted.size(), converted.data()));
}

// A JS typed array (or plain array) copied into the wasm heap in one call to TypedArray.set.
template <typename T>
std::vector<T> from_typed_array(const val& array) {
    const std::size_t length = array["length"].as<std::size_t>();
    std::vector<T> out(length);
    val heap_view(emscripten::typed_memory_view(length, out.data()));  // a view, not a copy
    heap_view.call<void>("set", array);
    return out;
}

std::string errors_document(const std::vector<FieldError>& errors) { return field_errors_to_json(errors).dump(); }

class SessionHandle {
public:
    explicit SessionHandle(const std::string& config_json) {
        ConfigParse parsed = config_from_json(config_json);
        if (!parsed.ok()) {
            m_error = errors_document(parsed.errors);
            return;
        }
        m_session = std::make_unique<Session>(parsed.config);
    }

    bool ok() const { return m_session != nullptr; }
    std::string error() const { return m_error; }
    int step(int k) { return ok() ? m_session->step(k) : 0; }
    // One tick of the run's schedule (Session::advance): the rule of when to probe lives in the core alone.
    Advance advance() {
        if (!ok()) return {};
        const Advance tick = m_session->advance();
        if (tick.probed) m_last = &m_session->history().back();
        return tick;
    }
    bool can_advance() const { return ok() && m_session->can_advance(); }
    // The whole run (Session::run_to_end) as a run document; on_tick(step) after each tick when a function.
    std::string run_to_end(bool detail, const val& on_tick) {
        if (!ok()) return "{}";
        const bool report = on_tick.typeOf().as<std::string>() == "function";
        m_session->run_to_end([&](const Session& s, const Advance&) {
            if (report) on_tick(s.step_count());
        });
        if (!m_session->history().empty()) m_last = &m_session->history().back();
        return run_to_json_value(*m_session, record_options(detail)).dump();
    }
    int step_count() const { return ok() ? m_session->step_count() : 0; }
    void set_num_steps(int n) {
        if (ok() && n >= 0) m_session->set_num_steps(n);
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
    // Entries of W now and at initialisation (figures.hpp).
    std::string weight_figure() const {
        if (!ok()) return "null";
        return weight_figure_to_json_value(
                   spiketail::weight_figure(m_session->student().W, m_session->initial_weights()))
            .dump();
    }

private:
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
    std::string m_error;
    const ProbeRecord* m_last = nullptr;  // points into the session's history (or its diverged placeholder)
};

std::string default_config() { return config_to_json(Config{}); }
std::string config_schema() { return config_schema_to_json_value().dump(); }

std::string validate_config(const std::string& json) {
    const ConfigParse parsed = config_from_json(json);
    nlohmann::ordered_json out;
    out["ok"] = parsed.ok();
    out["errors"] = field_errors_to_json(parsed.errors);
    if (parsed.ok()) out["config"] = config_to_json_value(parsed.config);
    return out.dump();
}

double estimate_memory(const std::string& json) {
    const ConfigParse parsed = config_from_json(json);
    return estimate_memory_bytes(parsed.config);
}

double max_memory_bytes() { return k_max_memory_bytes; }

std::string analyze_matrix(const val& values, int rows, int cols) {
    if (rows < 1 || cols < 1 || values["length"].as<double>() != static_cast<double>(rows) * cols)
        return R"({"ok":false,"error":"values must hold rows x cols numbers"})";
    const std::vector<float> data = from_typed_array<float>(values);
    // Row-major input: map it as the transpose of a column-major cols x rows matrix.
    const MatrixF W = Eigen::Map<const MatrixF>(data.data(), cols, rows).transpose();
    if (!W.allFinite()) return R"({"ok":false,"error":"the matrix contains a non-finite entry"})";
    ProbeRecord record;
    record.spectrum = analyze_spectrum(W, 0.0);
    RecordOptions options;
    options.eigenvalues = true;
    nlohmann::ordered_json out = probe_record_to_json_value(record, options);
    out["ok"] = true;
    return out.dump();
}

std::string histogram_of(const val& values, int bins, double lo, double hi) {
    const Histogram hist = histogram(from_typed_array<double>(values), bins, lo, hi);
    return nlohmann::json{{"edges", hist.edges}, {"density", hist.density}}.dump();
}

val mp_density(const val& xs, double rows, double cols, double variance) {
    MpLaw law;
    law.rows = rows;
    law.cols = cols;
    law.variance = variance;
    std::vector<double> x = from_typed_array<double>(xs);
    for (double& v : x) v = law.density(v);
    return to_typed_array<double>(x, "Float64Array");
}

// The ESD figure of a stored run's probe record (an imported file), drawn exactly as a live one.
std::string esd_figure_of(const std::string& config_json, const std::string& record_json, const val& initial) {
    const nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
    const nlohmann::json record = nlohmann::json::parse(record_json, nullptr, false);
    const EsdFigure f = esd_figure_from_record(config, record, from_typed_array<double>(initial));
    return esd_figure_to_json_value(f).dump();
}

// Mean ± std over repeats of a sweep's runs (sweep_stats.hpp): the statistics its figures draw.
std::string summarize_sweep_json(const std::string& runs_json) {
    const nlohmann::json runs = nlohmann::json::parse(runs_json, nullptr, false);
    return sweep_summary_to_json_value(summarize_sweep(sweep_outcomes_from_json(runs))).dump();
}

// A document laid out as the CLI writes its files (dump_document): "" when the text is not JSON.
std::string format_document(const std::string& json) {
    const nlohmann::ordered_json document = nlohmann::ordered_json::parse(json, nullptr, false);
    return document.is_discarded() ? std::string() : dump_document(document);
}

std::string version() { return "0.1.0"; }

}  // namespace

EMSCRIPTEN_BINDINGS(spiketail) {
    using namespace emscripten;
    class_<SessionHandle>("Session")
        .constructor<std::string>()
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
    function("validateConfig", &validate_config);
    function("estimateMemory", &estimate_memory);
    function("maxMemoryBytes", &max_memory_bytes);
    function("analyzeMatrix", &analyze_matrix);
    function("histogram", &histogram_of);
    function("mpDensity", &mp_density);
    function("esdFigureOf", &esd_figure_of);
    function("summarizeSweep", &summarize_sweep_json);
    function("formatDocument", &format_document);
    function("expandSweep", &spiketail::expand_sweep_json);
    function("version", &version);
}
