// Bugs found by the sanitizers (scripts/test-sanitizers.sh: ASan + UBSan) and the fuzzers (scripts/test-fuzz.sh),
// each with the input that showed it. Most were undefined behaviour that an optimised build gets away with, so
// these tests pass there either way: they fail (a UBSan or ASan report, or an Eigen assertion) in build-asan/.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "config.hpp"
#include "spectrum.hpp"
#include "symeig.hpp"

using namespace spiketail;

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
