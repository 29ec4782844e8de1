// The glue's argument checks and its way of refusing a call (wasm/bindings.cpp; the API in spiketail.d.mts).
//
// A documented invalid input (a config, a sweep, a matrix that does not fit) comes back as a status value with a
// message naming the field. A call that is wrong in itself (an argument of the wrong type, NaN, a negative
// count, more histogram bins than k_max_histogram_bins) throws a JS Error (TypeError or RangeError) whose
// message names the function and the argument. It is never a C++ throw: this build cannot catch those, and JS
// would see a bare number (the exception's address) and the memory of the call would leak. Nor is it a JS throw
// from inside the call: that would skip the C++ destructors and embind's frees of the arguments. Such a call
// returns a Checked instead, and the JS side of that type (register_checked()) throws its Error once the call
// has returned and embind has freed the arguments: a refused call leaves nothing allocated. Every size that a
// call would allocate is checked against a cap before anything is allocated (docs/limits.md).
#pragma once
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <type_traits>
#include <vector>

#include "config.hpp"

namespace spiketail::glue {

using emscripten::val;

// A call's outcome for JS: its value, or an Error object that the JS side throws (no value of this API is an
// Error object, so one is never mistaken for the other). A check that passes returns an undefined Checked.
struct Checked {
    val value;

    static Checked of(val value) { return {std::move(value)}; }
    static Checked of(const std::string& text) { return {val(text)}; }
    static Checked undefined() { return {val::undefined()}; }
    // type: "Error", "TypeError" or "RangeError".
    static Checked error(const char* type, const std::string& message) { return {val::global(type).new_(message)}; }
    // True when this is a refusal (an Error to throw), for the checks below.
    bool refused() const { return value.instanceof(val::global("Error")); }
};

// Registers Checked's JS side with embind; called once from EMSCRIPTEN_BINDINGS.
void register_checked();

// The longest JSON text a call reads that is not a config or a sweep (a run or sweep result, a probe record):
// 256 Mi characters, half of what V8 allows a string. Configs and sweeps have the core's cap,
// k_max_document_bytes (io/json_document.hpp). Checked on the JS string, before it is copied into the heap.
constexpr double k_max_result_document_chars = 256.0 * 1024 * 1024;

// A number as JS prints it: "NaN", "-Infinity", "-1", "2.5", "10000000000", "1e+300".
std::string js_number(double x);
// What a JS value is, for a TypeError: "a string", "undefined", "null", "an Array", "a Float64Array", ...
std::string js_type_phrase(const val& v);

// x must be an integer in [lo, hi]: a TypeError for NaN, a RangeError otherwise; undefined when fine.
Checked check_integer(const std::string& where, const char* name, double x, double lo, double hi);
// x must be a finite number (> 0 when positive): as check_integer.
Checked check_finite(const std::string& where, const char* name, double x, bool positive);

// [log_lo, log_hi] must be finite with log_lo < log_hi (a range of log10 λ): as check_integer.
Checked check_range(const std::string& where, double log_lo, double log_hi);

// A JS typed array of numbers: its length; -1 for anything else (a plain Array, a DataView, a BigInt64Array).
double typed_array_length(const val& v);

// A JSON text argument, read into `text` unless it is not a string (the TypeError's message) or has more than
// its cap of characters (the message, without the function's name): nothing is copied then.
struct DocumentArg {
    std::string text, type_error, too_long;
    bool ok() const { return type_error.empty() && too_long.empty(); }
};
// A config or a sweep, under the core's cap (k_max_document_bytes): too long is a status the caller reports.
DocumentArg read_config_document(const val& v, const std::string& where, const char* name);
// Any other document, under k_max_result_document_chars.
DocumentArg read_result_document(const val& v, const std::string& where, const char* name);
// The refusal of a document that is not ok(): a TypeError, or a RangeError naming the function.
Checked document_refusal(const DocumentArg& arg, const std::string& where);

// True when the heap can hold a block of this many bytes now (it grows to it if it can). Tried before a call
// allocates its largest arrays, so that a call the heap cannot take is refused with a message rather than
// failing half-way (Eigen and std::vector report a failed allocation by a C++ throw, which this build cannot
// catch). The block is freed again: the allocator then serves the call from the memory it holds.
bool heap_can_hold(double bytes);

// Copies a typed array of numbers into the heap: a TypeError when it is not one, a RangeError when its copy as
// T would be above k_max_memory_bytes or the heap cannot hold it now (nothing is allocated then); undefined
// when copied.
template <typename T>
Checked copy_numbers(const val& array, const std::string& where, const char* name, std::vector<T>& out) {
    const double length = typed_array_length(array);
    if (length < 0)
        return Checked::error("TypeError", where + ": " + name + " must be a typed array of numbers such as a " +
                                               "Float64Array (got " + js_type_phrase(array) + ")");
    const double bytes = length * sizeof(T);
    if (bytes > k_max_memory_bytes)
        return Checked::error("RangeError", where + ": " + name + " holds " + js_number(length) + " numbers, " +
                                                bytes_text(bytes) + " in the heap, above the cap of " +
                                                bytes_text(k_max_memory_bytes));
    if (!heap_can_hold(bytes))
        return Checked::error("RangeError",
                              where + ": the wasm heap cannot hold a copy of " + name + " (" + bytes_text(bytes) + ") now");
    out.resize(static_cast<std::size_t>(length));
    val heap_view(emscripten::typed_memory_view(out.size(), out.data()));  // a view, not a copy
    heap_view.call<void>("set", array);
    return Checked::undefined();
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

// [{field, message}, ...] as JSON text, and as one line: "n: must be an integer >= 1 (got 0); lr: ...".
std::string errors_document(const std::vector<FieldError>& errors);
std::string errors_line(const std::vector<FieldError>& errors);

}  // namespace spiketail::glue

namespace emscripten::internal {
// Checked crosses as an emval handle, like val; its JS conversion is register_checked()'s.
template <>
struct BindingType<spiketail::glue::Checked> {
    typedef EM_VAL WireType;
    static WireType toWireType(const spiketail::glue::Checked& checked) {
        return BindingType<val>::toWireType(checked.value);
    }
};
}  // namespace emscripten::internal
