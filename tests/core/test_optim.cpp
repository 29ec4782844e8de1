// Optimisers with PyTorch semantics (optim.hpp, docs/method.md §4) against sequences computed by hand in double:
// Adam's first step lr g / (|g| + eps), Adam's second step, GD with momentum (b = g first, then mu b + g),
// weight decay folded into g, StepLR lr_0 gamma^floor(t / step_size), weight normalisation ||W||_F = sqrt(hd).
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "optim.hpp"
#include "session.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

constexpr int k_h = 4, k_d = 3;

// The float update of one entry is a handful of float operations on values of size |w| + lr |step| <= ~4,
// each rounding by <= u = 6e-8 relatively: 1e-6 x (|w| + lr |b|) is ~4x the worst case of 4 roundings.
constexpr double k_step_rel_tol = 1e-6;

Config optimizer_config(OptimizerKind kind) {
    Config c = small_config(10, k_d, k_h);
    c.optimizer = kind;
    return c;
}

double max_abs(const MatrixD& M) { return M.cwiseAbs().maxCoeff(); }

}  // namespace

TEST_CASE("optim: the first Adam step is lr g / (|g| + eps)", "[optim][adam]") {
    for (double wd : {0.0, 0.1}) {
        Config c = optimizer_config(OptimizerKind::adam);
        c.weight_decay = wd;
        c.lr = 0.3;
        Optimizer opt(c, k_h, k_d);
        MatrixF W = gaussian_matrix_f(k_h, k_d, 1);
        const MatrixF dW = gaussian_matrix_f(k_h, k_d, 2, 1e-3);  // gradients of realistic (small) scale
        const MatrixD W0 = W.cast<double>();
        opt.step(W, dW, nullptr, nullptr, c.lr);
        CHECK(opt.steps_taken() == 1);

        const MatrixD g = dW.cast<double>() + wd * W0;  // weight decay folded into the gradient
        const MatrixD expected = W0 - c.lr * g.array().cwiseQuotient(g.array().abs() + c.eps).matrix();
        // Each entry moves by ~lr: the hallmark of Adam's first step, whatever the gradient's scale.
        CHECK_ERROR("adam wd=" << wd << ": first step vs lr g/(|g|+eps)", max_abs(W.cast<double>() - expected),
                    k_step_rel_tol * (max_abs(W0) + c.lr));
        // Each entry moves by lr |g| / (|g| + eps) >= lr (1 - eps / min|g|), so ||step||_F / (lr sqrt(hd)) is 1
        // within eps / min|g| (plus rounding).
        const double step_norm = (W.cast<double>() - W0).norm();
        CHECK_ERROR("adam wd=" << wd << ": ||first step||_F / (lr sqrt(hd)) - 1",
                    std::abs(step_norm / (c.lr * std::sqrt(double(k_h * k_d))) - 1.0),
                    c.eps / g.cwiseAbs().minCoeff() + k_step_rel_tol);
    }
}

TEST_CASE("optim: two Adam steps follow the bias-corrected moments", "[optim][adam]") {
    Config c = optimizer_config(OptimizerKind::adam);
    c.weight_decay = 0.05;
    c.lr = 0.01;
    Optimizer opt(c, k_h, k_d);
    MatrixF W = gaussian_matrix_f(k_h, k_d, 3);
    MatrixD Wd = W.cast<double>(), m = MatrixD::Zero(k_h, k_d), v = MatrixD::Zero(k_h, k_d);
    for (int t = 1; t <= 3; ++t) {
        const MatrixF dW = gaussian_matrix_f(k_h, k_d, 10 + t);
        opt.step(W, dW, nullptr, nullptr, c.lr);
        // docs/method.md §4 by hand, in double.
        const MatrixD g = dW.cast<double>() + c.weight_decay * Wd;
        m = c.beta1 * m + (1 - c.beta1) * g;
        v = c.beta2 * v + (1 - c.beta2) * g.cwiseProduct(g);
        const MatrixD m_hat = m / (1 - std::pow(c.beta1, t));
        const MatrixD v_hat = v / (1 - std::pow(c.beta2, t));
        Wd -= c.lr * m_hat.array().cwiseQuotient(v_hat.array().sqrt() + c.eps).matrix();
        CHECK_ERROR("adam step " << t << " vs hand-computed moments", max_abs(W.cast<double>() - Wd),
                    t * k_step_rel_tol * (max_abs(Wd) + c.lr));
    }
}

TEST_CASE("optim: Adam also updates the last layer when it is trained", "[optim][adam]") {
    Config c = optimizer_config(OptimizerKind::adam);
    c.fix_last_layer = false;
    c.lr = 0.5;
    Optimizer opt(c, k_h, k_d);
    MatrixF W = gaussian_matrix_f(k_h, k_d, 4);
    VectorF a = gaussian_matrix_f(k_h, 1, 5);
    const VectorF a0 = a;
    const MatrixF dW = gaussian_matrix_f(k_h, k_d, 6);
    const VectorF da = gaussian_matrix_f(k_h, 1, 7);
    opt.step(W, dW, &a, &da, c.lr);
    const VectorD g = da.cast<double>();
    const VectorD expected = a0.cast<double>() - c.lr * g.array().cwiseQuotient(g.array().abs() + c.eps).matrix();
    CHECK_ERROR("adam: first step of a vs lr g/(|g|+eps)", (a.cast<double>() - expected).cwiseAbs().maxCoeff(),
                k_step_rel_tol * (a0.cwiseAbs().maxCoeff() + c.lr));
}

