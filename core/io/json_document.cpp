// JSON documents read with every problem named (json_document.hpp): a token scanner for what json::parse
// accepts silently (duplicate keys) or reports without the field (number overflow), then json::parse.
#include "json_document.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

namespace spiketail {
namespace {

using nlohmann::json;

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), 0 when there is none.
std::size_t utf8_sequence_length(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t length = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) length = 2;
    else if (c == 0xE0) length = 3, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) length = 3;
    else if (c == 0xED) length = 3, hi = 0x9F;
    else if (c == 0xF0) length = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) length = 4;
    else if (c == 0xF4) length = 4, hi = 0x8F;
    else return 0;
    if (i + length > s.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const unsigned char b = byte(i + k);
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    }
    return length;
}

// The text with each byte that is not part of well-formed UTF-8 written as <0xEF>. json::parse's messages quote
// the bytes last read, which may stop inside a character (a byte order mark in the middle of a document: "last
// read: '\xEF'") or not be UTF-8 at all; a message must be UTF-8 to go into a JSON document (the page's
// validateConfig dumps its errors, and a dump throws on invalid UTF-8). Found by fuzzing (tests/fuzz/).
std::string utf8_or_escaped(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length > 0) {
            out.append(text, i, length);
            i += length;
        } else {
            static const char digits[] = "0123456789ABCDEF";
            const auto c = static_cast<unsigned char>(text[i++]);
            out += "<0x";
            out += digits[c >> 4];
            out += digits[c & 15];
            out += '>';
        }
    }
    return out;
}

// Records the first syntax error of a document that json::parse rejected: its position and reason.
// A SAX handler gets the error as a value, so this works without exception support.
struct SyntaxErrorSax {
    std::string message;
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
        message = utf8_or_escaped(error.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> "parse error at ..."
        const auto bracket = message.find("] ");
        if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
        return false;
    }
};

struct Position {
    std::size_t line = 0, column = 0;
};

// An object or array the scanner is inside.
struct Frame {
    bool object = false;
    std::string path;         // the field the container itself is ("" for the document)
    std::size_t index = 0;    // arrays: the index of the value being read
    bool expect_key = false;  // objects: the next string is a key
    std::string key;          // objects: the key whose value comes next
    std::unordered_map<std::string, Position> seen;  // objects: every key so far and where
};

std::string child_path(const Frame& frame) {
    if (frame.object) return frame.path.empty() ? key_name(frame.key) : frame.path + "." + key_name(frame.key);
    return frame.path + "[" + std::to_string(frame.index) + "]";
}

void append_utf8(std::string& out, unsigned long code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

bool read_hex4(const std::string& text, std::size_t at, unsigned long& code) {
    if (at + 4 > text.size()) return false;
    code = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
        const char c = text[k];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) return false;
        code = code * 16 + static_cast<unsigned long>(digit);
    }
    return true;
}

// Reads the string whose opening quote is at text[i]; on success i is past the closing quote and out holds
// the decoded text (as json::parse decodes it, so that "n" and "\u006e" are the same key).
bool read_string(const std::string& text, std::size_t& i, std::string& out) {
    out.clear();
    std::size_t k = i + 1;
    while (k < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[k]);
        if (c == '"') {
            i = k + 1;
            return true;
        }
        if (c < 0x20) return false;  // a raw control character (json::parse names it)
        if (c != '\\') {
            out += static_cast<char>(c);
            ++k;
            continue;
        }
        if (k + 1 >= text.size()) return false;
        const char e = text[k + 1];
        k += 2;
        switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned long code = 0;
                if (!read_hex4(text, k, code)) return false;
                k += 4;
                if (code >= 0xD800 && code <= 0xDBFF) {  // a surrogate pair
                    unsigned long low = 0;
                    if (k + 6 > text.size() || text[k] != '\\' || text[k + 1] != 'u' || !read_hex4(text, k + 2, low) ||
                        low < 0xDC00 || low > 0xDFFF)
                        return false;
                    k += 6;
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                } else if (code >= 0xDC00 && code <= 0xDFFF) {
                    return false;
                }
                append_utf8(out, code);
                break;
            }
            default: return false;
        }
    }
    return false;  // unterminated
}

std::string field_or_json(const std::string& path) { return path.empty() ? "json" : path; }

// A number token in a message: at most 40 characters of it.
std::string excerpt(const std::string& token) {
    return token.size() <= 40 ? token : token.substr(0, 37) + "...";
}

}  // namespace

std::string key_name(const std::string& key) { return key.empty() ? "\"\"" : key; }

