// The two-layer student f(x) = a^T phi(W x / sqrt d) / sqrt h, and its full-batch MSE gradient (docs/method.md §3).
//
// X: n x d, W: h x d, a: h.
//   Z = X W^T / sqrt d (n x h),  A = phi(Z),  p = A a / sqrt h (n),  r = p - y,  L = (1/n) ||r||^2
//   G  = ((2/n) r a^T / sqrt h) .* phi'(Z)          (n x h)
//   dW = G^T X / sqrt d                             (h x d)
//   da = A^T (2/n) r / sqrt h                       (h)
// phi' is computed from A itself (tanh' = 1 - A^2, relu' = [A > 0], softplus' = 1 - e^-A), so Z is never stored.
#pragma once
#include "activation.hpp"
#include "config.hpp"
#include "types.hpp"

namespace spiketail {

struct Student {
    MatrixF W;  // h x d
    VectorF a;  // h
    Activation phi = Activation::tanh;
};

// Draws W and a with i.i.d. N(0, 1) entries from the init streams.
Student make_student(const Config& config);

struct ForwardCache {
    MatrixF A;  // n x h, phi(Z); after student_backward, dL/dZ
    VectorF p;  // n, predictions
};

struct Gradients {
    MatrixF dW;  // h x d
    VectorF da;  // h
};

// Forward pass; returns the loss L in double.
double student_forward(const Student& s, const MatrixF& X, const VectorF& y, ForwardCache& cache);
// Backward pass from a forward cache of the same X, y; da only when train_last_layer.
// The step needs the activations no more, so dL/dZ = ((2/n) r a^T / sqrt h) .* phi'(Z) is written over
// cache.A: one n x h buffer instead of two (the largest arrays of a step after the data).
void student_backward(const Student& s, const MatrixF& X, const VectorF& y, ForwardCache& cache,
                      bool train_last_layer, Gradients& grads);

// Features phi(X W^T / scale) / sqrt h (n x h); scale = sqrt d as written, or d for the reference's numbers.
MatrixF student_features(const Student& s, const MatrixF& X, double scale);

}  // namespace spiketail
