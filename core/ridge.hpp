// Ridge refit of the last layer on fixed features (docs/method.md §5).
//
// F: n x h features, y: n.
//   a_hat = argmin (1/n) ||y - F a||^2 + (lambda / h) ||a||^2
//         = (F^T F + c I_h)^-1 F^T y           (primal, h x h, when n >= h)
//         = F^T (F F^T + c I_n)^-1 y           (dual,   n x n, when n <  h),   c = lambda n / h
// Solved by Cholesky (LLT) on the smaller Gram matrix, never an explicit inverse.
#pragma once
#include "types.hpp"

namespace spiketail {

struct RidgeFit {
    VectorD a;              // h
    double gram_frobenius = 0;  // ||F^T F||_F (= ||F F^T||_F), reused by the kernel-target alignment
    double fty_norm2 = 0;   // ||F^T y||^2
    double yy = 0;          // ||y||^2
    bool ok = true;         // false when the Cholesky factorisation failed
};

RidgeFit ridge_refit(const MatrixF& F, const VectorF& y, double lambda);

// Mean squared error (1/n) ||y - F a||^2, accumulated in double.
double ridge_loss(const MatrixF& F, const VectorF& y, const VectorD& a);

}  // namespace spiketail
