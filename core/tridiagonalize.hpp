// Householder reduction of a symmetric matrix to tridiagonal form, blocked so that half of its flops run
// through the GEMM (LAPACK's dsytrd with dlatrd panels, UPLO = 'L'; Dongarra, Hammarling & Sorensen 1989):
//
//   A = Q T Q^T,  A: n x n symmetric, T: tridiagonal (diagonal d: n, off-diagonal e: n-1), Q = H_0 ... H_{n-2},
//   H_j = I - tau_j v_j v_j^T (v_j: zero above row j+1, 1 at row j+1).
//
// Unblocked (dsytd2), every reflector updates the whole trailing matrix at once, A <- A - v x^T - x v^T after a
// product A v: ~1.5 L² numbers read or written per column of an L x L trailing matrix, at memory speed (level 2).
// Blocked, a panel of nb columns is reduced against the trailing matrix as it was (dlatrd): column j needs
// y = A_22 v_j (one symmetric matrix-vector product, symv.hpp, reading only the lower triangle) corrected by the
// panel's earlier reflectors through V (n x j) and W (n x j), and after the panel the trailing matrix is updated once:
//
//   A_22 <- A_22 - V W^T - W V^T      (V, W: (n - nb) x nb; a rank-2nb product, gemm.hpp rank2k_update_lower)
//
// So (4/3) n³ flops in all, half in the rank-2k products (GEMM speed), half in the symv (memory speed, one pass
// over the lower triangle per column: L²/2 numbers, a third of the unblocked traffic, and in float half again).
// Only the lower triangle of A is read and written.
//
// Precision: float32 (the ESD's Gram matrix is summed in float32, so its entries already carry float rounding of
// the same size as this reduction's backward error ~ c n u ||A||; docs/method.md §6.1 has the measured errors);
// d and e are returned in double for the tridiagonal eigenvalue solver. The Householder vectors are discarded:
// this is the eigenvalues-only path.
#pragma once
#include "types.hpp"

namespace spiketail {

struct Tridiagonal {
    VectorD diagonal;      // n
    VectorD off_diagonal;  // n - 1 (0 when n = 0)
};

// Panel width nb: 32 as LAPACK's default (ilaenv); bench/NOTES.md has the measured alternatives.
constexpr int k_tridiagonal_block = 32;

// The blocked reduction of the lower triangle of A (A is overwritten). block < 1 or block >= n: unblocked.
Tridiagonal tridiagonalize(MatrixF& A, int block = k_tridiagonal_block);

// The reference: unblocked dsytd2 on the full symmetric matrix in double, plain loops.
Tridiagonal tridiagonalize_reference(MatrixD A);

}  // namespace spiketail
