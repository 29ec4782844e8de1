// One tensor's stored bytes -> its numbers as float32 (the precision of the analysis' matrices, docs/method.md §14).
//
//   F16 / BF16 / F32      exact in float32
//   F64                   rounded to float32 (relative error <= 2^-24, far below the spread of a fitted exponent)
//   U8 / U16 (TF.js)      q * scale + min, TF.js's own dequantisation
//   Q8_0 (GGUF)           d * q per block of 32 (d an F16 scale, q int8), ggml's dequantize_row_q8_0
// Little-endian unless the npy header says '>'; the values keep the stored order (C or Fortran, told by
// the returned entry), so a 2-D tensor needs no reordering copy: a C-order r x c array read column-major is
// its c x r transpose, with the same eigenvalues.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "tensor_index.hpp"
#include "types.hpp"

namespace spiketail {

struct DecodedTensor {
    bool ok = false;
    std::string error;   // names the tensor
    TensorEntry tensor;  // as indexed; an npz member's dtype, shape and order filled from its .npy header
    MatrixF values;      // elements x 1, in stored order
};

// bytes: the tensor's stored bytes (its ranges concatenated; a deflated member already inflated).
DecodedTensor decode_tensor(const TensorEntry& entry, const std::uint8_t* bytes, std::size_t size);

// A block for a tensor's stored bytes that can become its values without a copy: ceil(size / 4) floats, into
// whose memory (storage_bytes) a front end writes the bytes it reads (the page: straight into the wasm heap).
MatrixF tensor_storage(std::size_t size);
std::uint8_t* storage_bytes(MatrixF& storage);
// Whether decode_tensor_storage turns this entry's bytes into its values in place: float32, not quantised, raw
// or an .npy member (its header read; a pending npz member's dtype is not known before).
bool decodes_in_place(const TensorEntry& entry);
// decode_tensor of the first `size` bytes of storage. A float32 tensor (either byte order, raw or behind an
// .npy header) becomes its values in the storage itself: one copy of the layer in memory, not two. Any other is
// decoded into new values and the storage freed before returning.
DecodedTensor decode_tensor_storage(const TensorEntry& entry, MatrixF&& storage, std::size_t size);

// IEEE binary16 and bfloat16 bit patterns to float (subnormals, infinities and NaN kept).
float half_to_float(std::uint16_t bits);
float bfloat16_to_float(std::uint16_t bits);

}  // namespace spiketail
