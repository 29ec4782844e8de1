// Per-layer analysis (core/weight_layers, core/layer_analysis, io/layer_report) against closed forms:
//   Gaussian N x M, variance 1: the ESD fills the MP support [(√N−√M)², (√N+√M)²], no spike, mp_softrank ≈ 1;
//   a planted rank-one spike W = G + θ√N u vᵀ (Benaych-Georges & Nadakuditi 2012, c = M/N): above the BBP
//     threshold θ > c^(1/4) the top eigenvalue is N (1+θ²)(c+θ²)/θ², one spike; below it none;
//   a prescribed spectrum λ_i = Pareto(α, 1) quantiles: the KS fit returns α within 4 standard errors;
//   equal singular values: entropy 1, stable rank M, no fit;
// and WeightWatcher's conv2D_Wmats convention on a known kernel (its slices' eigenvalues, pooled, halved).
#include <catch2/catch.hpp>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "helpers.hpp"
#include "io/layer_report.hpp"
#include "io/tensor_decode.hpp"
#include "layer_analysis.hpp"
#include "model_fixtures.hpp"
#include "weight_layers.hpp"

using namespace spiketail;
using namespace spiketail::test;
namespace fx = spiketail::fixtures;

// AddressSanitizer's realloc always returns new memory, also when it shrinks a block.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_realloc_moves = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_realloc_moves = true;
#else
constexpr bool k_realloc_moves = false;
#endif
#else
constexpr bool k_realloc_moves = false;
#endif

namespace {

// Eigen's SVD in double: the reference the Gram route is compared with.
std::vector<double> svd_eigenvalues(const MatrixF& W) {
    Eigen::JacobiSVD<MatrixD> svd(W.cast<double>());
    std::vector<double> ev;
    for (Eigen::Index i = 0; i < svd.singularValues().size(); ++i) ev.push_back(svd.singularValues()[i] * svd.singularValues()[i]);
    std::sort(ev.begin(), ev.end());
    return ev;
}

MatrixD orthonormal_columns(int rows, int cols, std::uint64_t seed) {
    Eigen::HouseholderQR<MatrixD> qr(gaussian_matrix(rows, cols, seed));
    return qr.householderQ() * MatrixD::Identity(rows, cols);
}

LayerAnalysis analyze_one(const MatrixF& W) {
    return analyze_layer({W}, std::max(W.rows(), W.cols()), std::min(W.rows(), W.cols()));
}

// W's entries in row-major order (as an .npy file of shape rows x cols holds them), and an .npy entry named "w".
std::vector<double> row_major(const MatrixF& W) {
    std::vector<double> values(W.size());
    for (Eigen::Index i = 0; i < W.rows(); ++i)
        for (Eigen::Index j = 0; j < W.cols(); ++j) values[i * W.cols() + j] = W(i, j);
    return values;
}

TensorEntry npy_entry() {
    TensorEntry entry;
    entry.name = "w";
    entry.encoding = Encoding::npy;
    return entry;
}

}  // namespace

TEST_CASE("Gaussian layer: ESD inside the MP edges, no spike, norms as their definitions", "[layers]") {
    const int N = 1200, M = 400;
    const MatrixF W = gaussian_matrix_f(N, M, 11);
    const LayerAnalysis a = analyze_one(W);
    REQUIRE(a.ok);
    const double sqrt_sum = std::sqrt(double(N)) + std::sqrt(double(M)), sqrt_diff = std::sqrt(double(N)) - std::sqrt(double(M));
    const double upper = sqrt_sum * sqrt_sum, lower = sqrt_diff * sqrt_diff;
    // Tracy-Widom scale at each edge (mp.hpp): the fluctuations of λ_max and λ_min.
    const double tw_upper = sqrt_sum * std::cbrt(1 / std::sqrt(double(N)) + 1 / std::sqrt(double(M)));
    const double tw_lower = sqrt_diff * std::cbrt(std::abs(1 / std::sqrt(double(M)) - 1 / std::sqrt(double(N))));
    std::printf("gaussian %dx%d: lambda_max %.2f (MP edge %.2f, TW %.2f), lambda_min %.2f (edge %.2f, TW %.2f)\n", N, M,
                a.lambda_max, upper, tw_upper, a.eigenvalues.front(), lower, tw_lower);
    CHECK(std::abs(a.lambda_max - upper) < 4 * tw_upper);
    CHECK(std::abs(a.eigenvalues.front() - lower) < 4 * tw_lower);
    CHECK(a.num_spikes == 0);
    CHECK(a.num_evals == M);
    CHECK(a.Q == Approx(3.0));
    const double frobenius = W.cast<double>().squaredNorm();
    std::printf("gaussian: norm %.9g vs ||W||_F^2 %.9g (rel %.2e)\n", a.norm, frobenius, std::abs(a.norm / frobenius - 1));
    CHECK(std::abs(a.norm / frobenius - 1) < gamma_float(N));
    CHECK(a.mp.variance == Approx(1.0).epsilon(0.01));
    CHECK(a.mp_softrank == Approx(1.0).epsilon(0.05));
    CHECK(a.stable_rank == Approx(a.norm / a.lambda_max).epsilon(k_same_formula_rel_tol));
    CHECK(a.log_norm == Approx(std::log10(a.norm)).epsilon(k_same_formula_rel_tol));
    CHECK(a.entropy > 0.9);
    CHECK(a.entropy <= 1.0);
    CHECK(a.rank == M);
}

