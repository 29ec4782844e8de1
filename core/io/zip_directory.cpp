#include "zip_directory.hpp"

#include <algorithm>

namespace spiketail {
namespace {

constexpr std::uint32_t k_eocd = 0x06054b50, k_zip64_locator = 0x07064b50, k_zip64_eocd = 0x06064b50,
                        k_central = 0x02014b50, k_local = 0x04034b50;
constexpr std::uint32_t k_saturated32 = 0xFFFFFFFFu;
constexpr std::uint16_t k_saturated16 = 0xFFFFu;

std::uint64_t le(const std::uint8_t* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

std::string at(std::uint64_t offset) { return " at byte " + std::to_string(offset); }

struct Directory {
    std::uint64_t entries = 0, size = 0, offset = 0;
};

ZipIndex failed(std::string message) {
    ZipIndex z;
    z.error = "zip: " + std::move(message);
    return z;
}

ZipIndex needs(std::vector<ByteRange> ranges) {
    ZipIndex z;
    z.need = std::move(ranges);
    return z;
}

// Reads the zip64 extra field (id 0x0001) of a central record: the saturated fields, in their fixed order.
bool read_zip64_extra(const std::uint8_t* extra, std::uint64_t length, std::uint64_t record_offset, ZipMember& m,
                      bool need_usize, bool need_csize, bool need_offset, std::string& error) {
    std::uint64_t pos = 0;
    while (pos + 4 <= length) {
        const std::uint64_t id = le(extra + pos, 2), size = le(extra + pos + 2, 2);
        if (pos + 4 + size > length) break;
        if (id == 1) {
            const std::uint8_t* f = extra + pos + 4;
            std::uint64_t used = 0;
            auto take = [&](std::uint64_t& out) {
                if (used + 8 > size) return false;
                out = le(f + used, 8);
                used += 8;
                return true;
            };
            if ((need_usize && !take(m.uncompressed_size)) || (need_csize && !take(m.compressed_size)) ||
                (need_offset && !take(m.local_header_offset))) {
                error = "zip: the zip64 extra field of member '" + m.name + "'" + at(record_offset) + " is too short";
                return false;
            }
            return true;
        }
        pos += 4 + size;
    }
    error = "zip: member '" + m.name + "'" + at(record_offset) + " has saturated sizes but no zip64 extra field";
    return false;
}

}  // namespace

ZipIndex index_zip(const ByteChunks& have, std::uint64_t file_size) {
    if (file_size < 22) return failed("the file has " + std::to_string(file_size) + " bytes, fewer than an end record's 22");
    const std::uint64_t tail_offset = file_size - std::min(file_size, k_zip_tail_bytes);
    const std::uint8_t* tail = have.find(tail_offset, file_size - tail_offset);
    if (!tail) return needs({ByteRange{"", tail_offset, file_size - tail_offset}});

    // The EOCD is the last "PK\5\6" whose comment length reaches exactly the end of the file.
    std::uint64_t eocd = file_size;
    for (std::uint64_t p = file_size - 22 + 1; p-- > tail_offset;) {
        const std::uint8_t* r = tail + (p - tail_offset);
        if (le(r, 4) == k_eocd && p + 22 + le(r + 20, 2) == file_size) {
            eocd = p;
            break;
        }
    }
    if (eocd == file_size) return failed("no end of central directory record in the last " +
                                         std::to_string(file_size - tail_offset) + " bytes (not a zip file, or truncated)");
    const std::uint8_t* e = tail + (eocd - tail_offset);
    Directory dir{le(e + 10, 2), le(e + 12, 4), le(e + 16, 4)};
    if (le(e + 4, 2) != 0 || le(e + 6, 2) != 0) {
        if (le(e + 4, 2) != k_saturated16) return failed("a multi-disk archive" + at(eocd));
    }
    if (dir.entries == k_saturated16 || dir.size == k_saturated32 || dir.offset == k_saturated32) {
        if (eocd < tail_offset + 20 || le(tail + (eocd - 20 - tail_offset), 4) != k_zip64_locator)
            return failed("saturated fields in the end record" + at(eocd) + " but no zip64 locator before it");
        const std::uint64_t record = le(tail + (eocd - 20 - tail_offset) + 8, 8);
        if (record > eocd - 20 || eocd - 20 - record < 56)
            return failed("the zip64 end record offset " + std::to_string(record) + at(eocd - 12) + " is out of range");
        const std::uint8_t* z = have.find(record, 56);
        if (!z) return needs({ByteRange{"", record, 56}});
        if (le(z, 4) != k_zip64_eocd) return failed("no zip64 end record signature" + at(record));
        dir = Directory{le(z + 32, 8), le(z + 40, 8), le(z + 48, 8)};
    }
    if (dir.offset > eocd || dir.size > eocd - dir.offset)
        return failed("the central directory [" + std::to_string(dir.offset) + ", +" + std::to_string(dir.size) +
                      ") named" + at(eocd) + " runs past the end record");
    if (dir.size > k_max_zip_directory_bytes)
        return failed("the central directory has " + std::to_string(dir.size) + " bytes, above the cap of " +
                      std::to_string(k_max_zip_directory_bytes));
    if (dir.entries > k_max_tensors)
        return failed(std::to_string(dir.entries) + " members, above the cap of " + std::to_string(k_max_tensors));
    const std::uint8_t* cd = have.find(dir.offset, dir.size);
    if (!cd) return needs({ByteRange{"", dir.offset, dir.size}});

    ZipIndex z;
    std::uint64_t pos = 0;
    for (std::uint64_t i = 0; i < dir.entries; ++i) {
        const std::uint64_t record = dir.offset + pos;
        if (dir.size - pos < 46 || le(cd + pos, 4) != k_central)
            return failed("central directory record " + std::to_string(i) + at(record) + " is missing or truncated");
        const std::uint8_t* r = cd + pos;
        const std::uint64_t name_len = le(r + 28, 2), extra_len = le(r + 30, 2), comment_len = le(r + 32, 2);
        if (dir.size - pos - 46 < name_len + extra_len + comment_len)
            return failed("central directory record " + std::to_string(i) + at(record) + " runs past the directory");
        ZipMember m;
        m.name.assign(reinterpret_cast<const char*>(r + 46), name_len);
        const std::uint64_t flags = le(r + 8, 2), method = le(r + 10, 2);
        m.compressed_size = le(r + 20, 4);
        m.uncompressed_size = le(r + 24, 4);
        m.local_header_offset = le(r + 42, 4);
        const bool su = m.uncompressed_size == k_saturated32, sc = m.compressed_size == k_saturated32,
                   so = m.local_header_offset == k_saturated32;
        if (su || sc || so) {
            std::string error;
            if (!read_zip64_extra(r + 46 + name_len, extra_len, record, m, su, sc, so, error)) return failed(error.substr(5));
        }
        if (flags & 1) return failed("member '" + m.name + "'" + at(record) + " is encrypted");
        if (method == 8) m.compression = Compression::deflate;
        else if (method != 0)
            return failed("member '" + m.name + "'" + at(record) + " uses compression method " + std::to_string(method) +
                          " (stored and deflated are read)");
        if (m.compression == Compression::none && m.compressed_size != m.uncompressed_size)
            return failed("stored member '" + m.name + "'" + at(record) + " declares different sizes");
        if (m.local_header_offset > dir.offset || dir.offset - m.local_header_offset < 30)
            return failed("member '" + m.name + "' has its local header offset " + std::to_string(m.local_header_offset) +
                          " past the central directory" + at(dir.offset));
        z.members.push_back(std::move(m));
        pos += 46 + name_len + extra_len + comment_len;
    }

    // The local headers fix where each member's data starts (their name and extra lengths may differ).
    for (const ZipMember& m : z.members)
        if (!have.find(m.local_header_offset, 30)) z.need.push_back(ByteRange{"", m.local_header_offset, 30});
    if (!z.need.empty()) {
        z.members.clear();
        return z;
    }
    for (ZipMember& m : z.members) {
        const std::uint8_t* l = have.find(m.local_header_offset, 30);
        if (le(l, 4) != k_local) return failed("no local header signature for member '" + m.name + "'" + at(m.local_header_offset));
        m.data_offset = m.local_header_offset + 30 + le(l + 26, 2) + le(l + 28, 2);
        if (m.data_offset > dir.offset || m.compressed_size > dir.offset - m.data_offset)
            return failed("the data of member '" + m.name + "' (" + std::to_string(m.compressed_size) + " bytes from byte " +
                          std::to_string(m.data_offset) + ") runs past the central directory" + at(dir.offset));
    }
    z.ok = true;
    return z;
}

}  // namespace spiketail
