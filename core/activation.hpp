// The activation functions: the teacher's sigma* (data.hpp, docs/method.md §2) and the student's phi
// (model.hpp, §3). Near the bottom of the include graph, so that data and model share them without
// including each other.
#pragma once
#include <cmath>

namespace spiketail {

enum class Activation { tanh, relu, softplus };

// softplus(z) = log(1 + e^z), written to neither overflow for large z nor lose digits for small z.
// Inline: the student applies it entry by entry to an n x h matrix.
inline double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

double activate(Activation phi, double z);
double activate_derivative(Activation phi, double z);

const char* to_string(Activation kind);

}  // namespace spiketail
