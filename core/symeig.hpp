// Symmetric eigen-decomposition that pays only for what a probe uses: every eigenvalue, the projections
// of a few given vectors on every eigenvector, and the eigenvectors of the k largest eigenvalues.
//
// A: n x n symmetric.  A = Q T Q^T (Householder tridiagonalisation, Eigen), T = Z diag(lambda) Z^T.
//   eigenvalues:  implicit QL with Wilkinson shifts on T (Numerical Recipes' tqli), O(n^2)
//   projections:  <b, v_i> = (Z^T Q^T b)_i — the QL rotations are applied to Q^T b instead of to an n x n Z
//                 (as Golub & Welsch do for Gauss quadrature), O(n^2) per vector
//   top vectors:  inverse iteration on T - lambda_i I (pivoted tridiagonal LU, re-orthogonalised within a
//                 cluster as LAPACK's dstein), then v = Q z, O(n^2 k)
// So the cost is that of the eigenvalues alone (the O(n^3) tridiagonalisation), not of the full eigenvectors.
// This path stays in double on Eigen's (unblocked) tridiagonalisation: it serves the training probes (n <= a few
// thousand, whose pinned results and vectors it keeps); the eigenvalues-only path below is the fast one.
// Method: docs/method.md §6.1.
#pragma once
#include "types.hpp"

namespace spiketail {

struct SymmetricEigen {
    bool ok = true;               // false when the QL iteration did not converge (non-finite input)
    Eigen::VectorXd values;       // n, descending
    Eigen::MatrixXd top_vectors;  // n x k, unit eigenvectors of values[0..k)
    Eigen::MatrixXd projections;  // n x m, projections(i, r) = <v_i, b_r> for the columns b_r of `project`
};

// project: n x m (m may be 0). top_k is clamped to [0, n].
SymmetricEigen symmetric_eigen(const Eigen::MatrixXd& A, int top_k, const Eigen::MatrixXd& project);

// Eigenvalues only, of a float symmetric matrix (the ESD's path, docs/method.md §6.1.1): the blocked float32
// reduction of tridiagonalize.hpp (its bulk through the GEMM), then the root-free QL of sterf.hpp on T in double.
struct SymmetricEigenvalues {
    bool ok = true;         // false when the QL iteration did not converge (non-finite input); values are NaN then
    Eigen::VectorXd values;  // n, ascending
};
// Only A's lower triangle is read; A is overwritten by the reduction.
SymmetricEigenvalues symmetric_eigenvalues(MatrixF& A);

}  // namespace spiketail
