// The student f(x) = a^T phi(W x / sqrt d) / sqrt h and its MSE gradient (model.hpp), against
//   - a naive double-precision reference of the same formula (loss and features), and
//   - central finite differences, both of that double reference (tight: checks the float backward pass against
//     the exact derivative) and of student_forward itself (loose: checks forward and backward agree as built).
// Sizes are tiny (n = 8, d = 5, h = 6) so every one of the h*d + h derivatives is checked.
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "model.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

constexpr int k_n = 8, k_d = 5, k_h = 6;

// Naive double reference: Z = X W^T / sqrt d, p = phi(Z) a / sqrt h, L = (1/n) ||p - y||^2.
double reference_loss(Activation phi, const MatrixD& X, const VectorD& y, const MatrixD& W, const VectorD& a) {
    const MatrixD Z = X * W.transpose() / std::sqrt(static_cast<double>(X.cols()));
    const MatrixD A = Z.unaryExpr([phi](double z) { return activate(phi, z); });
    const VectorD p = A * a / std::sqrt(static_cast<double>(W.rows()));
    return (p - y).squaredNorm() / static_cast<double>(X.rows());
}

struct Problem {
    Student s;
    MatrixF X;
    VectorF y;
};

Problem make_problem(Activation phi, std::uint64_t seed) {
    Problem p;
    p.s.phi = phi;
    p.s.W = gaussian_matrix_f(k_h, k_d, seed);
    p.s.a = gaussian_matrix_f(k_h, 1, seed + 1);
    p.X = gaussian_matrix_f(k_n, k_d, seed + 2);
    p.y = gaussian_matrix_f(k_n, 1, seed + 3);
    return p;
}

// Smallest |z| of the pre-activations: the distance to ReLU's kink.
double min_abs_preactivation(const Problem& p) {
    const MatrixD Z = p.X.cast<double>() * p.s.W.cast<double>().transpose() / std::sqrt(double(k_d));
    return Z.cwiseAbs().minCoeff();
}

struct GradientErrors {
    double max_dw = 0, max_da = 0;       // measured largest |analytic - finite difference|
    double scale_dw = 0, scale_da = 0;  // largest |analytic| entry, the scale the errors are relative to
};

// Central differences of the double reference at the (float-representable) current point, step delta.
GradientErrors check_against_reference(const Problem& p, const Gradients& g, double delta) {
    const MatrixD X = p.X.cast<double>();
    const VectorD y = p.y.cast<double>();
    MatrixD W = p.s.W.cast<double>();
    VectorD a = p.s.a.cast<double>();
    GradientErrors e;
    for (int i = 0; i < k_h; ++i)
        for (int j = 0; j < k_d; ++j) {
            const double w0 = W(i, j);
            W(i, j) = w0 + delta;
            const double up = reference_loss(p.s.phi, X, y, W, a);
            W(i, j) = w0 - delta;
            const double down = reference_loss(p.s.phi, X, y, W, a);
            W(i, j) = w0;
            e.max_dw = std::max(e.max_dw, std::abs((up - down) / (2 * delta) - g.dW(i, j)));
            e.scale_dw = std::max(e.scale_dw, std::abs(double(g.dW(i, j))));
        }
    if (g.da.size() == k_h)
        for (int i = 0; i < k_h; ++i) {
            const double a0 = a[i];
            a[i] = a0 + delta;
            const double up = reference_loss(p.s.phi, X, y, W, a);
            a[i] = a0 - delta;
            const double down = reference_loss(p.s.phi, X, y, W, a);
            a[i] = a0;
            e.max_da = std::max(e.max_da, std::abs((up - down) / (2 * delta) - g.da[i]));
            e.scale_da = std::max(e.scale_da, std::abs(double(g.da[i])));
        }
    return e;
}

