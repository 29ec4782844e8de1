#include "text_matrix.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace spiketail {
namespace {

constexpr std::size_t k_max_field_chars = 64;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Parses [begin, end) as one number; false if it is not one.
bool parse_number(const char* begin, const char* end, double& out) {
    while (begin < end && is_space(*begin)) ++begin;
    while (end > begin && is_space(end[-1])) --end;
    const std::size_t n = static_cast<std::size_t>(end - begin);
    if (n == 0 || n > k_max_field_chars) return false;
    char buffer[k_max_field_chars + 1];
    std::memcpy(buffer, begin, n);
    buffer[n] = '\0';
    char* stop = nullptr;
    out = std::strtod(buffer, &stop);
    return stop == buffer + n;
}

}  // namespace

TextMatrix read_text_matrix(const std::uint8_t* bytes, std::size_t size, char separator, MatrixF* values) {
    TextMatrix m;
    if (size > k_max_text_bytes) {
        m.error = "text: " + std::to_string(size) + " bytes, above the cap of " + std::to_string(k_max_text_bytes);
        return m;
    }
    const char* text = reinterpret_cast<const char*>(bytes);
    // The separator of a TSV is a tab, so only spaces and carriage returns are trimmed around its fields.
    std::size_t pos = 0, line_number = 0;
    std::int64_t filled = 0;
    std::vector<double> row;
    while (pos < size) {
        const char* line = text + pos;
        const void* nl = std::memchr(line, '\n', size - pos);
        const std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - line) : size - pos;
        const std::size_t line_offset = pos;
        pos += len + 1;
        ++line_number;
        std::size_t content = 0;
        while (content < len && (line[content] == ' ' || line[content] == '\r')) ++content;
        if (content == len) continue;  // empty
        std::int64_t fields = 0;
        bool numeric = true;
        std::size_t bad_at = 0;
        row.clear();
        const char* field = line;
        for (std::size_t i = 0; i <= len; ++i) {
            if (i < len && line[i] != separator) continue;
            double v = 0;
            if (!parse_number(field, line + i, v)) {
                if (numeric) bad_at = static_cast<std::size_t>(field - text);
                numeric = false;
            } else if (numeric) {
                row.push_back(v);
            }
            ++fields;
            field = line + i + 1;
            if (fields > static_cast<std::int64_t>(k_max_tensor_elements)) break;
        }
        const std::string where = " on line " + std::to_string(line_number) + " (byte " + std::to_string(line_offset) + ")";
        if (!numeric && m.rows == 0 && !m.header) {
            m.header = true;  // a header line: its fields are names
            continue;
        }
        if (!numeric) {
            m.error = "text: a field that is not a number at byte " + std::to_string(bad_at) + where;
            return m;
        }
        if (m.rows == 0) m.cols = fields;
        else if (fields != m.cols) {
            m.error = "text: " + std::to_string(fields) + " fields" + where + ", but the first row has " + std::to_string(m.cols);
            return m;
        }
        if (values && filled + fields <= values->size())
            for (double v : row) (*values)(filled++) = to_float(v);
        ++m.rows;
        if (static_cast<std::uint64_t>(m.rows) * static_cast<std::uint64_t>(m.cols) > k_max_tensor_elements) {
            m.error = "text: more than " + std::to_string(k_max_tensor_elements) + " numbers" + where;
            return m;
        }
    }
    if (m.rows == 0) {
        m.error = "text: no row of numbers";
        return m;
    }
    m.ok = true;
    return m;
}

}  // namespace spiketail
