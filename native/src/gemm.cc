// Batched single-precision matrix products on OpenBLAS, plus the bias/activation epilogue
// of _FusedMatMul.
#include <cmath>
#include <cstring>

#include "kernels.h"

extern "C" {
enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(const enum CBLAS_ORDER Order, const enum CBLAS_TRANSPOSE TransA,
                 const enum CBLAS_TRANSPOSE TransB, const int M, const int N, const int K,
                 const float alpha, const float* A, const int lda, const float* B, const int ldb,
                 const float beta, float* C, const int ldc);
}

namespace lara {

namespace {

// Small products (attention heads: 16×32·32×16) are dominated by OpenBLAS's per-call
// set-up; a direct loop is faster below this many multiply-adds.
constexpr int64_t kSmallGemm = 32 * 32 * 32;
constexpr int kSmallGemmMaxK = 1024;

// C[M,N] = op(A)·op(B), all row-major, written (not accumulated) into c. Without transB the
// rows of B are scaled and added (contiguous in n); with transB each entry is a dot product
// (contiguous in k). A transposed A's column is gathered once per row of C.
void smallGemm(const float* a, const float* b, float* c, int M, int N, int K, bool transA,
               bool transB) {
  float acol[kSmallGemmMaxK];  // batchedGemm sends only K <= kSmallGemmMaxK here
  for (int m = 0; m < M; ++m) {
    const float* arow = a + (int64_t)m * K;
    if (transA) {
      for (int k = 0; k < K; ++k) acol[k] = a[(int64_t)k * M + m];
      arow = acol;
    }
    float* crow = c + (int64_t)m * N;
    if (transB) {
      for (int n = 0; n < N; ++n) {
        const float* brow = b + (int64_t)n * K;
        float s = 0.f;
#pragma omp simd reduction(+ : s)
        for (int k = 0; k < K; ++k) s += arow[k] * brow[k];
        crow[n] = s;
      }
    } else {
      for (int n = 0; n < N; ++n) crow[n] = 0.f;
      for (int k = 0; k < K; ++k) {
        const float av = arow[k];
        const float* brow = b + (int64_t)k * N;
#pragma omp simd
        for (int n = 0; n < N; ++n) crow[n] += av * brow[n];
      }
    }
  }
}

}  // namespace

void batchedGemm(const float* a, const float* b, float* c, int batch, int M, int N, int K,
                 bool transA, bool transB, int64_t strideA, int64_t strideB) {
  const int64_t strideC = (int64_t)M * N;
  if (M == 0 || N == 0) return;
  if (K == 0) {
    std::memset(c, 0, sizeof(float) * strideC * batch);
    return;
  }
  const bool small = (int64_t)M * N * K <= kSmallGemm && K <= kSmallGemmMaxK;
  const int lda = transA ? M : K;
  const int ldb = transB ? K : N;
  for (int i = 0; i < batch; ++i) {
    const float* ai = a + strideA * i;
    const float* bi = b + strideB * i;
    float* ci = c + strideC * i;
    if (small) {
      smallGemm(ai, bi, ci, M, N, K, transA, transB);
    } else {
      cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                  transB ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, ai, lda, bi, ldb, 0.0f, ci,
                  N);
    }
  }
}

void biasActivation(float* c, int64_t rows, int N, const float* bias, int64_t biasSize,
                    int activation, float alpha, const float* preluW, int64_t preluSize) {
  const int64_t total = rows * N;
  if (bias != nullptr) {
    if (biasSize == N) {
      for (int64_t r = 0; r < rows; ++r) {
        float* row = c + r * N;
#pragma omp simd
        for (int n = 0; n < N; ++n) row[n] += bias[n];
      }
    } else if (biasSize == 1) {
      const float v = bias[0];
#pragma omp simd
      for (int64_t i = 0; i < total; ++i) c[i] += v;
    } else {
      for (int64_t i = 0; i < total; ++i) c[i] += bias[i % biasSize];
    }
  }
  switch (activation) {
    case 1:
#pragma omp simd
      for (int64_t i = 0; i < total; ++i) c[i] = c[i] > 0.f ? c[i] : 0.f;
      break;
    case 2:
#pragma omp simd
      for (int64_t i = 0; i < total; ++i) c[i] = c[i] < 0.f ? 0.f : (c[i] > 6.f ? 6.f : c[i]);
      break;
    case 3:
#pragma omp simd
      for (int64_t i = 0; i < total; ++i) c[i] = c[i] < 0.f ? alpha * c[i] : c[i];
      break;
    case 4:
      unary(2, c, c, total);
      break;
    case 5:
      for (int64_t i = 0; i < total; ++i) c[i] = c[i] < 0.f ? std::expm1(c[i]) : c[i];
      break;
    case 6:
      if (preluW == nullptr || preluSize <= 0) break;
      for (int64_t i = 0; i < total; ++i) {
        const float s = preluW[i % preluSize];
        c[i] = c[i] < 0.f ? s * c[i] : c[i];
      }
      break;
    default:
      break;
  }
}

}  // namespace lara
