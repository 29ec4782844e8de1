// A model file on disk for `spiketail analyze`: opened once, indexed from its header bytes in rounds
// (core/io/model_index.hpp, each round's ranges read with pread), and each tensor's bytes read on demand, so
// no more than one tensor per worker is in memory. A TF.js manifest's shards are the files next to it that
// its "paths" name (a path that leaves the manifest's directory is refused); an npz's deflated members are
// inflated by zlib (inflate.hpp) up to the size its directory declares.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/model_index.hpp"

namespace spiketail {

class ModelFile {
public:
    ModelFile() = default;
    ModelFile(const ModelFile&) = delete;
    ModelFile& operator=(const ModelFile&) = delete;
    ~ModelFile();

    // Opens and indexes path; false with error() set ("FILE: what is wrong, where").
    bool open(const std::string& path);
    // The stored bytes of one of its tensors (its ranges concatenated; a deflated member inflated). Safe to call
    // from several threads at once (pread).
    bool read_tensor(const TensorEntry& tensor, std::vector<std::uint8_t>& out, std::string& error) const;

    const std::string& path() const { return m_path; }
    const std::string& error() const { return m_error; }
    ModelFormat format() const { return m_format; }
    std::uint64_t size() const { return m_size; }
    const std::vector<TensorEntry>& tensors() const { return m_tensors; }

private:
    bool read_range(int fd, std::uint64_t offset, std::uint64_t length, std::vector<std::uint8_t>& out,
                    std::string& error, const std::string& what) const;
    std::string m_path, m_error;
    ModelFormat m_format = ModelFormat::unknown;
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::vector<TensorEntry> m_tensors;
    std::vector<std::pair<std::string, int>> m_shards;  // path as in the manifest, open descriptor
};

}  // namespace spiketail