TEST_CASE("Gram eigenvalues agree with Eigen's double SVD to float rounding", "[layers]") {
    for (auto [rows, cols] : {std::pair{300, 120}, std::pair{90, 260}}) {
        const MatrixF W = gaussian_matrix_f(rows, cols, 3);
        const std::vector<double> gram = matrix_eigenvalues(W), svd = svd_eigenvalues(W);
        REQUIRE(gram.size() == svd.size());
        double worst = 0;
        for (std::size_t i = 0; i < gram.size(); ++i) worst = std::max(worst, std::abs(gram[i] - svd[i]) / svd.back());
        // Each Gram entry is a float dot product of length max(rows, cols): error <= gamma_k ||w_i|| ||w_j||.
        const double bound = gamma_float(std::max(rows, cols)) * std::max(rows, cols);
        std::printf("gram vs svd %dx%d: max |dλ|/λ_max = %.2e (bound %.2e)\n", rows, cols, worst, bound);
        CHECK(worst < bound);
    }
}

TEST_CASE("planted spike: BBP location above the threshold, no spike below it", "[layers]") {
    const int N = 2000, M = 500;
    const double c = double(M) / N;
    const MatrixD u = orthonormal_columns(N, 1, 21), v = orthonormal_columns(M, 1, 22);
    for (double theta : {2.0, 0.5}) {
        const MatrixF W = (gaussian_matrix(N, M, 23) + theta * std::sqrt(double(N)) * u * v.transpose()).cast<float>();
        const LayerAnalysis a = analyze_one(W);
        REQUIRE(a.ok);
        const double bulk_edge = N * (1 + std::sqrt(c)) * (1 + std::sqrt(c));
        if (theta > std::pow(c, 0.25)) {
            const double predicted = N * (1 + theta * theta) * (c + theta * theta) / (theta * theta);
            std::printf("spike theta=%.1f: lambda_max %.1f, BBP %.1f (rel %.3f), next %.1f, MP edge %.1f\n", theta, a.lambda_max,
                        predicted, a.lambda_max / predicted - 1, a.eigenvalues[a.eigenvalues.size() - 2], bulk_edge);
            // The outlier fluctuates with the cross term 2θ√N uᵀGv (std 2θ√N) and ||Gv||² (std √(2N)): 4 of
            // their summed stds is the tolerance (9% here; measured 3.2%).
            const double std_outlier = 2 * theta * std::sqrt(double(N)) + std::sqrt(2.0 * N);
            std::printf("spike: |lambda_max - BBP| = %.1f, 4 std = %.1f\n", std::abs(a.lambda_max - predicted), 4 * std_outlier);
            CHECK(std::abs(a.lambda_max - predicted) < 4 * std_outlier);
            CHECK(a.eigenvalues[a.eigenvalues.size() - 2] < bulk_edge * (1 + 0.05));
            CHECK(a.num_spikes == 1);
        } else {
            std::printf("spike theta=%.1f (below c^1/4 = %.3f): lambda_max %.1f, MP edge %.1f\n", theta, std::pow(c, 0.25),
                        a.lambda_max, bulk_edge);
            CHECK(a.num_spikes == 0);
        }
    }
}

