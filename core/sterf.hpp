// Every eigenvalue of a symmetric tridiagonal matrix, without vectors: the root-free QL iteration of Pal, Walker and
// Kahan as LAPACK's dsterf runs it (its QL branch), so the eigenvalues-only path pays no square root per rotation.
//
//   T: n x n, diagonal d (n), off-diagonal e (n-1, e[i] couples d[i] and d[i+1]).
//   The iteration works on the squares e_i² and on gamma² with an implicit Wilkinson shift; a block splits off
//   when e_m² <= eps² |d_m d_{m+1}|; a 2 x 2 block is solved in closed form (LAPACK's dlae2). Each iteration
//   runs two sweeps interleaved row by row (two independent chains of dependent operations on one core), the
//   second with a shift from the leading 3 x 3; a block of 65 rows or more takes a second such pair with shifts
//   from the leading 8 x 8, which runs on a second thread from 129 rows where threads stay awake between calls
//   (parallel.hpp threads_stay_awake), following the first pair row by row. The sweeps' operations do not depend
//   on where they run: the same bits on any number of threads.
//
// As dsterf, a T whose largest entry lies outside [2^-405, 2^510] (its squares would underflow or overflow) is
// scaled by a power of two into it first, exactly, and its eigenvalues scaled back; a T inside is not touched.
// The tqli of symeig.cpp (with vectors) is the reference it is tested against through Eigen
// (tests/core/test_tridiagonalize.cpp). Method: docs/method.md §6.1.1.
#pragma once
#include "types.hpp"

namespace spiketail {

// d is overwritten with the eigenvalues (unordered); false when the iteration did not converge (30 n sweeps,
// dsterf's limit; e.g. a non-finite T).
bool tridiagonal_eigenvalues(VectorD& d, const VectorD& e);

}  // namespace spiketail
