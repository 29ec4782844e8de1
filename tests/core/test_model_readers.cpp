// The model-file readers (core/io: npy_header, zip_directory, safetensors_index, tfjs_manifest, text_matrix,
// model_index, tensor_decode) on files from the fixture generator (model_fixtures.hpp): every dtype, order and
// container decodes to exactly the values written, and every corrupt, truncated or hostile variant gives a
// message naming what is wrong and where, without a crash or an allocation beyond the caps.
#include <catch2/catch.hpp>
#include <algorithm>
#include <numeric>

#include "inflate.hpp"
#include "io/model_index.hpp"
#include "io/tensor_decode.hpp"
#include "model_fixtures.hpp"

using namespace spiketail;
namespace fx = spiketail::fixtures;

namespace {

// Indexes a file held in memory the way the front ends do: serve each round's byte ranges, at most 8 rounds.
ModelIndex index_file(ModelFormat format, const std::string& name, const fx::Bytes& file,
                      const std::vector<std::pair<std::string, std::uint64_t>>& shards = {}) {
    ByteChunks have;
    ModelIndex r;
    for (int round = 0; round < 8; ++round) {
        r = index_model(format, name, file.size(), have, shards);
        if (r.status != IndexStatus::need) return r;
        for (const ByteRange& need : r.need) {
            REQUIRE(need.offset <= file.size());
            REQUIRE(need.length <= file.size() - need.offset);
            have.chunks.push_back({need.offset, fx::Bytes(file.begin() + need.offset, file.begin() + need.offset + need.length)});
        }
    }
    FAIL("the index asked for more than 8 rounds");
    return r;
}

// A tensor's stored bytes from its ranges (the file's own, or named shards), inflated when deflated.
fx::Bytes tensor_bytes(const TensorEntry& t, const fx::Bytes& file, const std::vector<std::pair<std::string, fx::Bytes>>& shards = {}) {
    fx::Bytes out;
    for (const ByteRange& r : t.ranges) {
        const fx::Bytes* source = &file;
        for (const auto& [name, bytes] : shards)
            if (name == r.file) source = &bytes;
        out.insert(out.end(), source->begin() + r.offset, source->begin() + r.offset + r.length);
    }
    if (t.compression == Compression::deflate) {
        fx::Bytes inflated;
        std::string error;
        REQUIRE(inflate_member(out, t.inflated_length, inflated, error));
        return inflated;
    }
    return out;
}

std::vector<double> ramp(std::size_t n, double step = 0.125, double start = -3.0) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = start + step * static_cast<double>(i % 97);
    return v;
}

std::vector<double> decoded(const DecodedTensor& d) {
    std::vector<double> v(static_cast<std::size_t>(d.values.size()));
    for (Eigen::Index i = 0; i < d.values.size(); ++i) v[static_cast<std::size_t>(i)] = d.values(i);
    return v;
}

}  // namespace

TEST_CASE("npy: every float dtype, C and Fortran order, both byte orders, any rank, versions 1 and 2", "[readers]") {
    const std::vector<std::vector<std::int64_t>> shapes = {{7}, {5, 3}, {2, 3, 4}, {2, 1, 3, 2}};
    for (const std::string type : {"f2", "f4", "f8"})
        for (const auto& shape : shapes)
            for (bool fortran : {false, true})
                for (bool big : {false, true})
                    for (int version : {1, 2}) {
                        const std::size_t n = static_cast<std::size_t>(std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>()));
                        const std::vector<double> values = ramp(n);
                        const fx::Bytes file = fx::npy(values, shape, type, fortran, big, version);
                        const ModelIndex index = index_file(ModelFormat::npy, "dir/w.npy", file);
                        INFO(type << " rank " << shape.size() << (fortran ? " F" : " C") << (big ? " >" : " <") << " v" << version);
                        REQUIRE(index.status == IndexStatus::ok);
                        REQUIRE(index.tensors.size() == 1);
                        const TensorEntry& t = index.tensors[0];
                        CHECK(t.name == "w");
                        CHECK(t.shape == shape);
                        CHECK(t.fortran_order == fortran);
                        const DecodedTensor d = decode_tensor(t, file.data() + t.ranges[0].offset, t.ranges[0].length);
                        REQUIRE(d.ok);
                        // Stored order: Fortran files hold the column-major permutation of the C-order values.
                        CHECK(decoded(d) == (fortran ? fx::fortran_of(values, shape) : values));
                    }
}

