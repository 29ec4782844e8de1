#include "gemm.hpp"

namespace spiketail {

void product_nt(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.rows(), B.rows());
    C.noalias() = alpha * A * B.transpose();
}

void product_tn(const MatrixF& A, const MatrixF& B, float alpha, MatrixF& C) {
    C.resize(A.cols(), B.cols());
    C.noalias() = alpha * A.transpose() * B;
}

}  // namespace spiketail
