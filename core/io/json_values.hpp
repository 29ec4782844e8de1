// Numbers between documents and values. JSON has no NaN or infinity: a non-finite number is written as null, and
// an entry that is missing, null or not a number (documents read here may be hand-written or hostile) reads as NaN.
#pragma once
#include <cmath>
#include <nlohmann/json.hpp>

namespace spiketail {

inline nlohmann::ordered_json number_or_null(double x) {
    return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}

// Key: const char* or std::string (nlohmann's find takes both without a copy).
template <class Key>
double number_or_nan(const nlohmann::json& object, const Key& key) {
    if (!object.is_object()) return NAN;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->template get<double>() : NAN;
}

}  // namespace spiketail