// Central differences of student_forward itself (float arithmetic). The perturbed entry is rounded to
// float, so the step actually taken, fl(w + delta) - fl(w - delta), is used as the denominator.
double max_error_float_fd(Problem p, const Gradients& g, float delta) {
    ForwardCache cache;
    double err = 0;
    for (int i = 0; i < k_h; ++i)
        for (int j = 0; j < k_d; ++j) {
            const float w0 = p.s.W(i, j);
            const float w_up = w0 + delta, w_down = w0 - delta;
            p.s.W(i, j) = w_up;
            const double up = student_forward(p.s, p.X, p.y, cache);
            p.s.W(i, j) = w_down;
            const double down = student_forward(p.s, p.X, p.y, cache);
            p.s.W(i, j) = w0;
            const double fd = (up - down) / (double(w_up) - double(w_down));
            err = std::max(err, std::abs(fd - g.dW(i, j)));
        }
    return err;
}

}  // namespace

TEST_CASE("model: forward loss and features match a double-precision reference", "[model]") {
    // Float forward pass: each z is a d-term dot product, each p an h-term one, both with relative error
    // <= gamma_k (k <= 6 here, ~4e-7), amplified in the loss by |p| / |r| = O(1) for these N(0,1) labels.
    // 1e-5 relative leaves a margin of ~10x over that bound.
    constexpr double k_loss_rel_tol = 1e-5;
    // Features phi(X W^T / scale) / sqrt h: a d-term float dot product per entry, then phi (|phi'| <= 1).
    constexpr double k_feature_tol = 1e-5;
    for (Activation phi : {Activation::tanh, Activation::relu, Activation::softplus}) {
        const Problem p = make_problem(phi, 11);
        ForwardCache cache;
        const double loss = student_forward(p.s, p.X, p.y, cache);
        const double ref = reference_loss(phi, p.X.cast<double>(), p.y.cast<double>(), p.s.W.cast<double>(),
                                          p.s.a.cast<double>());
        CHECK_ERROR("model " << to_string(phi) << ": forward loss, relative to the double reference",
                    std::abs(loss - ref) / ref, k_loss_rel_tol);

        for (double scale : {std::sqrt(double(k_d)), double(k_d)}) {
            const MatrixF F = student_features(p.s, p.X, scale);
            const MatrixD Fr = (p.X.cast<double>() * p.s.W.cast<double>().transpose() / scale)
                                   .unaryExpr([phi](double z) { return activate(phi, z); }) /
                               std::sqrt(double(k_h));
            CHECK_ERROR("model " << to_string(phi) << ": features, scale " << scale << ", max abs",
                        (F.cast<double>() - Fr).cwiseAbs().maxCoeff(), k_feature_tol);
        }
    }
}

TEST_CASE("model: activate_derivative is the derivative of activate", "[model]") {
    // Central difference in double with step 1e-5: truncation ~ step^2 |phi'''| / 6 < 1e-10, rounding
    // ~ 1e-16 / 1e-5 = 1e-11. ReLU is checked away from its kink at 0.
    constexpr double k_step = 1e-5, k_tol = 1e-8;
    for (Activation phi : {Activation::tanh, Activation::relu, Activation::softplus}) {
        double err = 0;
        for (double z : {-30.0, -3.0, -0.7, -0.1, 0.2, 1.0, 2.5, 30.0}) {
            const double fd = (activate(phi, z + k_step) - activate(phi, z - k_step)) / (2 * k_step);
            err = std::max(err, std::abs(fd - activate_derivative(phi, z)));
        }
        CHECK_ERROR("model " << to_string(phi) << ": phi' vs finite difference", err, k_tol);
    }
    // softplus must neither overflow nor lose its small values.
    CHECK(activate(Activation::softplus, 800.0) == Approx(800.0));
    CHECK(activate(Activation::softplus, -800.0) >= 0.0);
    CHECK(activate(Activation::softplus, -40.0) == Approx(std::exp(-40.0)).epsilon(k_same_formula_rel_tol));
}