TEST_CASE("prescribed power-law spectrum: the KS fit returns its alpha", "[layers]") {
    const int N = 800, M = 400;
    const MatrixD U = orthonormal_columns(N, M, 31), V = orthonormal_columns(M, M, 32);
    for (double alpha : {1.5, 2.5, 4.0, 7.0}) {
        VectorD s(M);
        std::vector<double> lambda(M);
        for (int i = 0; i < M; ++i) {
            lambda[i] = std::pow(1.0 - (i + 0.5) / M, -1.0 / (alpha - 1.0));  // Pareto(alpha, x_min = 1) quantiles
            s[i] = std::sqrt(lambda[i]);
        }
        const MatrixF W = (U * s.asDiagonal() * V.transpose()).cast<float>();
        const LayerAnalysis a = analyze_one(W);
        REQUIRE(a.ks.ok());
        const double se = (alpha - 1) / std::sqrt(double(a.ks.k));
        std::printf("power law alpha=%.1f: fitted %.4f (xmin %.4f, k %d, D %.4f, 4 se = %.3f), hill %.4f, warning '%s'\n", alpha,
                    a.ks.alpha, a.ks.xmin, a.ks.k, a.ks.D, 4 * se, a.hill.alpha, a.warning.c_str());
        CHECK(std::abs(a.ks.alpha - alpha) < 4 * se);
        CHECK(a.num_pl_spikes == a.ks.k);
        CHECK(a.warning == (alpha < 2 ? "over-trained" : alpha > 6 ? "under-trained" : ""));
        double sum = 0;
        for (double l : a.eigenvalues) sum += std::pow(l, a.ks.alpha);
        CHECK(a.log_alpha_norm == Approx(std::log10(sum)).epsilon(k_same_formula_rel_tol));
        CHECK(a.alpha_weighted == Approx(a.ks.alpha * std::log10(a.lambda_max)).epsilon(k_same_formula_rel_tol));
    }
}

TEST_CASE("equal singular values: entropy 1, stable rank M", "[layers]") {
    const MatrixF W = (3.0 * orthonormal_columns(300, 100, 41)).cast<float>();
    const LayerAnalysis a = analyze_one(W);
    REQUIRE(a.ok);
    std::printf("flat spectrum: entropy %.9f, stable rank %.6f\n", a.entropy, a.stable_rank);
    CHECK(a.entropy == Approx(1.0).epsilon(1e-6));
    CHECK(a.stable_rank == Approx(100.0).epsilon(1e-5));
    // The Gram's rounding leaves the equal eigenvalues unequal in their last bits: 9 to float precision.
    CHECK(a.eigenvalues.front() == Approx(9.0).epsilon(1e-5));
    CHECK(a.lambda_max == Approx(9.0).epsilon(1e-5));
}

