// Inflating a deflated zip member (an .npz's) with zlib, never past the size its zip directory declares:
// a member that inflates to more (a zip bomb, or a lying directory) stops there with a message, having
// allocated no more than the declared size, which the caller has checked against its cap first.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace spiketail {

// Raw deflate (zip method 8) in `compressed` -> exactly `declared` bytes in out; false with a message otherwise.
bool inflate_member(const std::vector<std::uint8_t>& compressed, std::uint64_t declared, std::vector<std::uint8_t>& out,
                    std::string& error);

// Raw deflate of bytes (zlib's level 6), for the tests' fixtures.
std::vector<std::uint8_t> deflate_raw(const std::vector<std::uint8_t>& bytes);

}  // namespace spiketail