TEST_CASE("model: backward pass equals central finite differences of the loss", "[model][gradient]") {
    // (a) Against the double reference, step 1e-5: truncation ~ step^2 * |L'''| / 6 ~ 1e-11 and rounding
    //     ~ 1e-16 * L / step ~ 1e-11, so the difference measures the float backward pass alone. That pass sums
    //     n- and h-term products with relative error <= gamma_k ~ 5e-7 each; tolerance 1e-5 x the largest
    //     gradient entry leaves a 20x margin.
    constexpr double k_reference_step = 1e-5;
    constexpr double k_reference_tol = 1e-5;  // relative to max |dL/dW| (resp. max |dL/da|)
    // (b) Against differences of student_forward itself (float): its loss carries rounding ~1e-7 L, so the step
    //     must be large: at 2^-7 ~ 0.008 rounding contributes ~1e-7 L / 0.008 ~ 1e-5 L and truncation
    //     ~ step^2 |L'''| / 6 ~ 1e-5 |L'''|; tolerance 1e-3 x the largest gradient entry covers both.
    constexpr float k_float_step = 0.0078125f;
    constexpr double k_float_tol = 1e-3;

    for (Activation phi : {Activation::tanh, Activation::relu, Activation::softplus}) {
        for (bool train_last_layer : {false, true}) {
            const Problem p = make_problem(phi, 100 + static_cast<int>(phi));
            ForwardCache cache;
            Gradients g;
            student_forward(p.s, p.X, p.y, cache);
            student_backward(p.s, p.X, p.y, cache, train_last_layer, g);
            REQUIRE(g.dW.rows() == k_h);
            REQUIRE(g.dW.cols() == k_d);
            if (train_last_layer) REQUIRE(g.da.size() == k_h);

            float float_step = k_float_step;
            if (phi == Activation::relu) {
                // ReLU: the loss is piecewise quadratic in each w_ij, so central differences are exact (up to
                // rounding) as long as no pre-activation crosses 0: z moves by at most step * max|x| / sqrt d.
                const double margin = min_abs_preactivation(p);
                const double max_x = p.X.cwiseAbs().maxCoeff();
                float_step = static_cast<float>(std::min<double>(k_float_step, 0.5 * margin * std::sqrt(k_d) / max_x));
                INFO("relu: smallest |z| " << margin << ", float step " << float_step);
                REQUIRE(k_reference_step * max_x / std::sqrt(k_d) < margin);
                REQUIRE(float_step > 1e-4f);  // else rounding would dominate (b): choose another seed
            }

            const GradientErrors e = check_against_reference(p, g, k_reference_step);
            const double float_err = max_error_float_fd(p, g, float_step);
            const std::string what = std::string("grad ") + to_string(phi) + (train_last_layer ? ", a trained" : "");
            CHECK(e.scale_dw > 0);
            CHECK_ERROR(what << ": dW vs double FD (max |g| " << e.scale_dw << ")", e.max_dw,
                        k_reference_tol * e.scale_dw);
            CHECK_ERROR(what << ": dW vs float FD of student_forward", float_err, k_float_tol * e.scale_dw);
            if (train_last_layer) {
                CHECK(e.scale_da > 0);
                CHECK_ERROR(what << ": da vs double FD (max |g| " << e.scale_da << ")", e.max_da,
                            k_reference_tol * e.scale_da);
            }
        }
    }
}

TEST_CASE("model: make_student draws W and a from the init streams", "[model]") {
    Config c = small_config();
    const Student s1 = make_student(c), s2 = make_student(c);
    CHECK(s1.W.rows() == c.h);
    CHECK(s1.W.cols() == c.d);
    CHECK(s1.a.size() == c.h);
    CHECK(s1.W == s2.W);
    CHECK(s1.a == s2.a);
    c.repeat = 1;
    CHECK(make_student(c).W != s1.W);
}
