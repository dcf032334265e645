// Elementwise kernels. The loops call expf/tanhf/logf, which GCC vectorizes into glibc's
// libmvec variants (declared below as SIMD-callable) at the width -march allows.
#include <cmath>

#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// glibc only announces these variants under -ffast-math; we avoid -ffast-math (it would let
// the compiler assume no Inf/NaN, and masked softmax uses -Inf) and declare them ourselves.
extern "C" {
__attribute__((simd("notinbranch"))) float expf(float) noexcept;
__attribute__((simd("notinbranch"))) float tanhf(float) noexcept;
__attribute__((simd("notinbranch"))) float logf(float) noexcept;
}
#endif

namespace lara {

void unary(int op, const float* x, float* y, int64_t n) {
  switch (op) {
    case 0:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = expf(x[i]);
      break;
    case 1:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = tanhf(x[i]);
      break;
    case 2:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + expf(-x[i]));
      break;
    case 3:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = logf(x[i]);
      break;
    case 4:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = std::sqrt(x[i]);
      break;
    case 5:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = 1.f / std::sqrt(x[i]);
      break;
    case 6:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] * x[i];
      break;
    case 7:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = -x[i];
      break;
    case 8:
#pragma omp simd
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : 0.f;
      break;
    default:
      break;
  }
}

void softmaxRows(const float* x, float* y, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float mx = -INFINITY;
    for (int64_t j = 0; j < cols; ++j) mx = xr[j] > mx ? xr[j] : mx;
    if (mx == -INFINITY) mx = 0.f;  // a fully masked row: let exp give 0/0 like the stock kernel
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < cols; ++j) {
      const float e = expf(xr[j] - mx);
      yr[j] = e;
      s += e;
    }
    const float inv = 1.f / s;
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) yr[j] *= inv;
  }
}

}  // namespace lara