TEST_CASE("npz: stored and deflated members, NumPy's zip64 local headers", "[readers]") {
    const std::vector<double> a = ramp(12), b = ramp(30, 0.25, 1.0);
    const fx::Bytes file = fx::zip({{"layer.a.npy", fx::npy(a, {3, 4}, "f4"), false, true},
                                    {"layer.b.npy", fx::npy(b, {5, 6}, "f8", true), true, true},
                                    {"notes.txt", fx::Bytes{'h', 'i'}, false, false}});
    const ModelIndex index = index_file(ModelFormat::npz, "m.npz", file);
    REQUIRE(index.status == IndexStatus::ok);
    REQUIRE(index.tensors.size() == 3);
    // The stored member's dtype and shape are read at index time; the deflated one's once inflated.
    CHECK(index.tensors[0].name == "layer.a");
    CHECK(index.tensors[0].shape == std::vector<std::int64_t>{3, 4});
    CHECK(index.tensors[1].compression == Compression::deflate);
    CHECK(index.tensors[1].dtype == DType::unknown);
    CHECK_THAT(index.tensors[2].error, Catch::Contains("not an .npy array"));
    const DecodedTensor da = decode_tensor(index.tensors[0], tensor_bytes(index.tensors[0], file).data(), tensor_bytes(index.tensors[0], file).size());
    REQUIRE(da.ok);
    CHECK(decoded(da) == a);
    const fx::Bytes inflated = tensor_bytes(index.tensors[1], file);
    const DecodedTensor db = decode_tensor(index.tensors[1], inflated.data(), inflated.size());
    REQUIRE(db.ok);
    CHECK(db.tensor.shape == std::vector<std::int64_t>{5, 6});
    CHECK(db.tensor.fortran_order);
    CHECK(decoded(db) == fx::fortran_of(b, {5, 6}));
}

TEST_CASE("safetensors: F16, BF16, F32 and F64", "[readers]") {
    std::vector<fx::StTensor> tensors;
    for (const std::string dtype : {"F16", "BF16", "F32", "F64"}) tensors.push_back({"h." + dtype + ".weight", dtype, {4, 6}, ramp(24)});
    tensors.push_back({"h.bias", "F32", {6}, ramp(6)});
    const fx::Bytes file = fx::safetensors(tensors);
    const ModelIndex index = index_file(ModelFormat::safetensors, "model.safetensors", file);
    REQUIRE(index.status == IndexStatus::ok);
    REQUIRE(index.tensors.size() == tensors.size());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const TensorEntry& t = index.tensors[i];
        CHECK(t.name == tensors[i].name);  // file order kept
        const DecodedTensor d = decode_tensor(t, file.data() + t.ranges[0].offset, t.ranges[0].length);
        REQUIRE(d.ok);
        CHECK(decoded(d) == tensors[i].values);
    }
}

TEST_CASE("TF.js manifest: shards, a weight straddling two, uint8/uint16/float16 quantisation", "[readers]") {
    std::vector<double> q8(40), q16(20);
    for (std::size_t i = 0; i < q8.size(); ++i) q8[i] = -1.0 + 0.5 * static_cast<double>(i % 9);  // min -1, scale 0.5
    for (std::size_t i = 0; i < q16.size(); ++i) q16[i] = 2.0 + 0.25 * static_cast<double>(i * 37 % 300);
    const fx::TfjsModel model = fx::tfjs({{"dense/kernel", {8, 5}, ramp(40), "", 1, 0},
                                          {"conv/kernel", {2, 2, 2, 5}, q8, "uint8", 0.5, -1.0},
                                          {"q16", {4, 5}, q16, "uint16", 0.25, 2.0},
                                          {"half", {3, 3}, ramp(9), "float16", 1, 0}},
                                         64);  // 64-byte shards: the float32 kernel (160 bytes) spans three
    std::vector<std::pair<std::string, std::uint64_t>> sizes;
    for (const auto& [name, bytes] : model.shards) sizes.push_back({name, bytes.size()});
    const fx::Bytes manifest(model.manifest.begin(), model.manifest.end());
    const ModelIndex index = index_file(ModelFormat::tfjs, "model.json", manifest, sizes);
    REQUIRE(index.status == IndexStatus::ok);
    REQUIRE(index.tensors.size() == 4);
    CHECK(index.tensors[0].ranges.size() == 3);
    const std::vector<std::vector<double>> expected = {ramp(40), q8, q16, ramp(9)};
    for (std::size_t i = 0; i < 4; ++i) {
        const fx::Bytes bytes = tensor_bytes(index.tensors[i], manifest, model.shards);
        const DecodedTensor d = decode_tensor(index.tensors[i], bytes.data(), bytes.size());
        INFO(index.tensors[i].name);
        REQUIRE(d.ok);
        CHECK(decoded(d) == expected[i]);
    }
    // A missing shard is named in the error of the weights it holds.
    sizes.pop_back();
    const ModelIndex missing = index_file(ModelFormat::tfjs, "model.json", manifest, sizes);
    REQUIRE(missing.status == IndexStatus::ok);
    CHECK_THAT(missing.tensors.back().error, Catch::Contains("was not found"));
}