TEST_CASE("optim: GD with momentum and weight decay follows b = g, then mu b + g", "[optim][gd]") {
    for (double mu : {0.0, 0.9}) {
        Config c = optimizer_config(OptimizerKind::gd);
        c.momentum = mu;
        c.weight_decay = 0.01;
        c.lr = 0.2;
        Optimizer opt(c, k_h, k_d);
        MatrixF W = gaussian_matrix_f(k_h, k_d, 8);
        MatrixD Wd = W.cast<double>(), b = MatrixD::Zero(k_h, k_d);
        for (int t = 1; t <= 4; ++t) {
            const MatrixF dW = gaussian_matrix_f(k_h, k_d, 20 + t);
            opt.step(W, dW, nullptr, nullptr, c.lr);
            const MatrixD g = dW.cast<double>() + c.weight_decay * Wd;
            b = (t == 1 || mu == 0) ? g : MatrixD(mu * b + g);  // PyTorch: the buffer starts at g, not at 0
            Wd -= c.lr * b;
            // Rounding accumulates over the t steps (and through the momentum buffer).
            CHECK_ERROR("gd mu=" << mu << " step " << t << " vs hand-computed sequence",
                        max_abs(W.cast<double>() - Wd), t * k_step_rel_tol * (max_abs(Wd) + c.lr * max_abs(b)));
        }
    }
}

TEST_CASE("optim: StepLR is lr_0 gamma^floor(t / step_size)", "[optim][schedule]") {
    Config c;
    c.lr = 0.8;
    c.lr_scheduler.step_size = 3;
    c.lr_scheduler.gamma = 0.5;
    // Written out by hand: three steps at each level.
    const double expected[] = {0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1};
    for (int t = 0; t < 10; ++t) CHECK(scheduled_lr(c, t) == Approx(expected[t]).epsilon(k_same_formula_rel_tol));
    c.lr_scheduler.step_size = 0;  // no scheduler: constant
    for (int t = 0; t < 10; ++t) CHECK(scheduled_lr(c, t) == c.lr);
}

TEST_CASE("optim: a session steps with the scheduled lr and records it", "[optim][schedule][session]") {
    Config c = small_config(20, 8, 10);
    c.optimizer = OptimizerKind::gd;
    c.lr = 1.0;
    c.num_steps = 4;
    c.lr_scheduler.step_size = 1;
    c.lr_scheduler.gamma = 0.2;
    c.probe_update = false;
    Session s(c);
    s.run_to_end();
    REQUIRE(s.history().size() == 5);
    CHECK(s.history()[0].lr == c.lr);  // step 0 reports the initial rate
    // The record of step t carries the rate of the step that led to it: lr_0 gamma^(t - 1).
    const double expected[] = {1.0, 1.0, 0.2, 0.04, 0.008};
    for (int t = 1; t <= 4; ++t) CHECK(s.history()[t].lr == Approx(expected[t]).epsilon(k_same_formula_rel_tol));
}

TEST_CASE("optim: weight normalisation gives ||W||_F = sqrt(h d)", "[optim][weight_norm]") {
    // The norm is computed in double and the scale applied in float: relative error a few u.
    constexpr double k_norm_rel_tol = 1e-6;
    MatrixF W = gaussian_matrix_f(30, 20, 9, 3.7);
    normalize_weights(W);
    CHECK_ERROR("normalize_weights: ||W||_F / sqrt(hd) - 1", std::abs(W.cast<double>().norm() / std::sqrt(600.0) - 1),
                k_norm_rel_tol);

    // In a session the normalisation comes before each step: with a negligible GD step, the weights after
    // one step are the normalised W0 (whose own norm is off sqrt(hd) by O(1) sampling noise).
    Config c = small_config(20, 8, 10);
    c.optimizer = OptimizerKind::gd;
    c.lr = 1e-12;
    c.enable_weight_normalization = true;
    Session s(c);
    const double n0 = s.student().W.cast<double>().norm();
    s.step(1);
    const double n1 = s.student().W.cast<double>().norm();
    INFO("||W0||_F " << n0 << ", after one step " << n1 << ", sqrt(hd) " << std::sqrt(80.0));
    CHECK(std::abs(n0 / std::sqrt(80.0) - 1) > 1e-3);
    CHECK_ERROR("session with weight normalisation: ||W_1||_F / sqrt(hd) - 1",
                std::abs(n1 / std::sqrt(80.0) - 1), k_norm_rel_tol);
}
