// Fused training kernels: AdamW update in place, LayerNorm forward/backward, tanh-GELU
// forward/backward, softmax cross-entropy forward/backward. Each replaces 5–15 tfjs kernels
// (and as many passes over memory) with one pass per row or element.
#include <cmath>
#include <vector>

#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
extern "C" {
__attribute__((simd("notinbranch"))) float expf(float) noexcept;
__attribute__((simd("notinbranch"))) float logf(float) noexcept;
}
#endif

namespace lara {

// No fused multiply-adds here, so the update rounds exactly as the stock tfjs ops do.
__attribute__((optimize("fp-contract=off"))) void adamw(float* p, const float* g, float* m,
                                                        float* v, int64_t n, float decay, float b1,
                                                        float c1, float b2, float c2, float eps,
                                                        float stepSize, float invBc2) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g ? g[i] : 0.f;
    const float mi = m[i] * b1 + gi * c1;
    const float vi = v[i] * b2 + gi * gi * c2;
    m[i] = mi;
    v[i] = vi;
    const float denom = std::sqrt(vi) * invBc2 + eps;
    float pi = p[i];
    pi = pi - pi * decay;
    p[i] = pi - (mi / denom) * stepSize;
  }
}

void layerNormForward(const float* x, const float* g, const float* b, float* y, float* xhat,
                      float* rstd, int64_t rows, int64_t d, float eps) {
  const float invD = 1.f / (float)d;
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * d;
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < d; ++j) s += xr[j];
    const float mu = s * invD;
    float q = 0.f;
#pragma omp simd reduction(+ : q)
    for (int64_t j = 0; j < d; ++j) {
      const float c = xr[j] - mu;
      q += c * c;
    }
    const float rs = 1.f / std::sqrt(q * invD + eps);
    rstd[r] = rs;
    float* hr = xhat + r * d;
    float* yr = y + r * d;
#pragma omp simd
    for (int64_t j = 0; j < d; ++j) {
      const float h = (xr[j] - mu) * rs;
      hr[j] = h;
      yr[j] = h * g[j] + b[j];
    }
  }
}

void layerNormBackward(const float* dy, const float* xhat, const float* rstd, const float* g,
                       float* dx, float* dg, float* db, int64_t rows, int64_t d) {
  const float invD = 1.f / (float)d;
  for (int64_t j = 0; j < d; ++j) dg[j] = db[j] = 0.f;
  for (int64_t r = 0; r < rows; ++r) {
    const float* dyr = dy + r * d;
    const float* hr = xhat + r * d;
    float sa = 0.f, sc = 0.f;
#pragma omp simd reduction(+ : sa, sc)
    for (int64_t j = 0; j < d; ++j) {
      const float dh = dyr[j] * g[j];
      sa += dh;
      sc += dh * hr[j];
    }
    const float a = sa * invD, c = sc * invD, rs = rstd[r];
    float* dxr = dx + r * d;
#pragma omp simd
    for (int64_t j = 0; j < d; ++j) {
      dxr[j] = rs * (dyr[j] * g[j] - a - hr[j] * c);
      dg[j] += dyr[j] * hr[j];
      db[j] += dyr[j];
    }
  }
}

namespace {
constexpr float kK = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kC = 0.044715f;
}  // namespace

void geluForward(const float* x, float* y, int64_t n) {
  parallelFor(n, 1 << 16, [=](int64_t b, int64_t e) {
#pragma omp simd
    for (int64_t i = b; i < e; ++i) {
      const float xi = x[i];
      const float u2 = xi * (xi * xi * (2.f * kK * kC) + 2.f * kK);
      y[i] = xi / (1.f + expf(-u2));
    }
  });
}

void geluBackward(const float* x, const float* dy, float* dx, int64_t n) {
  parallelFor(n, 1 << 16, [=](int64_t b, int64_t e) {
#pragma omp simd
  for (int64_t i = b; i < e; ++i) {
    const float xi = x[i];
    const float x2 = xi * xi;
    const float s = 1.f / (1.f + expf(-xi * (x2 * (2.f * kK * kC) + 2.f * kK)));
    const float du2 = x2 * (6.f * kK * kC) + 2.f * kK;
    dx[i] = dy[i] * (s + xi * s * (1.f - s) * du2);
  }
  });
}

float softmaxXentForward(const float* x, const int32_t* labels, const float* w, float* prob,
                         float* scale, int64_t rows, int64_t cols) {
  // returns the loss; prob = softmax(x); scale[r] = d loss / d nll_r
  double total = 0.0, wsum = 0.0;
  for (int64_t r = 0; r < rows; ++r) wsum += w ? (double)w[r] : 1.0;
  const float denom = w ? (float)(wsum > 1e-12 ? wsum : 1e-12) : (float)rows;
  std::vector<float> rowLoss(rows);
  parallelFor(rows, 1 + (1 << 16) / (cols + 1), [&](int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* xr = x + r * cols;
    float* pr = prob + r * cols;
    float mx = -INFINITY;
    for (int64_t j = 0; j < cols; ++j) mx = xr[j] > mx ? xr[j] : mx;
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < cols; ++j) {
      const float e = expf(xr[j] - mx);
      pr[j] = e;
      s += e;
    }
    const float inv = 1.f / s;
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) pr[j] *= inv;
    const int32_t l = labels[r];
    const float picked = (l >= 0 && l < cols) ? xr[l] - mx - logf(s) : 0.f;
    const float wr = w ? w[r] : 1.f;
    rowLoss[r] = picked * wr;
    scale[r] = wr / denom;
  }
  });
  for (int64_t r = 0; r < rows; ++r) total += (double)rowLoss[r];
  return (float)(-total / denom);
}

void softmaxXentBackward(const float* prob, const int32_t* labels, const float* scale, float dy,
                         float* dx, int64_t rows, int64_t cols) {
  parallelFor(rows, 1 + (1 << 16) / (cols + 1), [=](int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float k = scale[r] * dy;
    const float* pr = prob + r * cols;
    float* dr = dx + r * cols;
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) dr[j] = pr[j] * k;
    const int32_t l = labels[r];
    if (l >= 0 && l < cols) dr[l] -= k;
  }
  });
}

}  // namespace lara