TEST_CASE("GGUF: F32, F16, BF16, Q8_0 and a listed Q4_K; metadata of strings and nested arrays skipped", "[readers]") {
    std::vector<double> q8(64 * 3);
    for (std::size_t i = 0; i < q8.size(); ++i) q8[i] = 0.5 * static_cast<double>(static_cast<int>(i * 7 % 127) - 63);
    const std::vector<fx::GgufTensor> tensors = {{"blk.0.attn_q.weight", 0, {6, 8}, ramp(48)},
                                                 {"blk.0.ffn_up.weight", 1, {5, 4}, ramp(20)},
                                                 {"token_embd.weight", 30, {3, 16}, ramp(48)},
                                                 {"blk.0.attn_k.weight", 8, {3, 64}, q8},
                                                 {"blk.0.ffn_down.weight", 12, {2, 256}, {}, 2 * 144}};
    const fx::Bytes file = fx::gguf(tensors);
    const ModelIndex index = index_file(ModelFormat::gguf, "m.gguf", file);
    REQUIRE(index.status == IndexStatus::ok);
    REQUIRE(index.tensors.size() == 5);
    for (std::size_t i = 0; i < 4; ++i) {
        const TensorEntry& t = index.tensors[i];
        INFO(t.name);
        CHECK(t.shape == tensors[i].shape);
        const DecodedTensor d = decode_tensor(t, file.data() + t.ranges[0].offset, t.ranges[0].length);
        REQUIRE(d.ok);
        CHECK(decoded(d) == tensors[i].values);
    }
    CHECK_THAT(index.tensors[4].error, Catch::Contains("Q4_K"));
    // Truncated inside the Q8_0 tensor's data (the Q4_K one's 288 bytes, the 20 bytes of padding before it, and
    // 10 of its own): the tensor and the byte offset are named. (An unread type's size is not computed.)
    const fx::Bytes cut(file.begin(), file.end() - 288 - 20 - 10);
    const ModelIndex r = index_file(ModelFormat::gguf, "c.gguf", cut);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("'blk.0.attn_k.weight' (204 bytes"));
    CHECK_THAT(r.error, Catch::Contains("runs past the end of the file"));
    // A header whose array claims more elements than the file could hold.
    fx::Bytes lie = file;
    const std::size_t count_at = 24 + (8 + 20 + 4 + 8 + 5) + (8 + 17 + 4 + 4) + (8 + 21 + 4 + 4);
    lie[count_at + 6] = 0xff;
    const ModelIndex l = index_file(ModelFormat::gguf, "l.gguf", lie);
    REQUIRE(l.status == IndexStatus::error);
    CHECK_THAT(l.error, Catch::Contains("runs past"));
}

TEST_CASE("CSV and TSV: header line, C-order rows, ragged rows named", "[readers]") {
    const std::string csv = "a,b,c\n1,2,3\n4.5, -6 ,7e1\n\n";
    const fx::Bytes file(csv.begin(), csv.end());
    const ModelIndex index = index_file(ModelFormat::csv, "x/w.csv", file);
    REQUIRE(index.status == IndexStatus::ok);
    CHECK(index.tensors[0].shape == std::vector<std::int64_t>{2, 3});
    const DecodedTensor d = decode_tensor(index.tensors[0], file.data(), file.size());
    REQUIRE(d.ok);
    CHECK(decoded(d) == std::vector<double>{1, 2, 3, 4.5, -6, 70});
    const std::string tsv = "1\t2\n3\n";
    const ModelIndex ragged = index_file(ModelFormat::tsv, "r.tsv", fx::Bytes(tsv.begin(), tsv.end()));
    REQUIRE(ragged.status == IndexStatus::error);
    CHECK_THAT(ragged.error, Catch::Contains("line 2 (byte 4)"));
}

