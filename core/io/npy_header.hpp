// The header of a NumPy .npy file (format versions 1.0, 2.0 and 3.0, numpy/lib/format.py):
//
//   offset 0  "\x93NUMPY"  magic
//          6  major, minor version
//          8  header length L: uint16 little-endian (1.0), uint32 (2.0, 3.0)
//   10 or 12  L bytes of a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
//             padded with spaces and a newline; the data follows, C or Fortran order, no padding after it.
//
// Only float16/32/64 data ('<f2' '<f4' '<f8', big-endian '>' too) is read; any other descr is named in the error.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "tensor_index.hpp"

namespace spiketail {

struct NpyHeader {
    bool ok = false;
    std::string error;        // with the byte offset where the problem is
    std::uint64_t need = 0;   // when > 0: read at least this many bytes from the start, then call again
    TensorEntry tensor;       // dtype, shape, order; ranges = the data (offset after the header, its length)
};

// bytes: the file's first `size` bytes (size may be the whole file). file_size bounds the data range: a data
// range past the end is an error naming both offsets. name becomes the tensor's name.
NpyHeader parse_npy_header(const std::uint8_t* bytes, std::size_t size, std::uint64_t file_size, const std::string& name);

}  // namespace spiketail