TEST_CASE("conv kernels: WeightWatcher's conv2D_Wmats slices, either layout, pooled", "[layers]") {
    // PyTorch (out 5, in 3, kh 2, kw 3): a + b >= c + d, the 6 slices W[:, :, i, j] (5 x 3).
    const std::vector<std::int64_t> torch_shape = {5, 3, 2, 3};
    const MatrixF flat = gaussian_matrix_f(90, 1, 51);
    auto c_index = [](const std::vector<std::int64_t>& s, std::int64_t i, std::int64_t j, std::int64_t k, std::int64_t l) {
        return ((i * s[1] + j) * s[2] + k) * s[3] + l;
    };
    std::vector<double> expected;
    for (int k = 0; k < 2; ++k)
        for (int l = 0; l < 3; ++l) {
            MatrixF slice(5, 3);
            for (int i = 0; i < 5; ++i)
                for (int j = 0; j < 3; ++j) slice(i, j) = flat(c_index(torch_shape, i, j, k, l));
            const std::vector<double> ev = svd_eigenvalues(slice);
            expected.insert(expected.end(), ev.begin(), ev.end());
        }
    std::sort(expected.begin(), expected.end());
    const LayerPlan plan = plan_layer("conv1.weight", torch_shape, LayerOptions{});
    CHECK(plan.kind == LayerKind::conv2d);
    CHECK(plan.kernel_last);
    CHECK(plan.N == 5);
    CHECK(plan.M == 3);
    CHECK(plan.rf == 6);
    CHECK(plan.num_evals == 18);
    CHECK(plan.eigenvalue_scale == 0.5);  // WW's conv2d_norm: each slice times √(1/2)
    for (double& e : expected) e *= 0.5;
    const LayerAnalysis a =
        analyze_layer(layer_matrices(plan, torch_shape, false, MatrixF(flat)), plan.N, plan.M, plan.eigenvalue_scale);
    REQUIRE(a.eigenvalues.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(a.eigenvalues[i] == Approx(expected[i]).epsilon(1e-5).margin(1e-5));

    // The same kernel in Keras / TF.js layout (kh 2, kw 3, in 3, out 5): detected as kernel-first, same slices.
    const std::vector<std::int64_t> keras_shape = {2, 3, 3, 5};
    MatrixF keras(90, 1);
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 2; ++k)
                for (int l = 0; l < 3; ++l) keras(c_index(keras_shape, k, l, j, i)) = flat(c_index(torch_shape, i, j, k, l));
    const LayerPlan keras_plan = plan_layer("conv/kernel", keras_shape, LayerOptions{});
    CHECK_FALSE(keras_plan.kernel_last);
    CHECK(keras_plan.rf == 6);
    const LayerAnalysis b = analyze_layer(layer_matrices(keras_plan, keras_shape, false, std::move(keras)), keras_plan.N,
                                          keras_plan.M, keras_plan.eigenvalue_scale);
    REQUIRE(b.eigenvalues.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(b.eigenvalues[i] == Approx(expected[i]).epsilon(1e-5).margin(1e-5));

    // Fortran order of the PyTorch kernel: the same matrices.
    std::vector<double> c_values(90);
    for (int i = 0; i < 90; ++i) c_values[i] = flat(i);
    const std::vector<double> f_values = fx::fortran_of(c_values, torch_shape);
    MatrixF fortran(90, 1);
    for (int i = 0; i < 90; ++i) fortran(i) = static_cast<float>(f_values[i]);
    const LayerAnalysis f =
        analyze_layer(layer_matrices(plan, torch_shape, true, std::move(fortran)), plan.N, plan.M, plan.eigenvalue_scale);
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(f.eigenvalues[i] == Approx(expected[i]).epsilon(1e-5).margin(1e-5));
}

TEST_CASE("which tensors are layers: WeightWatcher's state-dict rules and its size limits", "[layers]") {
    const LayerOptions defaults;
    CHECK(plan_layer("h.0.attn.c_attn.weight", {768, 2304}, defaults).analyze);
    CHECK(plan_layer("h.0.attn.c_attn.bias", {2304}, defaults).kind == LayerKind::bias);
    CHECK(plan_layer("h.0.ln_1.weight", {768}, defaults).kind == LayerKind::norm);
    CHECK_FALSE(plan_layer("h.0.ln_1.weight", {768}, defaults).analyze);
    const LayerPlan wte = plan_layer("wte.weight", {50257, 768}, defaults);
    CHECK(wte.kind == LayerKind::embedding);
    CHECK_THAT(wte.skip_reason, Catch::Contains("max_N"));  // WW skips N > 50000 by default
    CHECK(plan_layer("wpe.weight", {1024, 768}, defaults).analyze);
    LayerOptions skip;
    skip.skip_embeddings = true;
    CHECK_FALSE(plan_layer("wpe.weight", {1024, 768}, skip).analyze);
    CHECK_THAT(plan_layer("tiny", {40, 9}, defaults).skip_reason, Catch::Contains("min_evals"));
    CHECK_FALSE(plan_layer("w", {100, 100}, defaults, false).analyze);
    CHECK(plan_layer("conv1d", {8, 4, 3}, defaults).kind == LayerKind::other);
    CHECK_FALSE(plan_layer("empty", {0, 30}, defaults).analyze);
}

TEST_CASE("a row from an .npy's bytes has every column; a NaN layer fails with its reason", "[layers]") {
    const MatrixF W = gaussian_matrix_f(60, 40, 61);
    std::vector<double> values = row_major(W);
    const fx::Bytes file = fx::npy(values, {60, 40});
    const TensorEntry entry = npy_entry();
    const LayerReport report = analyze_tensor("w.npz", entry, file.data(), file.size(), LayerOptions{}, true);
    REQUIRE(report.analysed);
    for (const std::string& column : k_layer_columns) CHECK(report.row.contains(column));
    CHECK(report.row["status"] == "success");
    CHECK(report.row["N"] == 60);
    CHECK(report.row["M"] == 40);
    CHECK(report.eigenvalues.size() == 40);
    const LayerAnalysis direct = analyze_one(W);
    CHECK(report.row["alpha"].get<double>() == direct.ks.alpha);

    values[5] = std::nan("");
    const fx::Bytes bad = fx::npy(values, {60, 40});
    const LayerReport failed = analyze_tensor("w.npz", entry, bad.data(), bad.size(), LayerOptions{}, true);
    CHECK(failed.row["status"] == "failed");
    CHECK_THAT(failed.row["message"].get<std::string>(), Catch::Contains("NaN"));
    const std::string csv = layer_rows_csv({report.row, failed.row});
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
    CHECK(csv.find("60x40") != std::string::npos);
}

namespace {

// The bytes in storage, as a front end writes them there (tensor_decode.hpp tensor_storage).
MatrixF storage_of(const fx::Bytes& bytes) {
    MatrixF storage = tensor_storage(bytes.size());
    std::copy(bytes.begin(), bytes.end(), storage_bytes(storage));
    return storage;
}

}  // namespace

TEST_CASE("float32 bytes in storage become the values in place; other dtypes decode as from bytes", "[layers]") {
    std::vector<double> values(6 * 5);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.125 * static_cast<double>(i) - 1.5;
    struct Case { const char* what; std::string type; bool fortran, big_endian, in_place; };
    const Case cases[] = {{"f4 C", "f4", false, false, true}, {"f4 Fortran", "f4", true, false, true},
                          {"f4 big-endian", "f4", false, true, true}, {"f2", "f2", false, false, false},
                          {"f8", "f8", false, false, false}};
    for (const Case& c : cases) {
        INFO(c.what);
        const fx::Bytes file = fx::npy(values, {6, 5}, c.type, c.fortran, c.big_endian);
        const TensorEntry entry = npy_entry();
        const DecodedTensor copied = decode_tensor(entry, file.data(), file.size());
        MatrixF storage = storage_of(file);
        const float* memory = storage.data();
        const DecodedTensor d = decode_tensor_storage(entry, std::move(storage), file.size());
        REQUIRE(d.ok);
        CHECK(d.tensor.shape == copied.tensor.shape);
        CHECK(d.tensor.fortran_order == copied.tensor.fortran_order);
        CHECK(d.values == copied.values);
        // The storage's own memory: no second copy. (Dropping an .npy header's floats shrinks it by realloc, which
        // glibc's and Emscripten's allocators do in place; AddressSanitizer's realloc always moves, so the
        // sanitizer build checks only the values.)
        if (!k_realloc_moves) CHECK((d.values.data() == memory) == c.in_place);
        CHECK(storage.size() == 0);
    }
    // A truncated member names the shortfall either way.
    const fx::Bytes file = fx::npy(values, {6, 5});
    const TensorEntry entry = npy_entry();
    const fx::Bytes cut(file.begin(), file.end() - 4);
    const DecodedTensor d = decode_tensor_storage(entry, storage_of(cut), cut.size());
    CHECK_FALSE(d.ok);
    CHECK(d.error == decode_tensor(entry, cut.data(), cut.size()).error);
}

TEST_CASE("a row from storage equals the row from bytes", "[layers]") {
    const MatrixF W = gaussian_matrix_f(60, 40, 62);
    std::vector<double> values = row_major(W);
    const fx::Bytes file = fx::npy(values, {60, 40});
    const TensorEntry entry = npy_entry();
    const LayerReport from_bytes = analyze_tensor("w.npy", entry, file.data(), file.size(), LayerOptions{}, true);
    const LayerReport from_storage = analyze_tensor_storage("w.npy", entry, storage_of(file), file.size(), LayerOptions{}, true);
    CHECK(from_storage.row == from_bytes.row);
    CHECK(from_storage.eigenvalues == from_bytes.eigenvalues);
}
