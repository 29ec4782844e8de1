#include "ridge.hpp"

#include <Eigen/Cholesky>

#include "gemm.hpp"

namespace spiketail {
namespace {

// F a in double without a double copy of F (n x h): one column at a time.
VectorD apply_features(const MatrixF& F, const VectorD& a) {
    VectorD out = VectorD::Zero(F.rows());
    for (Eigen::Index j = 0; j < F.cols(); ++j) out += F.col(j).cast<double>() * a[j];
    return out;
}

}  // namespace

RidgeFit ridge_refit(const MatrixF& F, const VectorF& y, double lambda) {
    const Eigen::Index n = F.rows(), h = F.cols();
    const double c = lambda * static_cast<double>(n) / static_cast<double>(h);
    const VectorD yd = y.cast<double>();
    RidgeFit fit;
    fit.yy = yd.squaredNorm();
    VectorD fty(h);
    for (Eigen::Index j = 0; j < h; ++j) fty[j] = F.col(j).cast<double>().dot(yd);
    fit.fty_norm2 = fty.squaredNorm();

    // The Gram matrix of the smaller side, accumulated in float (gemm.hpp), solved in double, factorised in
    // place: the probe's heap peak is one double Gram.
    const bool dual = n < h;
    MatrixD gram;
    if (dual) {
        MatrixF gram_f;
        product_nt(F, F, 1.0f, gram_f);
        gram = gram_f.cast<double>();
    } else {
        product_tn_self_double(F, gram);
    }
    fit.gram_frobenius = gram.norm();

    gram.diagonal().array() += c;
    Eigen::LLT<Eigen::Ref<MatrixD>> llt(gram);
    if (llt.info() != Eigen::Success) {
        fit.ok = false;
        fit.a = VectorD::Zero(h);
        return fit;
    }
    if (dual) {
        const VectorD u = llt.solve(yd);
        fit.a.resize(h);
        for (Eigen::Index j = 0; j < h; ++j) fit.a[j] = F.col(j).cast<double>().dot(u);
    } else {
        fit.a = llt.solve(fty);
    }
    return fit;
}

double ridge_loss(const MatrixF& F, const VectorF& y, const VectorD& a) {
    const VectorD residual = apply_features(F, a) - y.cast<double>();
    return residual.squaredNorm() / static_cast<double>(F.rows());
}

}  // namespace spiketail
