#include "inflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace spiketail {

bool inflate_member(const std::vector<std::uint8_t>& compressed, std::uint64_t declared, std::vector<std::uint8_t>& out,
                    std::string& error) {
    out.assign(static_cast<std::size_t>(declared), 0);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {  // negative window bits: raw deflate, no zlib header
        error = "zlib could not start";
        return false;
    }
    // zlib counts in uInt: feed and drain in pieces below 4 GiB.
    constexpr std::uint64_t piece = std::numeric_limits<uInt>::max() / 2;
    std::uint64_t in_pos = 0, out_pos = 0;
    std::uint8_t overflow[64];
    int status = Z_OK;
    while (status == Z_OK) {
        if (z.avail_in == 0 && in_pos < compressed.size()) {
            z.next_in = const_cast<Bytef*>(compressed.data() + in_pos);
            z.avail_in = static_cast<uInt>(std::min<std::uint64_t>(piece, compressed.size() - in_pos));
            in_pos += z.avail_in;
        }
        const bool full = out_pos >= declared;
        // Once the declared size is reached, a little room more shows whether the stream holds more.
        z.next_out = full ? overflow : out.data() + out_pos;
        z.avail_out = full ? sizeof overflow : static_cast<uInt>(std::min<std::uint64_t>(piece, declared - out_pos));
        const uInt before = z.avail_out;
        status = inflate(&z, Z_NO_FLUSH);
        const uInt produced = before - z.avail_out;
        if (full && produced > 0) {
            inflateEnd(&z);
            error = "inflates past the " + std::to_string(declared) + " bytes its zip directory declares";
            return false;
        }
        out_pos += produced;
        if (status == Z_BUF_ERROR && z.avail_in == 0 && in_pos >= compressed.size()) break;
        if (status == Z_BUF_ERROR) status = Z_OK;  // no progress possible this round; the next round feeds or ends
    }
    inflateEnd(&z);
    if (status != Z_STREAM_END) {
        error = status == Z_DATA_ERROR ? std::string("corrupt deflate data") + (z.msg ? std::string(" (") + z.msg + ")" : "")
                                       : "the deflate stream ends early (" + std::to_string(out_pos) + " of " +
                                             std::to_string(declared) + " bytes)";
        return false;
    }
    if (out_pos != declared) {
        error = "inflates to " + std::to_string(out_pos) + " bytes, but its zip directory declares " + std::to_string(declared);
        return false;
    }
    return true;
}

std::vector<std::uint8_t> deflate_raw(const std::vector<std::uint8_t>& bytes) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(bytes.size())));
    z.next_in = const_cast<Bytef*>(bytes.data());
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace spiketail
