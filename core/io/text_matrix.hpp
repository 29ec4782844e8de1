// A matrix written as text: one row a line, numbers separated by commas (CSV) or tabs (TSV).
//
// A first line with any field that is not a number is a header and skipped; empty lines are skipped; every
// other line must have as many fields as the first row. Numbers are read in the C locale (strtod), a field at
// most 64 characters. The whole text is read, so it has a cap (k_max_text_bytes); an error names the line and
// its byte offset.
#pragma once
#include <cstdint>
#include <string>

#include "tensor_index.hpp"
#include "types.hpp"

namespace spiketail {

struct TextMatrix {
    bool ok = false;
    std::string error;
    std::int64_t rows = 0, cols = 0;
    bool header = false;
};

// Counts rows and columns and checks every field; with values non-null also fills it (rows * cols numbers,
// row after row, as a C-order array).
TextMatrix read_text_matrix(const std::uint8_t* text, std::size_t size, char separator, MatrixF* values);

}  // namespace spiketail
