// The matrix and vector types every part of the core shares. The bottom of the include graph: it includes
// only Eigen, so that the training code (data, model, optim, ridge, gemm) need not include the analysis.
//
// Training arrays (data, weights, activations, gradients) are float; whatever is accumulated or decomposed
// (eigenvalues, singular vectors, the ridge solve) is double.
// Method: docs/method.md §10: float32 weights and data, double for the spectrum.
#pragma once
#include <Eigen/Core>

namespace spiketail {

using MatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
using VectorF = Eigen::Matrix<float, Eigen::Dynamic, 1>;
using MatrixD = Eigen::MatrixXd;
using VectorD = Eigen::VectorXd;

}  // namespace spiketail
