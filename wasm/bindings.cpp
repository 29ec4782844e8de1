// The embind glue between the core and JavaScript: conversions only, no math (API in spiketail.d.ts).
// Documents cross as JSON strings (docs/schema.md); arrays leave as typed-array copies, so they stay valid
// after the heap grows and can be posted out of a Worker. Nothing throws: errors are status values.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/config_json.hpp"
#include "io/record_json.hpp"
#include "session.hpp"
#include "spectrum.hpp"
#include "sweep.hpp"

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
    bool probe_due() const { return ok() && m_session->probe_due(); }
    int step_count() const { return ok() ? m_session->step_count() : 0; }
    void set_num_steps(int n) {
        if (ok() && n >= 0) m_session->set_num_steps(n);
    }
    std::string status() const { return ok() ? to_string(m_session->status()) : "error"; }
    std::string message() const { return ok() ? m_session->message() : m_error; }
    std::string config() const { return ok() ? config_to_json(m_session->config()) : "{}"; }

    std::string probe(bool detail) {
        if (!ok()) return "{}";
        RecordOptions options;
        options.detail = detail;
        options.eigenvalues = detail;
        m_last = &m_session->probe();
        return probe_record_to_json(*m_last, options);
    }

    val eigenvalues() const { return array_of(m_last ? &m_last->spectrum.eigenvalues : nullptr); }
    val initial_eigenvalues() const { return array_of(ok() ? &m_session->initial_eigenvalues() : nullptr); }
    val update_singular_values() const { return array_of(m_last ? &m_last->update.singular_values : nullptr); }
    val v_beta_overlap() const { return array_of(m_last ? &m_last->v_beta_overlap : nullptr); }

    std::string weight_histogram(int bins) const {
        if (!ok() || bins < 1) return "{}";
        const MatrixF& W = m_session->student().W;
        const MatrixF W0 = m_session->initial_weights();
        const double lo = std::min(W.minCoeff(), W0.minCoeff()), hi = std::max(W.maxCoeff(), W0.maxCoeff());
        const Histogram now = histogram(W, bins, lo, hi), then = histogram(W0, bins, lo, hi);
        return nlohmann::json{{"edges", now.edges}, {"current", now.density}, {"initial", then.density}}.dump();
    }

private:
    static val array_of(const std::vector<double>* values) {
        static const std::vector<double> empty;
        return to_typed_array<float>(values ? *values : empty, "Float32Array");
    }

    std::unique_ptr<Session> m_session;
    std::string m_error;
    const ProbeRecord* m_last = nullptr;  // points into the session's history (or its diverged placeholder)
};

std::string default_config() { return config_to_json(Config{}); }

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
        .function("probeDue", &SessionHandle::probe_due)
        .function("stepCount", &SessionHandle::step_count)
        .function("setNumSteps", &SessionHandle::set_num_steps)
        .function("status", &SessionHandle::status)
        .function("message", &SessionHandle::message)
        .function("config", &SessionHandle::config)
        .function("eigenvalues", &SessionHandle::eigenvalues)
        .function("initialEigenvalues", &SessionHandle::initial_eigenvalues)
        .function("updateSingularValues", &SessionHandle::update_singular_values)
        .function("vBetaOverlap", &SessionHandle::v_beta_overlap)
        .function("weightHistogram", &SessionHandle::weight_histogram);
    function("defaultConfig", &default_config);
    function("validateConfig", &validate_config);
    function("estimateMemory", &estimate_memory);
    function("maxMemoryBytes", &max_memory_bytes);
    function("analyzeMatrix", &analyze_matrix);
    function("histogram", &histogram_of);
    function("mpDensity", &mp_density);
    function("expandSweep", &spiketail::expand_sweep_json);
    function("version", &version);
}