TEST_CASE("hostile npy: truncated data, giant header, overflowing shape, bad dtype", "[readers][hostile]") {
    fx::Bytes file = fx::npy(ramp(20), {4, 5});
    const std::size_t data_offset = file.size() - 80;
    file.resize(file.size() - 3);
    ModelIndex r = index_file(ModelFormat::npy, "t.npy", file);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("past the end of the file"));
    CHECK_THAT(r.error, Catch::Contains("needs 80 bytes of data from byte " + std::to_string(data_offset)));

    fx::Bytes giant = fx::npy(ramp(4), {4}, "f4", false, false, 2);
    giant[8] = 0xff, giant[9] = 0xff, giant[10] = 0xff, giant[11] = 0x7f;  // a 2 GiB header
    r = index_file(ModelFormat::npy, "g.npy", giant);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("above the cap"));

    const std::string big = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }";
    fx::Bytes overflow;
    fx::put(overflow, "\x93NUMPY\x01");
    overflow.push_back(0);
    fx::put(overflow, big.size(), 2);
    fx::put(overflow, big);
    r = index_file(ModelFormat::npy, "o.npy", overflow);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("elements"));

    fx::Bytes ints = fx::npy(ramp(4), {4});
    const std::string header(ints.begin() + 10, ints.begin() + 64);
    ints[10 + header.find("<f4") + 1] = 'i';
    r = index_file(ModelFormat::npy, "i.npy", ints);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("'<i4'"));
}

TEST_CASE("hostile safetensors: giant header length, offsets past the end, offsets that disagree with the shape", "[readers][hostile]") {
    fx::Bytes file = fx::safetensors({{"w", "F32", {3, 3}, ramp(9)}});
    fx::Bytes giant = file;
    giant[7] = 0x10;  // 2^60 bytes of header
    ModelIndex r = index_file(ModelFormat::safetensors, "g.safetensors", giant);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("above the cap"));

    fx::Bytes truncated = file;
    truncated.resize(truncated.size() - 4);
    r = index_file(ModelFormat::safetensors, "t.safetensors", truncated);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("tensor 'w'"));
    CHECK_THAT(r.error, Catch::Contains("outside the 32 data bytes"));

    const fx::Bytes wrong = fx::safetensors({{"w", "F32", {3, 4}, ramp(9)}});  // 36 bytes for a 3x4 shape
    r = index_file(ModelFormat::safetensors, "w.safetensors", wrong);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("needs 48"));
}

TEST_CASE("hostile npz: directory past the end, member past the directory, zip bomb, every truncation", "[readers][hostile]") {
    const fx::Bytes file = fx::zip({{"a.npy", fx::npy(ramp(64), {8, 8}), true, true}, {"b.npy", fx::npy(ramp(12), {3, 4}), false, true}});
    // Every truncation of the file is an error or a smaller index, never a crash or a range outside the file.
    for (std::size_t n = 0; n < file.size(); ++n) {
        const fx::Bytes cut(file.begin(), file.begin() + n);
        const ModelIndex r = index_file(ModelFormat::npz, "c.npz", cut);
        CHECK(r.status == IndexStatus::error);
    }
    // The end record's directory offset moved past the end.
    fx::Bytes moved = file;
    const std::size_t eocd = moved.size() - 22;
    moved[eocd + 16] = 0xf0;
    ModelIndex r = index_file(ModelFormat::npz, "m.npz", moved);
    REQUIRE(r.status == IndexStatus::error);
    CHECK_THAT(r.error, Catch::Contains("runs past the end record"));

    // A deflated member that inflates past what its directory declares stops at the declared size.
    const fx::Bytes zeros(1 << 20, 0);
    const fx::Bytes bomb_payload = deflate_raw(zeros);
    fx::Bytes out;
    std::string error;
    CHECK_FALSE(inflate_member(bomb_payload, 1000, out, error));
    CHECK_THAT(error, Catch::Contains("past the 1000 bytes"));
    CHECK(out.size() == 1000);
    CHECK(inflate_member(bomb_payload, zeros.size(), out, error));
    CHECK_FALSE(inflate_member(fx::Bytes{1, 2, 3, 4}, 10, out, error));
}

