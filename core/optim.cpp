#include "optim.hpp"

#include <cmath>

#include "elementwise.hpp"

namespace spiketail {

double scheduled_lr(const Config& c, int steps_taken) {
    if (c.lr_scheduler.step_size <= 0) return c.lr;
    return c.lr * std::pow(c.lr_scheduler.gamma, steps_taken / c.lr_scheduler.step_size);
}

void normalize_weights(MatrixF& W) {
    const double norm = W.cast<double>().norm();
    if (norm > 0) W *= static_cast<float>(std::sqrt(static_cast<double>(W.size())) / norm);
}

Optimizer::Optimizer(const Config& c, int h, int d)
    : m_kind(c.optimizer), m_momentum(c.momentum), m_weight_decay(c.weight_decay),
      m_beta1(c.beta1), m_beta2(c.beta2), m_eps(c.eps) {
    const bool needs_m = m_kind == OptimizerKind::adam || m_momentum > 0;
    if (needs_m) m_w.m = MatrixF::Zero(h, d);
    if (m_kind == OptimizerKind::adam) m_w.v = MatrixF::Zero(h, d);
    if (!c.fix_last_layer) {
        if (needs_m) m_a.m = MatrixF::Zero(h, 1);
        if (m_kind == OptimizerKind::adam) m_a.v = MatrixF::Zero(h, 1);
    }
}

void Optimizer::step(MatrixF& W, const MatrixF& dW, VectorF* a, const VectorF* da, double lr, MatrixF* applied) {
    ++m_t;
    if (applied && applied != &dW) applied->resize(W.rows(), W.cols());
    update(W.data(), dW.data(), W.size(), m_w, lr, applied ? applied->data() : nullptr);
    if (a && da) update(a->data(), da->data(), a->size(), m_a, lr, nullptr);
}

// One elementwise pass over x (no temporaries): the update of every entry depends only on that entry.
void Optimizer::update(float* w, const float* g0, Eigen::Index size, State& s, double lr, float* applied) {
    const float wd = static_cast<float>(m_weight_decay);
    if (m_kind == OptimizerKind::gd) {
        const float eta = static_cast<float>(lr);
        if (m_momentum <= 0) {
            for_each_range(size, 1, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
                for (std::ptrdiff_t i = begin; i < end; ++i) {
                    const float old = w[i];
                    w[i] -= eta * (g0[i] + wd * w[i]);
                    if (applied) applied[i] = w[i] - old;
                }
            });
            return;
        }
        const float mu = static_cast<float>(m_momentum);
        float* b = s.m.data();
        const bool first = m_t == 1;
        for_each_range(size, 1, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
            for (std::ptrdiff_t i = begin; i < end; ++i) {
                const float old = w[i];
                const float g = g0[i] + wd * w[i];
                b[i] = first ? g : mu * b[i] + g;
                w[i] -= eta * b[i];
                if (applied) applied[i] = w[i] - old;
            }
        });
        return;
    }
    // Adam, bias corrections folded into the step size and epsilon as in PyTorch's implementation.
    const double bc1 = 1.0 - std::pow(m_beta1, m_t);
    const double bc2 = 1.0 - std::pow(m_beta2, m_t);
    const float step_size = static_cast<float>(lr / bc1);
    const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(bc2));
    const float b1 = static_cast<float>(m_beta1), b2 = static_cast<float>(m_beta2);
    // 1 - beta in double, then rounded (as PyTorch does): 1 - float(0.999) would be off by 1.3e-5.
    const float one_minus_b1 = static_cast<float>(1.0 - m_beta1), one_minus_b2 = static_cast<float>(1.0 - m_beta2);
    const float eps = static_cast<float>(m_eps);
    float* m = s.m.data();
    float* v = s.v.data();
    for_each_range(size, 1, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        for (std::ptrdiff_t i = begin; i < end; ++i) {
            const float old = w[i];
            const float g = g0[i] + wd * w[i];
            m[i] = b1 * m[i] + one_minus_b1 * g;
            v[i] = b2 * v[i] + one_minus_b2 * g * g;
            w[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_sqrt_bc2 + eps);
            if (applied) applied[i] = w[i] - old;
        }
    });
}

}  // namespace spiketail
