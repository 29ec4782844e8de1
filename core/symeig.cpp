#include "symeig.hpp"

#include "sterf.hpp"
#include "tridiagonalize.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace spiketail {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Implicit QL on the tridiagonal (d, e), e[i] coupling d[i] and d[i+1]; each rotation is also applied to the
// columns i, i+1 of z (m x n), so z's rows end as the projections of its initial rows on the eigenvectors.
bool tridiagonal_ql(VectorXd& d, VectorXd e, MatrixXd& z) {
    const Eigen::Index n = d.size();
    if (n == 0) return true;
    e.conservativeResize(n);
    e[n - 1] = 0.0;
    constexpr int max_iterations = 60;
    for (Eigen::Index l = 0; l < n; ++l) {
        int iterations = 0;
        Eigen::Index m;
        do {
            for (m = l; m < n - 1; ++m) {
                const double dd = std::abs(d[m]) + std::abs(d[m + 1]);
                if (std::abs(e[m]) <= std::numeric_limits<double>::epsilon() * dd) break;
            }
            if (m == l) break;
            if (++iterations > max_iterations) return false;
            double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            double r = std::hypot(g, 1.0);
            g = d[m] - d[l] + e[l] / (g + std::copysign(r, g));
            double s = 1.0, c = 1.0, p = 0.0;
            Eigen::Index i;
            bool underflow = false;
            for (i = m - 1; i >= l; --i) {
                const double f = s * e[i], b = c * e[i];
                e[i + 1] = r = std::hypot(f, g);
                if (r == 0.0) {  // recover from underflow
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    underflow = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                for (Eigen::Index k = 0; k < z.rows(); ++k) {
                    const double zf = z(k, i + 1);
                    z(k, i + 1) = s * z(k, i) + c * zf;
                    z(k, i) = c * z(k, i) - s * zf;
                }
            }
            if (underflow) continue;
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        } while (m != l);
    }
    return d.allFinite();
}

// (T - shift I) = P L U with partial pivoting (U has two super-diagonals), as LAPACK's dgttrf.
struct TridiagonalLu {
    VectorXd u0, u1, u2, l;
    std::vector<char> swapped;

    TridiagonalLu(const VectorXd& d, const VectorXd& e, double shift, double tiny) {
        const Eigen::Index n = d.size();
        u0 = d.array() - shift;
        u1 = VectorXd::Zero(n);
        u2 = VectorXd::Zero(n);
        l = VectorXd::Zero(n);
        swapped.assign(n, 0);
        VectorXd sub = VectorXd::Zero(n);
        for (Eigen::Index i = 0; i + 1 < n; ++i) u1[i] = sub[i] = e[i];
        for (Eigen::Index i = 0; i + 1 < n; ++i) {
            if (std::abs(sub[i]) > std::abs(u0[i])) {
                const double mult = u0[i] / sub[i];
                const double next_u0 = u1[i] - mult * u0[i + 1];
                const double next_u1 = -mult * u1[i + 1];
                u0[i] = sub[i];
                u1[i] = u0[i + 1];
                u2[i] = u1[i + 1];
                u0[i + 1] = next_u0;
                u1[i + 1] = next_u1;
                l[i] = mult;
                swapped[i] = 1;
            } else {
                if (u0[i] == 0.0) u0[i] = tiny;
                l[i] = sub[i] / u0[i];
                u0[i + 1] -= l[i] * u1[i];
            }
        }
        for (Eigen::Index i = 0; i < n; ++i)
            if (std::abs(u0[i]) < tiny) u0[i] = std::copysign(tiny, u0[i] == 0.0 ? 1.0 : u0[i]);
    }

    void solve(VectorXd& b) const {
        const Eigen::Index n = b.size();
        for (Eigen::Index i = 0; i + 1 < n; ++i) {
            if (swapped[i]) std::swap(b[i], b[i + 1]);
            b[i + 1] -= l[i] * b[i];
        }
        for (Eigen::Index i = n - 1; i >= 0; --i) {
            double x = b[i];
            if (i + 1 < n) x -= u1[i] * b[i + 1];
            if (i + 2 < n) x -= u2[i] * b[i + 2];
            b[i] = x / u0[i];
        }
    }
};

// Eigenvectors of the tridiagonal (d, e) for the given eigenvalues (descending), by inverse iteration.
MatrixXd tridiagonal_eigenvectors(const VectorXd& d, const VectorXd& e, const VectorXd& values) {
    const Eigen::Index n = d.size(), k = values.size();
    double norm = 0.0;  // max row sum of |T|
    for (Eigen::Index i = 0; i < n; ++i)
        norm = std::max(norm, std::abs(d[i]) + (i > 0 ? std::abs(e[i - 1]) : 0.0) + (i + 1 < n ? std::abs(e[i]) : 0.0));
    const double tiny = std::max(norm, 1e-300) * std::numeric_limits<double>::epsilon();
    const double cluster = 1e-3 * norm;  // LAPACK dstein's ORTOL: re-orthogonalise within this distance
    constexpr int iterations = 4;          // each multiplies the error by (gap / distance to the next), O(eps) after 2-3
    MatrixXd Z(n, k);
    for (Eigen::Index j = 0; j < k; ++j) {
        const TridiagonalLu lu(d, e, values[j], tiny);
        VectorXd x(n);
        for (Eigen::Index i = 0; i < n; ++i) x[i] = 1.0 + 0.5 * std::sin(0.7 * static_cast<double>(i * (j + 1)) + 0.3);
        x.normalize();
        for (int it = 0; it < iterations; ++it) {
            lu.solve(x);
            for (Eigen::Index p = 0; p < j; ++p)
                if (std::abs(values[p] - values[j]) < cluster) x -= Z.col(p).dot(x) * Z.col(p);
            const double xn = x.norm();
            if (!(xn > 0) || !std::isfinite(xn)) break;
            x /= xn;
        }
        Z.col(j) = x;
    }
    return Z;
}

}  // namespace

