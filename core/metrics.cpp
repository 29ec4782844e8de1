#include "metrics.hpp"

#include "gemm.hpp"

#include <algorithm>
#include <cmath>

namespace spiketail {

double kernel_target_alignment(double fty_norm2, double gram_frobenius, double yy) {
    const double denominator = gram_frobenius * yy;
    return denominator > 0 ? fty_norm2 / denominator : 0.0;
}

double kernel_target_alignment(const MatrixF& F, const VectorF& y) {
    const MatrixD Fd = F.cast<double>();
    const VectorD yd = y.cast<double>();
    const MatrixD gram = Fd.transpose() * Fd;
    return kernel_target_alignment((Fd.transpose() * yd).squaredNorm(), gram.norm(), yd.squaredNorm());
}

std::vector<double> singular_vector_alignment(const MatrixD& V, const VectorD& beta) {
    const VectorD dots = V.transpose() * beta;
    std::vector<double> out(dots.size());
    for (Eigen::Index i = 0; i < dots.size(); ++i) out[i] = std::abs(dots[i]);
    return out;
}

std::vector<double> squared_overlaps(const MatrixD& A, const MatrixD& B, int k) {
    const Eigen::Index ka = std::min<Eigen::Index>(k, A.cols()), kb = std::min<Eigen::Index>(k, B.cols());
    const MatrixD dots = A.leftCols(ka).transpose() * B.leftCols(kb);
    std::vector<double> out(static_cast<std::size_t>(ka * kb));
    for (Eigen::Index i = 0; i < ka; ++i)
        for (Eigen::Index j = 0; j < kb; ++j) out[i * kb + j] = dots(i, j) * dots(i, j);
    return out;
}

MatrixD left_singular_vectors(const MatrixF& W, const RightSvd& svd, int k) {
    const Eigen::Index kk = std::min<Eigen::Index>(k, svd.V.cols());
    // Through the gemm seam (fixed column blocks), so U does not depend on the thread count.
    const MatrixF Vt = svd.V.leftCols(kk).transpose().cast<float>();
    MatrixF WV;
    product_nt(W, Vt, 1.0f, WV);
    MatrixD U = WV.cast<double>();
    for (Eigen::Index j = 0; j < kk; ++j) {
        const double sigma = std::sqrt(std::max(svd.s2[j], 0.0));
        if (sigma > 0) U.col(j) /= sigma;
    }
    return U;
}

}  // namespace spiketail
