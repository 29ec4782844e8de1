// Where the time of a step and of an ESD goes, piece by piece, in whatever build this is compiled for
// (emcc: the browser engine; g++: native). A measuring tool for bench/NOTES.md, not part of the product.
//   profile_core [n d h]   (default: the study's 2000 1000 1500)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>
#include <algorithm>

#include "gemm.hpp"
#include "gemm_kernel.hpp"
#include "ridge.hpp"
#include "model.hpp"
#include "optim.hpp"
#include "session.hpp"
#include "spectrum.hpp"
#include "symeig.hpp"
#include <Eigen/Eigenvalues>

using namespace spiketail;

static double seconds(const std::function<void()>& fn, int reps = 3) {
    std::vector<double> t;
    fn();  // warm-up
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

int main(int argc, char** argv) {
    Config c;
    if (argc == 4) { c.n = std::atoi(argv[1]); c.d = std::atoi(argv[2]); c.h = std::atoi(argv[3]); }
    c.probe_update = false;
    c.top_k = std::min(c.top_k, std::min(c.h, c.d));
    Session s(c);
    const MatrixF& X = s.data().train.X;
    const VectorF& y = s.data().train.y;
    Student st = s.student();
    ForwardCache cache;
    Gradients grads;
    MatrixF Z;
    const float inv = 1.0f / std::sqrt(float(c.d));
    std::printf("shape n=%d d=%d h=%d\n", c.n, c.d, c.h);
    std::printf("%-34s %8.4f s\n", "product_nt X W^T", seconds([&] { product_nt(X, st.W, inv, Z); }));
    std::printf("%-34s %8.4f s\n", "tanh on n x h (Eigen)", seconds([&] { MatrixF A = Z; A.array() = A.array().tanh(); }));
    std::printf("%-34s %8.4f s\n", "  copy n x h (part of the above)", seconds([&] { MatrixF A = Z; }));
    std::printf("%-34s %8.4f s\n", "student_forward", seconds([&] { student_forward(st, X, y, cache); }));
    std::printf("%-34s %8.4f s\n", "student_backward", seconds([&] { student_backward(st, X, y, cache, false, grads); }));
    std::printf("%-34s %8.4f s\n", "product_tn G^T X", seconds([&] { MatrixF dW; product_tn(cache.A, X, inv, dW); }));
    Optimizer opt(c, c.h, c.d);
    MatrixF W = st.W;
    std::printf("%-34s %8.4f s\n", "Adam update", seconds([&] { opt.step(W, grads.dW, nullptr, nullptr, 1e-3); }));
    std::printf("%-34s %8.4f s\n", "Session::step", seconds([&] { s.step(1); }));
    std::printf("%-34s %8.4f s\n", "Session::probe", seconds([&] { s.probe(); }, 1));
    MatrixF F;
    std::printf("%-34s %8.4f s\n", "  student_features (probe set)", seconds([&] { F = student_features(s.student(), s.data().probe.X, std::sqrt(double(c.d))); }));
    std::printf("%-34s %8.4f s\n", "  ridge_refit", seconds([&] { ridge_refit(F, s.data().probe.y, c.reg_lambda); }));
    std::printf("%-34s %8.4f s\n", "    F^T F (float rankUpdate)", seconds([&] {
        MatrixF g = MatrixF::Zero(F.cols(), F.cols());
        g.selfadjointView<Eigen::Lower>().rankUpdate(F.transpose()); }));
    std::printf("%-34s %8.4f s\n", "    F^T F (gram_simd)", seconds([&] { MatrixF g; product_tn_self_simd(F, 1.0f, g); }));
    std::printf("%-34s %8.4f s\n", "  top_right_svd (top_k, beta)", seconds([&] { top_right_svd(s.student().W, c.top_k, &s.data().teacher.beta); }));
    const MatrixF& Wt = s.student().W;
    MatrixD G;
    std::printf("%-34s %8.4f s\n", "Gram W^T W (float rankUpdate)", seconds([&] {
        MatrixF g = MatrixF::Zero(Wt.cols(), Wt.cols());
        g.selfadjointView<Eigen::Lower>().rankUpdate(Wt.transpose());
        G = g.cast<double>().selfadjointView<Eigen::Lower>();
    }));
    std::printf("%-34s %8.4f s\n", "Gram W^T W (gram_simd)", seconds([&] { MatrixF g; product_tn_self_simd(Wt, 1.0f, g); }));
    std::printf("%-34s %8.4f s\n", "symmetric_eigen values only", seconds([&] { symmetric_eigen(G, 0, MatrixD()); }));
    std::printf("%-34s %8.4f s\n", "Eigen SelfAdjoint EigenvaluesOnly", seconds([&] { Eigen::SelfAdjointEigenSolver<MatrixD> e(G, Eigen::EigenvaluesOnly); }));
    std::vector<double> ev;
    std::printf("%-34s %8.4f s\n", "esd_eigenvalues", seconds([&] { ev = esd_eigenvalues(Wt); }));
    MatrixF g1;
    product_tn_self(Wt, 1.0f, g1);
    MatrixD gd;
    std::printf("%-34s %8.4f s\n", "  Gram float -> double", seconds([&] { gd = g1.cast<double>(); }));
    std::printf("%-34s %8.4f s\n", "  eigenvalues of that", seconds([&] { Eigen::SelfAdjointEigenSolver<MatrixD> e(gd, Eigen::EigenvaluesOnly); }));
    std::printf("%-34s %8.4f s\n", "  W.cast<double>().squaredNorm()", seconds([&] { volatile double x = Wt.cast<double>().squaredNorm(); (void)x; }));
    std::printf("%-34s %8.4f s\n", "esd with product_tn_self (Gram)", seconds([&] {
        MatrixF g;
        product_tn_self(Wt, 1.0f, g);
        Eigen::SelfAdjointEigenSolver<MatrixD> e(g.cast<double>(), Eigen::EigenvaluesOnly);
    }));
    std::printf("%-34s %8.4f s\n", "summarize_eigenvalues", seconds([&] { summarize_eigenvalues(ev, MpLaw{}); }));
    std::printf("%-34s %8.4f s\n", "analyze_spectrum", seconds([&] { analyze_spectrum(Wt, 0.0); }));
    return 0;
}
