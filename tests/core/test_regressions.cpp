// Bugs found by the sanitizers (scripts/test-sanitizers.sh: ASan + UBSan) and the fuzzers (scripts/test-fuzz.sh),
// each with the input that showed it. Most were undefined behaviour that an optimised build gets away with, so
// these tests pass there either way: they fail (a UBSan or ASan report, or an Eigen assertion) in build-asan/.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "config.hpp"
#include "io/config_json.hpp"
#include "io/sweep_stats_json.hpp"
#include "spectrum.hpp"
#include "symeig.hpp"

using namespace spiketail;
using Catch::Matchers::Contains;

TEST_CASE("regression: validating a seed beyond long long's range converts no double to long long", "[regression]") {
    // UBSan (float-cast-overflow): validate() formatted every integer field's value for its message up front,
    // static_cast<long long>(double(seed)), undefined for a seed >= 2^63 even when no message was wanted.
    Config c;
    c.seed = std::numeric_limits<std::uint64_t>::max();
    CHECK(validate(c).empty());
    c.seed = std::uint64_t{1} << 63;
    CHECK(validate(c).empty());
}

TEST_CASE("regression: symmetric_eigen without vectors to project", "[regression][symeig]") {
    // UBSan (pointer-overflow): each eigenvalue's row of the n x 0 projections was assigned, and Eigen's row()
    // of an empty matrix offsets its null data() pointer.
    const Eigen::MatrixXd A = (Eigen::MatrixXd(3, 3) << 2, 1, 0, 1, 2, 0, 0, 0, 5).finished();
    const SymmetricEigen eig = symmetric_eigen(A, 1, Eigen::MatrixXd(3, 0));
    REQUIRE(eig.ok);
    CHECK(eig.projections.rows() == 3);
    CHECK(eig.projections.cols() == 0);
    REQUIRE(eig.values.size() == 3);
    CHECK(eig.values[0] == Approx(5));
    CHECK(eig.values[1] == Approx(3));
    CHECK(eig.values[2] == Approx(1));
}

TEST_CASE("regression: top_right_svd of a non-finite W with a vector to project", "[regression][spectrum]") {
    // An Eigen assertion (col(0) of a 0 x 0 matrix): after a diverged step W is not finite, the decomposition
    // fails and has no projections, yet column 0 of them was read. Found by the divergence test in build-asan/.
    for (const auto& [rows, cols] : {std::pair{12, 10}, std::pair{10, 12}}) {  // tall and wide
        MatrixF W = MatrixF::Ones(rows, cols);
        W(1, 2) = std::numeric_limits<float>::infinity();
        const VectorD b = VectorD::Ones(cols);
        const RightSvd svd = top_right_svd(W, 2, &b);
        CHECK(svd.projection.size() == 0);
    }
}

TEST_CASE("regression: a syntax error inside a UTF-8 character gives a UTF-8 message", "[regression][json]") {
    // Found by fuzzing (fuzz_config_json): a byte order mark (U+FEFF, EF BB BF, valid UTF-8) where a value belongs.
    // json::parse's message quoted the one byte of it that it had read, so the error was not UTF-8 and
    // validateConfig's dump of it threw (type_error 316; in wasm, which cannot catch, an abort).
    const ConfigParse parsed = config_from_json("{\"n\": \xEF\xBB\xBF" "1}");
    REQUIRE(parsed.errors.size() == 1);
    CHECK(parsed.errors[0].field == "json");
    CHECK_THAT(parsed.errors[0].message, Contains("last read: '\"n\": <0xEF>'"));
    CHECK_NOTHROW(field_errors_to_json(parsed.errors).dump());
    // A file that is not UTF-8 (Latin-1, read by the CLI) is named byte by byte the same way.
    const ConfigParse latin1 = config_from_json("{\"optimizer\": \"r\xE9sum\xE9\"}");
    REQUIRE_FALSE(latin1.ok());
    CHECK_THAT(latin1.errors[0].message, Contains("<0xE9>"));
    CHECK_NOTHROW(field_errors_to_json(latin1.errors).dump());
}

TEST_CASE("regression: sweep runs with a step or a repeat beyond int's range", "[regression][sweep]") {
    // Found by fuzzing (fuzz_sweep_summary): static_cast<int> of "step": 2147483648 (and of "repeat": 1e300),
    // undefined behaviour (UBSan's float-cast-overflow). Such a probe is skipped, as one without a step; such a
    // repeat counts as 0, as a missing one.
    const auto runs = nlohmann::json::parse(R"([{"optimizer": "gd", "lr": 1e-3, "repeat": 1e300, "status": "finished",
        "probes": [{"step": -1, "kta": 1}, {"step": 2147483648, "kta": 2}, {"step": 3, "kta": 3}, {"step": 3.5, "kta": 4},
                   {"step": -1e300, "kta": 5}]}])");
    const std::vector<SweepOutcome> outcomes = sweep_outcomes_from_json(runs);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].repeat == 0);
    CHECK(outcomes[0].steps == std::vector<int>{-1, 3});  // 3.5 is step 3 again: skipped
    REQUIRE(outcomes[0].metrics.size() == 2);
    const std::vector<SweepGroup> groups = summarize_sweep(outcomes);
    REQUIRE(groups.size() == 1);
    CHECK(groups[0].steps == std::vector<int>{-1, 3});
}