TEST_CASE("shape products are checked before they are multiplied", "[readers][hostile]") {
    std::uint64_t elements = 0;
    std::string error;
    CHECK_FALSE(shape_elements({std::int64_t{1} << 40, std::int64_t{1} << 40}, elements, error));
    CHECK_THAT(error, Catch::Contains("more than"));
    CHECK(shape_elements({std::int64_t{1} << 62, 0}, elements, error));
    CHECK(elements == 0);
    CHECK_FALSE(shape_elements({3, -1}, elements, error));
    CHECK(shape_elements({}, elements, error));
    CHECK(elements == 1);
}

TEST_CASE("half and bfloat16 conversions: normals, subnormals, infinities", "[readers]") {
    CHECK(half_to_float(0x3c00) == 1.0f);
    CHECK(half_to_float(0xc000) == -2.0f);
    CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
    CHECK(half_to_float(0x7bff) == 65504.0f);
    CHECK(std::isinf(half_to_float(0x7c00)));
    CHECK(std::isnan(half_to_float(0x7e00)));
    CHECK(bfloat16_to_float(0x3f80) == 1.0f);
    CHECK(bfloat16_to_float(0xc2f7) == -123.5f);
}

TEST_CASE("fuzz finds: names that are not UTF-8 reach JSON as U+FFFD; an empty text file is an error, not a loop", "[readers][hostile]") {
    // build-fuzz/artifacts/npz_file and gguf_file: a member or tensor name with the byte 0x9A made the row's dump throw.
    const fx::Bytes file = fx::zip({{"w\x9a.npy", fx::npy(ramp(600), {30, 20}), false, false}});
    const ModelIndex index = index_file(ModelFormat::npz, "m.npz", file);
    REQUIRE(index.status == IndexStatus::ok);
    CHECK(index.tensors[0].name == "w\xEF\xBF\xBD");
    CHECK(valid_utf8("a\xC0\xAF" "b\xED\xA0\x80") == "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(valid_utf8("\xF0\x9F\x98\x80 ok") == "\xF0\x9F\x98\x80 ok");
    // tfjs_file and csv_file: an empty file asked for the empty range [0, 0) forever.
    for (ModelFormat format : {ModelFormat::tfjs, ModelFormat::csv, ModelFormat::tsv, ModelFormat::npy, ModelFormat::gguf,
                               ModelFormat::safetensors, ModelFormat::npz}) {
        const ModelIndex empty = index_file(format, "e", fx::Bytes{});
        CHECK(empty.status == IndexStatus::error);
        CHECK_FALSE(empty.error.empty());
    }
}

TEST_CASE("numbers beyond float's range become infinities, never an undefined cast", "[readers][hostile]") {
    CHECK(std::isinf(to_float(1e300)));
    CHECK(to_float(-1e300) < 0);
    CHECK(std::isnan(to_float(std::nan(""))));
    const std::string csv = "1e300,2\n3,-1e300\n";
    const fx::Bytes file(csv.begin(), csv.end());
    const ModelIndex index = index_file(ModelFormat::csv, "big.csv", file);
    REQUIRE(index.status == IndexStatus::ok);
    const DecodedTensor d = decode_tensor(index.tensors[0], file.data(), file.size());
    REQUIRE(d.ok);
    CHECK(std::isinf(d.values(0)));
    CHECK(std::isinf(d.values(3)));
    const fx::Bytes big = fx::npy({1e300, -1e300, 1.0}, {3}, "f8");
    const ModelIndex n = index_file(ModelFormat::npy, "big.npy", big);
    const DecodedTensor dn = decode_tensor(n.tensors[0], big.data() + n.tensors[0].ranges[0].offset, n.tensors[0].ranges[0].length);
    REQUIRE(dn.ok);
    CHECK(std::isinf(dn.values(0)));
    CHECK(dn.values(2) == 1.0f);
}
