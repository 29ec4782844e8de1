#include "arguments.hpp"

#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "io/config_json.hpp"
#include "io/json_document.hpp"

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

namespace spiketail::glue {
namespace {

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

// NaN is a wrong type (embind turns "abc" into NaN); any other value out of range a RangeError.
Checked number_refusal(double x, const std::string& message) {
    return Checked::error(std::isnan(x) ? "TypeError" : "RangeError", message);
}

}  // namespace

void register_checked() { register_checked_type(emscripten::internal::TypeID<Checked>::get()); }

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

Checked check_integer(const std::string& where, const char* name, double x, double lo, double hi) {
    if (std::isfinite(x) && x == std::floor(x) && x >= lo && x <= hi) return Checked::undefined();
    const std::string range = std::isinf(hi) ? ">= " + js_number(lo) : "in " + js_number(lo) + ".." + js_number(hi);
    return number_refusal(x, where + ": " + name + " must be an integer " + range + " (got " + js_number(x) + ")");
}

Checked check_finite(const std::string& where, const char* name, double x, bool positive) {
    if (std::isfinite(x) && (!positive || x > 0)) return Checked::undefined();
    return number_refusal(x, where + ": " + name + " must be a finite number" + (positive ? " > 0" : "") + " (got " +
                                 js_number(x) + ")");
}

Checked check_range(const std::string& where, double log_lo, double log_hi) {
    const std::pair<const char*, double> ends[] = {{"logLo", log_lo}, {"logHi", log_hi}};
    for (const auto& [name, x] : ends)
        if (Checked refused = check_finite(where, name, x, false); refused.refused()) return refused;
    if (!(log_lo < log_hi))
        return Checked::error("RangeError", where + ": logLo must be below logHi (got " + js_number(log_lo) + " and " +
                                                js_number(log_hi) + ")");
    return Checked::undefined();
}

double typed_array_length(const val& v) {
    if (v.typeOf().as<std::string>() != "object" || v.isNull()) return -1;
    if (!val::global("ArrayBuffer").call<bool>("isView", v) || v.instanceof(val::global("DataView"))) return -1;
    for (const char* big : {"BigInt64Array", "BigUint64Array"}) {
        const val type = val::global(big);
        if (!type.isUndefined() && v.instanceof(type)) return -1;
    }
    return v["length"].as<double>();
}

DocumentArg read_config_document(const val& v, const std::string& where, const char* name) {
    return read_document(v, where, name, static_cast<double>(k_max_document_bytes));
}

DocumentArg read_result_document(const val& v, const std::string& where, const char* name) {
    return read_document(v, where, name, k_max_result_document_chars);
}

Checked document_refusal(const DocumentArg& arg, const std::string& where) {
    if (!arg.type_error.empty()) return Checked::error("TypeError", arg.type_error);
    return Checked::error("RangeError", where + ": " + arg.too_long);
}

bool heap_can_hold(double bytes) {
    if (!(bytes >= 0) || bytes > k_max_memory_bytes) return false;
    void* volatile block = std::malloc(static_cast<std::size_t>(bytes));  // volatile: the probe is not elided
    if (!block) return false;
    std::free(block);
    return true;
}

std::string errors_document(const std::vector<FieldError>& errors) { return field_errors_to_json(errors).dump(); }

std::string errors_line(const std::vector<FieldError>& errors) {
    std::string line;
    for (const FieldError& e : errors) line += (line.empty() ? "" : "; ") + format_field_error(e);
    return line;
}

}  // namespace spiketail::glue
