// One block's product (see block_blas.hpp): OpenBLAS in the calling thread, or Eigen, which runs single-threaded
// inside gemm.cpp's parallel loop over the blocks (Eigen does not nest its own threads inside a parallel region).
#include "block_blas.hpp"

#include "types.hpp"

#ifdef SPIKETAIL_OPENBLAS
#include <cblas.h>

#include <string>
#endif

namespace spiketail {

#ifdef SPIKETAIL_OPENBLAS

namespace {

// OpenBLAS's pthread build splits a product over its own threads, as many as cores, unless told otherwise; each
// block must be one single-threaded call (two blocks on two cores would otherwise each start threads, and the
// library's split is its own). Set once, before the first product (a function-local static is initialised once,
// thread-safely).
void single_threaded() {
    static const bool once = [] {
        openblas_set_num_threads(1);
        return true;
    }();
    (void)once;
}

CBLAS_TRANSPOSE cblas(Trans t) { return t == Trans::yes ? CblasTrans : CblasNoTrans; }

}  // namespace

void block_gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
                float beta, float* C, int ldc) {
    if (m <= 0 || n <= 0) return;
    single_threaded();
    cblas_sgemm(CblasColMajor, cblas(ta), cblas(tb), m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

void block_syrk_lower(Trans t, int n, int k, float alpha, const float* A, int lda, float beta, float* C, int ldc) {
    if (n <= 0) return;
    single_threaded();
    cblas_ssyrk(CblasColMajor, CblasLower, cblas(t), n, k, alpha, A, lda, beta, C, ldc);
}

void block_syr2k_lower(int n, int k, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C,
                       int ldc) {
    if (n <= 0) return;
    single_threaded();
    cblas_ssyr2k(CblasColMajor, CblasLower, CblasNoTrans, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

int block_blas_threads() { return openblas_get_num_threads(); }

const char* block_blas_name() {
    static const std::string name = [] {
        std::string version = OPENBLAS_VERSION;  // " OpenBLAS 0.3.21 "
        version.erase(0, version.find_first_not_of(' '));
        version.erase(version.find_last_not_of(' ') + 1);
        return version + " (" + openblas_get_corename() + ")";
    }();
    return name.c_str();
}

#else

namespace {

using Map = Eigen::Map<MatrixF, 0, Eigen::OuterStride<>>;
using ConstMap = Eigen::Map<const MatrixF, 0, Eigen::OuterStride<>>;

// op(A) as an r x c view of the stored matrix.
ConstMap stored(Trans t, int rows, int cols, const float* A, int ld) {
    return t == Trans::yes ? ConstMap(A, cols, rows, Eigen::OuterStride<>(ld)) : ConstMap(A, rows, cols, Eigen::OuterStride<>(ld));
}

}  // namespace

void block_gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
                float beta, float* C, int ldc) {
    if (m <= 0 || n <= 0) return;
    Map c(C, m, n, Eigen::OuterStride<>(ldc));
    const ConstMap a = stored(ta, m, k, A, lda), b = stored(tb, k, n, B, ldb);
    if (beta == 0.0f) c.setZero();
    else if (beta != 1.0f) c *= beta;
    if (ta == Trans::yes && tb == Trans::yes) c.noalias() += alpha * a.transpose() * b.transpose();
    else if (ta == Trans::yes) c.noalias() += alpha * a.transpose() * b;
    else if (tb == Trans::yes) c.noalias() += alpha * a * b.transpose();
    else c.noalias() += alpha * a * b;
}

void block_syrk_lower(Trans t, int n, int k, float alpha, const float* A, int lda, float beta, float* C, int ldc) {
    if (n <= 0) return;
    Map c(C, n, n, Eigen::OuterStride<>(ldc));
    if (beta == 0.0f) c.triangularView<Eigen::Lower>().setZero();
    else if (beta != 1.0f) c.triangularView<Eigen::Lower>() *= beta;
    const ConstMap a = stored(t, n, k, A, lda);
    if (t == Trans::yes) c.selfadjointView<Eigen::Lower>().rankUpdate(a.transpose(), alpha);
    else c.selfadjointView<Eigen::Lower>().rankUpdate(a, alpha);
}

void block_syr2k_lower(int n, int k, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C,
                       int ldc) {
    if (n <= 0) return;
    Map c(C, n, n, Eigen::OuterStride<>(ldc));
    if (beta == 0.0f) c.triangularView<Eigen::Lower>().setZero();
    else if (beta != 1.0f) c.triangularView<Eigen::Lower>() *= beta;
    const ConstMap a(A, n, k, Eigen::OuterStride<>(lda)), b(B, n, k, Eigen::OuterStride<>(ldb));
    c.triangularView<Eigen::Lower>() += alpha * (a * b.transpose());
    c.triangularView<Eigen::Lower>() += alpha * (b * a.transpose());
}

int block_blas_threads() { return 1; }

const char* block_blas_name() { return "Eigen"; }

#endif

}  // namespace spiketail
