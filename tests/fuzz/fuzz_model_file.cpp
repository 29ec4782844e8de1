// Fuzz targets of the model-file readers, one per format (FUZZ_FORMAT, set by tests/fuzz/CMakeLists.txt): the
// input is a whole file, indexed in rounds as the CLI and the page do (core/io/model_index.hpp), then every
// tensor it lists is read from its ranges, inflated when deflated (zlib, capped), decoded and, when small,
// analysed. For tfjs the input is the manifest and also the bytes of every shard it names.
// Checks: every need is a range inside the file; the rounds end; an error has a message; every listed range
// lies inside its file; a decoded tensor has as many values as its shape; nothing throws, crashes or leaks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "inflate.hpp"
#include "io/layer_report.hpp"
#include "io/model_index.hpp"
#include "io/tensor_decode.hpp"

using namespace spiketail;

namespace {

// What the fuzzer may make us allocate or compute per tensor: libFuzzer's -rss_limit_mb caps the rest.
constexpr std::uint64_t k_max_fuzz_tensor_bytes = 1 << 20;
constexpr std::uint64_t k_max_fuzz_analysis_elements = 4096;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ModelFormat format = FUZZ_FORMAT;
    std::vector<std::pair<std::string, std::uint64_t>> shards;
    ByteChunks have;
    ModelIndex index;
    for (int round = 0;; ++round) {
        fuzz::check(round < 8, "the index asked for more than 8 rounds");
        index = index_model(format, "fuzz.bin", size, have, shards);
        if (index.status == IndexStatus::error) {
            fuzz::check(!index.error.empty(), "an index error without a message");
            return 0;
        }
        if (index.status == IndexStatus::ok) {
            if (!index.files.empty() && shards.empty()) {
                for (const std::string& f : index.files) shards.push_back({f, size});  // every shard: the input itself
                continue;
            }
            break;
        }
        fuzz::check(!index.need.empty(), "need without ranges");
        for (const ByteRange& r : index.need) {
            fuzz::check(r.offset <= size && r.length <= size - r.offset, "a needed range outside the file");
            have.chunks.push_back({r.offset, std::vector<std::uint8_t>(data + r.offset, data + r.offset + r.length)});
        }
    }
    for (const TensorEntry& t : index.tensors) {
        if (!t.error.empty()) continue;
        std::vector<std::uint8_t> bytes;
        for (const ByteRange& r : t.ranges) {
            fuzz::check(r.offset <= size && r.length <= size - r.offset, "a tensor range outside its file");
            bytes.insert(bytes.end(), data + r.offset, data + r.offset + r.length);
        }
        if (t.compression == Compression::deflate) {
            if (t.inflated_length > k_max_fuzz_tensor_bytes) continue;
            std::vector<std::uint8_t> inflated;
            std::string error;
            if (!inflate_member(bytes, t.inflated_length, inflated, error)) {
                fuzz::check(!error.empty(), "an inflate error without a message");
                continue;
            }
            bytes.swap(inflated);
        }
        if (bytes.size() > k_max_fuzz_tensor_bytes) continue;
        const DecodedTensor d = decode_tensor(t, bytes.data(), bytes.size());
        if (!d.ok) {
            fuzz::check(!d.error.empty(), "a decode error without a message");
            continue;
        }
        std::uint64_t elements = 0;
        std::string error;
        fuzz::check(shape_elements(d.tensor.shape, elements, error), "a decoded shape over the caps");
        fuzz::check(elements == static_cast<std::uint64_t>(d.values.size()), "values do not match the shape");
        if (elements <= k_max_fuzz_analysis_elements) {
            const LayerReport report = analyze_tensor("fuzz.bin", t, bytes.data(), bytes.size(), LayerOptions{}, true);
            fuzz::check(report.row.contains("status"), "a row without status");
            (void)report.row.dump();
        }
    }
    return 0;
}
