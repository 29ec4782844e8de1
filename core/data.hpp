// The single-index teacher and its three data sets (docs/method.md §2).
//
// x ~ N(0, I_d), beta* = g / ||g|| with g ~ N(0, I_d),  y = sigma*(<beta*, x>) + eps, eps ~ N(0, rho^2).
// X: n x d (one sample per row, drawn sample by sample, so a smaller n is a prefix of a larger one).
#pragma once
#include "activation.hpp"
#include "config.hpp"
#include "types.hpp"

namespace spiketail {

struct Teacher {
    VectorD beta;                      // d, unit norm
    Activation target = Activation::softplus;
    double noise_std = 0.0;
};

struct DataSet {
    MatrixF X;  // n x d
    VectorF y;  // n
};

struct DataSets {
    Teacher teacher;
    DataSet train;  // for the gradient
    DataSet probe;  // for the ridge refit, the train loss and KTA
    DataSet test;   // for the test loss
};

// Draws teacher and sets from the streams (seed, repeat, purpose) of rng.hpp.
DataSets make_data(const Config& config);

}  // namespace spiketail
