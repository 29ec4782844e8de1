// A tiny wasm harness around the GEMM seam, so that bench/run.mjs can time our products in Node beside
// TF.js (the embind module exposes sessions, not products) and check the kernel against the reference.
//
// Shapes as in core/gemm.hpp: kind 0 = product_nt (A: m x k, B: n x k), kind 1 = product_tn (A: k x m,
// B: k x n), kind 2 = the Gram product A^T A (A: k x m, C: m x m, n = m); C: m x n. impl 0 = our SIMD
// kernel, 1 = Eigen (the "out of the box" wasm baseline; for the Gram its symmetric rank update, as
// spectrum.cpp and ridge.cpp call it), 2 = the naive reference.
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>

#include "gemm_kernel.hpp"

using spiketail::MatrixF;

namespace {

MatrixF g_a, g_b, g_c;
int g_kind = 0;

// A small deterministic generator (xorshift) for uniform entries in [-1, 1).
void fill(MatrixF& M, std::uint32_t seed) {
    std::uint32_t s = seed * 2654435761u + 1u;
    for (Eigen::Index i = 0; i < M.size(); ++i) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        M.data()[i] = static_cast<float>(s) * (2.0f / 4294967296.0f) - 1.0f;
    }
}

void run(int impl, float alpha, MatrixF& C) {
    if (g_kind == 2) {
        if (impl == 0) spiketail::product_tn_self_simd(g_a, alpha, C);
        else if (impl == 1) {
            C = MatrixF::Zero(g_a.cols(), g_a.cols());
            C.selfadjointView<Eigen::Lower>().rankUpdate(g_a.transpose(), alpha);
            C.triangularView<Eigen::StrictlyUpper>() = C.transpose();
        } else spiketail::product_tn_reference(g_a, g_a, alpha, C);
    } else if (g_kind == 0) {
        if (impl == 0) spiketail::product_nt_simd(g_a, g_b, alpha, C);
        else if (impl == 1) { C.resize(g_a.rows(), g_b.rows()); C.noalias() = alpha * g_a * g_b.transpose(); }
        else spiketail::product_nt_reference(g_a, g_b, alpha, C);
    } else {
        if (impl == 0) spiketail::product_tn_simd(g_a, g_b, alpha, C);
        else if (impl == 1) { C.resize(g_a.cols(), g_b.cols()); C.noalias() = alpha * g_a.transpose() * g_b; }
        else spiketail::product_tn_reference(g_a, g_b, alpha, C);
    }
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void gemm_bench_setup(int kind, int m, int n, int k) {
    g_kind = kind;
    if (kind == 0) { g_a.resize(m, k); g_b.resize(n, k); }
    else { g_a.resize(k, m); g_b.resize(k, kind == 2 ? 1 : n); }
    fill(g_a, 1);
    fill(g_b, 2);
    g_c.resize(m, n);
}

EMSCRIPTEN_KEEPALIVE void gemm_bench_run(int impl) { run(impl, 0.5f, g_c); }

// max_ij |C - C_ref| / (|alpha| sum_p |a_ip| |b_pj|): the componentwise error relative to the bound's scale.
EMSCRIPTEN_KEEPALIVE double gemm_bench_check(int impl) {
    MatrixF C, R;
    run(impl, 0.5f, C);
    run(2, 0.5f, R);
    const MatrixF Aabs = g_a.cwiseAbs(), Babs = g_b.cwiseAbs();
    const MatrixF S = g_kind == 2 ? MatrixF(0.5f * Aabs.transpose() * Aabs) : g_kind == 0 ? MatrixF(0.5f * Aabs * Babs.transpose()) : MatrixF(0.5f * Aabs.transpose() * Babs);
    double worst = 0;
    for (Eigen::Index i = 0; i < C.size(); ++i) {
        const double scale = S.data()[i] > 0 ? S.data()[i] : 1.0;
        worst = std::fmax(worst, std::fabs(double(C.data()[i]) - double(R.data()[i])) / scale);
    }
    return worst;
}

}
