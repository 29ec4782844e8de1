#include "model.hpp"

#include <cmath>

#include "elementwise.hpp"
#include "gemm.hpp"
#include "rng.hpp"

namespace spiketail {
namespace {

// phi'(z) expressed through a = phi(z), so the backward pass needs only the stored activations.
float derivative_from_activation(Activation phi, float a) {
    switch (phi) {
        case Activation::tanh: return 1.0f - a * a;
        case Activation::relu: return a > 0.0f ? 1.0f : 0.0f;
        case Activation::softplus: return 1.0f - std::exp(-a);  // sigmoid(z) = 1 - e^{-softplus(z)}
    }
    return 0.0f;
}

void apply_activation(Activation phi, MatrixF& Z) {
    float* z = Z.data();
    for_each_range(Z.size(), 1, [&](std::ptrdiff_t begin, std::ptrdiff_t end) {
        Eigen::Map<Eigen::ArrayXf> part(z + begin, end - begin);
        switch (phi) {
            case Activation::tanh: part = part.tanh(); break;
            case Activation::relu: part = part.max(0.0f); break;
            case Activation::softplus:
                for (std::ptrdiff_t i = begin; i < end; ++i) z[i] = static_cast<float>(softplus(z[i]));
                break;
        }
    });
}

}  // namespace

Student make_student(const Config& c) {
    Student s;
    s.phi = c.activation;
    Rng w_rng = Rng::for_stream(c.seed, c.repeat, Stream::init_w);
    s.W.resize(c.h, c.d);
    for (int i = 0; i < c.h; ++i)
        for (int j = 0; j < c.d; ++j) s.W(i, j) = static_cast<float>(w_rng.gaussian());
    Rng a_rng = Rng::for_stream(c.seed, c.repeat, Stream::init_a);
    s.a.resize(c.h);
    for (int i = 0; i < c.h; ++i) s.a[i] = static_cast<float>(a_rng.gaussian());
    return s;
}

double student_forward(const Student& s, const MatrixF& X, const VectorF& y, ForwardCache& cache) {
    const double d = static_cast<double>(X.cols());
    const double h = static_cast<double>(s.W.rows());
    product_nt(X, s.W, static_cast<float>(1.0 / std::sqrt(d)), cache.A);
    apply_activation(s.phi, cache.A);
    cache.p.noalias() = cache.A * s.a;
    cache.p *= static_cast<float>(1.0 / std::sqrt(h));
    const Eigen::Index n = X.rows();
    double loss = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double r = static_cast<double>(cache.p[i]) - y[i];
        loss += r * r;
    }
    return loss / static_cast<double>(n);
}

void student_backward(const Student& s, const MatrixF& X, const VectorF& y, ForwardCache& cache,
                      bool train_last_layer, Gradients& grads) {
    const Eigen::Index n = X.rows();
    const Eigen::Index h = s.W.rows();
    const double d = static_cast<double>(X.cols());
    const float scale = static_cast<float>(2.0 / (static_cast<double>(n) * std::sqrt(static_cast<double>(h))));
    const VectorF dp = scale * (cache.p - y);  // (2/n) r / sqrt h
    if (train_last_layer) grads.da.noalias() = cache.A.transpose() * dp;
    // G = dL/dZ overwrites A column by column: each entry needs only its own activation.
    for_each_range(h, n, [&](std::ptrdiff_t first, std::ptrdiff_t last) {
        for (Eigen::Index j = first; j < last; ++j) {
            const float aj = s.a[j];
            float* A = cache.A.col(j).data();
            for (Eigen::Index i = 0; i < n; ++i) A[i] = dp[i] * aj * derivative_from_activation(s.phi, A[i]);
        }
    });
    product_tn(cache.A, X, static_cast<float>(1.0 / std::sqrt(d)), grads.dW);
}

MatrixF student_features(const Student& s, const MatrixF& X, double scale) {
    MatrixF F;
    product_nt(X, s.W, static_cast<float>(1.0 / scale), F);
    apply_activation(s.phi, F);
    F *= static_cast<float>(1.0 / std::sqrt(static_cast<double>(s.W.rows())));
    return F;
}

}  // namespace spiketail
