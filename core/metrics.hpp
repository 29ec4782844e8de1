// Feature and alignment metrics (docs/method.md §6).
//
// KTA   = <F F^T, y y^T>_F / (||F F^T||_F ||y y^T||_F) = ||F^T y||^2 / (||F^T F||_F ||y||^2)  (never forms n x n)
// sim   = |<v_1, beta*>|, v_1 the top right singular vector of W
// overlap(A, B)_{ij} = <a_i, b_j>^2 for the columns of A (m x k) and B (m x k)
#pragma once
#include <vector>

#include "spectrum.hpp"

namespace spiketail {

double kernel_target_alignment(double fty_norm2, double gram_frobenius, double yy);
double kernel_target_alignment(const MatrixF& F, const VectorF& y);

// |<v_i, beta>| for every column v_i of V (V: d x r, unit columns).
std::vector<double> singular_vector_alignment(const MatrixD& V, const VectorD& beta);

// k x k row-major matrix of squared inner products between the first k columns of A and of B.
std::vector<double> squared_overlaps(const MatrixD& A, const MatrixD& B, int k);

// Top-k left singular vectors U = W V_k / sigma_k (rows x k) from a right SVD.
MatrixD left_singular_vectors(const MatrixF& W, const RightSvd& svd, int k);

}  // namespace spiketail