std::string text_position(std::size_t line, std::size_t column) {
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

JsonScan scan_json(const std::string& text) {
    JsonScan scan;
    std::vector<Frame> stack;
    std::size_t i = 0, line = 1, line_start = 0;
    bool seen_value = false;
    auto here = [&](std::size_t at) { return Position{line, at - line_start + 1}; };
    auto value_path = [&]() { return stack.empty() ? std::string() : child_path(stack.back()); };
    auto at_text = [](const Position& p) { return text_position(p.line, p.column); };
    std::string decoded, token;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = line_start = 3;  // a UTF-8 byte order mark, as json::parse skips it
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            line_start = ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        if (c == '{' || c == '[') {
            if (!stack.empty() && stack.back().object && stack.back().expect_key) return scan;  // syntax
            if (stack.size() >= static_cast<std::size_t>(k_max_document_depth)) {
                // Named after the key the nesting hangs from (the list indices would be 64 of them).
                const std::string path = value_path();
                scan.errors.push_back({field_or_json(path.substr(0, path.find('['))),
                                       "nested deeper than " + std::to_string(k_max_document_depth) +
                                           " levels of objects and arrays, at " + at_text(here(i)) +
                                           " (a config nests 3 deep)"});
                scan.too_deep = true;
                return scan;
            }
            Frame frame;
            frame.object = c == '{';
            frame.path = value_path();
            frame.expect_key = frame.object;
            stack.push_back(std::move(frame));
            seen_value = true;
            ++i;
        } else if (c == '}' || c == ']') {
            if (stack.empty() || stack.back().object != (c == '}')) return scan;
            stack.pop_back();
            ++i;
        } else if (c == ',') {
            if (stack.empty()) return scan;
            Frame& frame = stack.back();
            if (frame.object)
                frame.expect_key = true;
            else
                ++frame.index;
            ++i;
        } else if (c == ':') {
            ++i;
        } else if (c == '"') {
            const Position start = here(i);
            if (!read_string(text, i, decoded)) return scan;
            seen_value = true;
            if (!stack.empty() && stack.back().object && stack.back().expect_key) {
                Frame& frame = stack.back();
                frame.expect_key = false;
                frame.key = decoded;
                const auto [first, inserted] = frame.seen.emplace(decoded, start);
                if (!inserted)
                    scan.errors.push_back({child_path(frame), "duplicate key: at " + at_text(first->second) +
                                                                  " and again at " + at_text(start) +
                                                                  " (give each key once; JSON would keep only the last)"});
            }
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            const Position start = here(i);
            std::size_t k = i;
            while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '-' ||
                                       text[k] == '+' || text[k] == '.' || text[k] == 'e' || text[k] == 'E'))
                ++k;
            token.assign(text, i, k - i);
            i = k;
            seen_value = true;
            // json::parse refuses a number that reads as an infinite double ("number overflow"), integers
            // beyond 64 bits included (it reads those as doubles).
            char* end = nullptr;
            const double x = std::strtod(token.c_str(), &end);
            if (end == token.c_str() + token.size() && std::isinf(x))
                scan.errors.push_back({field_or_json(value_path()),
                                       "number overflow: " + excerpt(token) +
                                           " is beyond the range of a double (about 1.8e308), at " + at_text(start)});
        } else if (c >= 'a' && c <= 'z') {  // true, false, null (json::parse checks the spelling)
            while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
            seen_value = true;
        } else {
            return scan;  // not JSON: json::parse says where
        }
    }
    scan.complete = stack.empty() && seen_value;
    return scan;
}

std::vector<FieldError> parse_json_document(const std::string& text, nlohmann::json& out) {
    out = json(json::value_t::discarded);
    if (text.size() > k_max_document_bytes)
        return {{"json", "the document is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                             std::to_string(k_max_document_bytes) + " bytes (4 MiB) a config or sweep document may have"}};
    JsonScan scan = scan_json(text);
    if (scan.too_deep) return std::move(scan.errors);
    json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        SyntaxErrorSax sax;
        json::sax_parse(text, &sax);
        // A number overflow is already named by the scan, with its field.
        const bool named = sax.message.find("number overflow") != std::string::npos &&
                           std::any_of(scan.errors.begin(), scan.errors.end(), [](const FieldError& e) {
                               return e.message.rfind("number overflow", 0) == 0;
                           });
        if (!named)
            scan.errors.insert(scan.errors.begin(),
                               FieldError{"json", sax.message.empty() ? "not a valid JSON document" : sax.message});
        return std::move(scan.errors);
    }
    if (!scan.errors.empty()) return std::move(scan.errors);
    out = std::move(value);
    return {};
}

}  // namespace spiketail