SymmetricEigen symmetric_eigen(const MatrixXd& A, int top_k, const MatrixXd& project) {
    const Eigen::Index n = A.rows();
    SymmetricEigen out;
    const Eigen::Index k = std::clamp<Eigen::Index>(top_k, 0, n);
    if (n == 0) return out;
    const Eigen::Tridiagonalization<MatrixXd> tri(A);
    VectorXd d = tri.diagonal();
    const VectorXd e = tri.subDiagonal();
    MatrixXd z = project.cols() > 0 ? MatrixXd(tri.matrixQ().adjoint() * project).transpose() : MatrixXd(0, n);
    if (!tridiagonal_ql(d, e, z)) {
        out.ok = false;
        return out;
    }
    std::vector<Eigen::Index> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return d[a] > d[b]; });
    out.values.resize(n);
    out.projections.resize(n, z.rows());
    for (Eigen::Index i = 0; i < n; ++i) {
        out.values[i] = d[order[i]];
        // Without projections there is nothing to copy, and a row of the n x 0 matrix would offset its null data()
        // (undefined behaviour, which UBSan reports).
        if (z.rows() > 0) out.projections.row(i) = z.col(order[i]).transpose();
    }
    if (k > 0) {
        const MatrixXd Zk = tridiagonal_eigenvectors(tri.diagonal(), e, out.values.head(k));
        out.top_vectors = tri.matrixQ() * Zk;
    } else {
        out.top_vectors.resize(n, 0);
    }
    return out;
}

SymmetricEigenvalues symmetric_eigenvalues(MatrixF& A) {
    SymmetricEigenvalues out;
    Tridiagonal t = tridiagonalize(A);
    if (!tridiagonal_eigenvalues(t.diagonal, t.off_diagonal)) {
        out.ok = false;
        out.values = VectorXd::Constant(t.diagonal.size(), std::numeric_limits<double>::quiet_NaN());
        return out;
    }
    out.values = std::move(t.diagonal);
    std::sort(out.values.data(), out.values.data() + out.values.size());
    return out;
}

}  // namespace spiketail
