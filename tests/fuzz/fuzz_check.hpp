// What the fuzz targets share: a check that aborts (libFuzzer then reports a crash and saves the input), and the
// UTF-8 test that tells which inputs a JSON dump must accept as they are.
#pragma once
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config.hpp"

namespace spiketail::fuzz {

// An invariant of the code under test: its failure is a bug, reported as a crash with the input saved.
inline void check(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
}

// Every error has a message and names its field. The one exception: a key that is the empty string ("" in JSON,
// which the caller says may be in the document) is named by its empty self, e.g. {"": 1} gives the field "".
inline void check_errors(const std::vector<FieldError>& errors, bool empty_key_possible) {
    for (const FieldError& e : errors) {
        check(!e.message.empty(), "an error without a message");
        check(!e.field.empty() || empty_key_possible, "an error without a field");
    }
}

// Whether text is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
// Text that reaches the engine from the page (a JavaScript string) always is; files read by the CLI may not be.
inline bool is_utf8(const std::string& text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = s[i];
        std::size_t len;
        unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
        if (c < 0x80) len = 1;
        else if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) len = 3, lo = 0xA0;
        else if (c >= 0xE1 && c <= 0xEC) len = 3;
        else if (c == 0xED) len = 3, hi = 0x9F;
        else if (c >= 0xEE && c <= 0xEF) len = 3;
        else if (c == 0xF0) len = 4, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else if (c == 0xF4) len = 4, hi = 0x8F;
        else return false;
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned char b = s[i + k];
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
        }
        i += len;
    }
    return true;
}

}  // namespace spiketail::fuzz
