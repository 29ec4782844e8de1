// The directory of a zip file (an .npz is one), parsed here and nowhere else (PKWARE APPNOTE 6.3, §4.3):
//
//   end of central directory (EOCD)  "PK\5\6", 22 bytes + a comment of up to 65535, at the very end
//   zip64 locator / zip64 EOCD       "PK\6\7" (20 bytes, just before the EOCD) -> "PK\6\6" (56 bytes), when
//                                    a count, size or offset of the EOCD is saturated (0xFFFF / 0xFFFFFFFF)
//   central directory                one "PK\1\2" record per member: method, sizes, local header offset,
//                                    name; saturated fields are in its zip64 extra field (id 0x0001)
//   local header                     "PK\3\4", 30 bytes + name + extra; the member's data follows
//
// Read in rounds from the end of the file, each round saying which byte ranges it still needs (the tail, the
// zip64 record, the central directory, the 30-byte local headers). The sizes are the central directory's: NumPy's
// savez writes zip64 local headers whose sizes are saturated. Nothing is inflated here: a deflated member's
// bytes are inflated by the front end (zlib natively, DecompressionStream in the page), up to the size declared
// here, so that a zip bomb stops at its declared size (docs/limits.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor_index.hpp"

namespace spiketail {

struct ZipMember {
    std::string name;
    Compression compression = Compression::none;
    std::uint64_t local_header_offset = 0, data_offset = 0, compressed_size = 0, uncompressed_size = 0;
};

struct ZipIndex {
    bool ok = false;
    std::string error;             // names the byte offset and the member
    std::vector<ByteRange> need;   // when not ok and no error: read these ranges and call again
    std::vector<ZipMember> members;
};

// The bytes of the tail the first round needs: the EOCD, its longest comment and the zip64 locator.
constexpr std::uint64_t k_zip_tail_bytes = 22 + 65535 + 20;

ZipIndex index_zip(const ByteChunks& have, std::uint64_t file_size);

}  // namespace spiketail
