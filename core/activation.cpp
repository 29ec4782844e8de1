#include "activation.hpp"

#include <cmath>

namespace spiketail {

double activate(Activation phi, double z) {
    switch (phi) {
        case Activation::tanh: return std::tanh(z);
        case Activation::relu: return z > 0 ? z : 0.0;
        case Activation::softplus: return softplus(z);
    }
    return 0.0;
}

double activate_derivative(Activation phi, double z) {
    switch (phi) {
        case Activation::tanh: {
            const double t = std::tanh(z);
            return 1.0 - t * t;
        }
        case Activation::relu: return z > 0 ? 1.0 : 0.0;
        case Activation::softplus: return 1.0 / (1.0 + std::exp(-z));
    }
    return 0.0;
}

const char* to_string(Activation kind) {
    switch (kind) {
        case Activation::tanh: return "tanh";
        case Activation::relu: return "relu";
        case Activation::softplus: return "softplus";
    }
    return "?";
}

}  // namespace spiketail
