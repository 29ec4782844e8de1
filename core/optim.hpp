// Optimisers with PyTorch semantics (docs/method.md §4), applied in place to W (and a, when it is trained).
//
// GD:   g <- g + wd W;  b <- mu b + g (b = g at the first step);  W <- W - lr b
// Adam: g <- g + wd W;  m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
//       W <- W - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// StepLR: lr_t = lr_0 gamma^floor(t / step_size), t = optimiser steps already taken.
#pragma once
#include "config.hpp"
#include "types.hpp"

namespace spiketail {

double scheduled_lr(const Config& config, int steps_taken);

// W <- W sqrt(rows cols) / ||W||_F (the study's weight normalisation option).
void normalize_weights(MatrixF& W);

class Optimizer {
public:
    Optimizer() = default;
    Optimizer(const Config& config, int h, int d);

    // One update of W by its gradient dW (and of a by da when a is not null). When applied is not null it
    // receives W_new - W_old entry by entry; it may be &dW itself (each gradient entry is read first).
    void step(MatrixF& W, const MatrixF& dW, VectorF* a, const VectorF* da, double lr, MatrixF* applied = nullptr);
    int steps_taken() const { return m_t; }

private:
    struct State {
        MatrixF m, v;  // GD: m is the momentum buffer; Adam: first and second moments
    };
    // x (size entries) updated in place from its gradient; applied may alias grad (see step).
    void update(float* x, const float* grad, Eigen::Index size, State& s, double lr, float* applied);

    OptimizerKind m_kind = OptimizerKind::adam;
    double m_momentum = 0, m_weight_decay = 0, m_beta1 = 0.9, m_beta2 = 0.999, m_eps = 1e-8;
    State m_w, m_a;
    int m_t = 0;
};

}  // namespace spiketail
