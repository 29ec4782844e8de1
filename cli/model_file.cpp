#include "model_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "inflate.hpp"

namespace spiketail {
namespace {

// The most rounds an index takes: npz's tail, zip64 record, directory, local headers, stored .npy headers (2);
// GGUF's prefixes, doubling from 1 MiB to 256 MiB (9).
constexpr int k_max_index_rounds = 12;
// The largest tensor read: 2^29 elements of 8 bytes plus an .npy header (the io caps bound the elements).
constexpr std::uint64_t k_max_tensor_bytes = k_max_tensor_elements * 8 + k_max_npy_header_bytes + 128;

std::string directory_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// A shard path must stay in the manifest's directory (TF.js resolves it relative to model.json's URL).
bool safe_shard_path(const std::string& p) {
    if (p.empty() || p[0] == '/' || p.find('\0') != std::string::npos) return false;
    std::size_t start = 0;
    while (start <= p.size()) {
        const std::size_t end = std::min(p.find('/', start), p.size());
        if (p.compare(start, end - start, "..") == 0 && end - start == 2) return false;
        start = end + 1;
    }
    return true;
}

}  // namespace

ModelFile::~ModelFile() {
    if (m_fd >= 0) ::close(m_fd);
    for (const auto& [name, fd] : m_shards)
        if (fd >= 0) ::close(fd);
}

bool ModelFile::read_range(int fd, std::uint64_t offset, std::uint64_t length, std::vector<std::uint8_t>& out,
                           std::string& error, const std::string& what) const {
    const std::size_t start = out.size();
    out.resize(start + static_cast<std::size_t>(length));
    std::uint64_t done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd, out.data() + start + done, static_cast<std::size_t>(length - done),
                                  static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = what + ": cannot read bytes " + std::to_string(offset + done) + " to " + std::to_string(offset + length) +
                    (n < 0 ? std::string(": ") + std::strerror(errno) : std::string(": the file ends first"));
            return false;
        }
        done += static_cast<std::uint64_t>(n);
    }
    return true;
}

bool ModelFile::open(const std::string& path) {
    m_path = path;
    m_format = model_format_from_name(path);
    if (m_format == ModelFormat::unknown) {
        m_error = path + ": unknown file type (.npy, .npz, .safetensors, .gguf, .json TF.js manifest, .csv, .tsv are read)";
        return false;
    }
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (m_fd < 0 || ::fstat(m_fd, &st) != 0) {
        m_error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        m_error = path + ": not a regular file";
        return false;
    }
    m_size = static_cast<std::uint64_t>(st.st_size);
    std::vector<std::pair<std::string, std::uint64_t>> shard_sizes;
    ByteChunks have;
    for (int round = 0; round < k_max_index_rounds; ++round) {
        ModelIndex index = index_model(m_format, path, m_size, have, shard_sizes);
        if (index.status == IndexStatus::error) {
            m_error = path + ": " + index.error;
            return false;
        }
        if (index.status == IndexStatus::ok) {
            // A manifest: open the shards it names (once), then index again with their sizes.
            if (!index.files.empty() && m_shards.empty()) {
                for (const std::string& shard : index.files) {
                    if (!safe_shard_path(shard)) {
                        m_error = path + ": shard path '" + shard + "' leaves the manifest's directory";
                        return false;
                    }
                    const int fd = ::open((directory_of(path) + shard).c_str(), O_RDONLY | O_CLOEXEC);
                    struct stat shard_stat {};
                    m_shards.push_back({shard, fd});
                    if (fd >= 0 && ::fstat(fd, &shard_stat) == 0 && S_ISREG(shard_stat.st_mode))
                        shard_sizes.push_back({shard, static_cast<std::uint64_t>(shard_stat.st_size)});
                }
                continue;
            }
            m_tensors = std::move(index.tensors);
            return true;
        }
        for (const ByteRange& r : index.need) {
            ByteChunk chunk;
            chunk.offset = r.offset;
            std::string error;
            if (!read_range(m_fd, r.offset, r.length, chunk.bytes, error, path)) {
                m_error = error;
                return false;
            }
            have.chunks.push_back(std::move(chunk));
        }
    }
    m_error = path + ": the header needs more than " + std::to_string(k_max_index_rounds) + " reads";
    return false;
}

bool ModelFile::read_tensor(const TensorEntry& tensor, std::vector<std::uint8_t>& out, std::string& error) const {
    out.clear();
    const std::string what = m_path + ": tensor '" + tensor.name + "'";
    if (tensor.stored_bytes() > k_max_tensor_bytes || tensor.inflated_length > k_max_tensor_bytes) {
        error = what + ": " + std::to_string(std::max(tensor.stored_bytes(), tensor.inflated_length)) +
                " bytes, above the cap of " + std::to_string(k_max_tensor_bytes);
        return false;
    }
    out.reserve(static_cast<std::size_t>(tensor.stored_bytes()));
    for (const ByteRange& r : tensor.ranges) {
        int fd = m_fd;
        if (!r.file.empty()) {
            fd = -1;
            for (const auto& [name, shard_fd] : m_shards)
                if (name == r.file) fd = shard_fd;
        }
        if (fd < 0) {
            error = what + ": shard '" + r.file + "' cannot be opened";
            return false;
        }
        if (!read_range(fd, r.offset, r.length, out, error, r.file.empty() ? what : what + " (shard " + r.file + ")")) return false;
    }
    if (tensor.compression == Compression::deflate) {
        std::vector<std::uint8_t> inflated;
        if (!inflate_member(out, tensor.inflated_length, inflated, error)) {
            error = what + ": " + error;
            return false;
        }
        out.swap(inflated);
    }
    return true;
}

}  // namespace spiketail
