// Which tensors of a model file are layers, and the matrices of a layer: WeightWatcher 0.7.5.5's conventions
// for a file of named tensors (weightwatcher.py: PyStateDictLayer.layer_type, WWLayer.set_weight_matrices,
// conv2D_Wmats, WWLayerIterator.layer_supported; docs/method.md §15).
//
//   2-D (r, c)          W itself: N = max(r, c), M = min(r, c), rf = 1
//   4-D (a, b, c, d)    a convolution kernel. Its layout is detected as conv2D_Wmats does: when a + b >= c + d
//                       the kernel positions are last (PyTorch's out, in, kh, kw) and the c·d slices
//                       W[:, :, i, j] (a x b) are the matrices; otherwise they are first (Keras / TF.js's
//                       kh, kw, in, out) and the a·b slices W[i, j, :, :] (c x d) are. N = max, M = min of a
//                       slice's sides, rf = the number of slices; the slices' eigenvalues are pooled in one ESD,
//                       and halved: WW's default conv2d_norm=True multiplies each slice by √(1/2)
//                       (apply_normalize_Wmats, with conv2d_count = 1 when pooling).
//   1-D                 a bias (the name ends in "bias") or a norm's scale: listed, not a layer (WW: no weights)
//   0-D, 3-D, 5-D+      listed, not a layer (WW's state-dict reader types them UNKNOWN)
// A 2-D tensor whose name says embedding (embed, embd, wte, wpe) is kind "embedding": analysed, as WW does, unless
// skip_embeddings. Skipped as layer_supported skips: num_evals = M·rf < min_evals, > max_evals, or N > max_n.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "types.hpp"

namespace spiketail {

enum class LayerKind { dense, conv2d, embedding, bias, norm, other };

// WW's conv2d_norm: a pooled Conv2D layer's slices are scaled by √(conv2d_count / 2) = √(1/2), its eigenvalues by 1/2.
constexpr double k_conv2d_eigenvalue_scale = 0.5;

// WeightWatcher's defaults (constants.py: DEFAULT_MIN_EVALS, DEFAULT_MAX_EVALS, DEFAULT_MAX_N).
constexpr std::int64_t k_default_min_evals = 10;
constexpr std::int64_t k_default_max_evals = 15000;
constexpr std::int64_t k_default_max_n = 50000;

struct LayerOptions {
    std::int64_t min_evals = k_default_min_evals;  // --min-size
    std::int64_t max_evals = k_default_max_evals;  // 0: no upper bound
    std::int64_t max_n = k_default_max_n;          // 0: no upper bound
    bool skip_embeddings = false;
};

struct LayerPlan {
    LayerKind kind = LayerKind::other;
    bool analyze = false;
    std::string skip_reason;              // why not, when not analysed
    std::int64_t N = 0, M = 0, rf = 1;    // N >= M; rf slices (1 for a 2-D layer)
    std::int64_t num_evals = 0;           // M * rf
    bool kernel_last = true;              // 4-D: slices W[:, :, i, j] (true) or W[i, j, :, :]
    double eigenvalue_scale = 1.0;        // k_conv2d_eigenvalue_scale for conv2d
};

// name_selected: whether the name passed the user's filter (a regex the front end applied), else skipped.
LayerPlan plan_layer(const std::string& name, const std::vector<std::int64_t>& shape, const LayerOptions& options,
                     bool name_selected = true);

// The matrices of an analysed layer from its values in stored order (elements x 1, C or Fortran order).
// A 2-D layer's single matrix takes over values' memory (W or its transpose: the same eigenvalues).
std::vector<MatrixF> layer_matrices(const LayerPlan& plan, const std::vector<std::int64_t>& shape, bool fortran_order,
                                    MatrixF&& values);

const char* to_string(LayerKind kind);

}  // namespace spiketail
