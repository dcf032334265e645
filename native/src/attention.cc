// Fused multi-head self-attention over the Q axis of x [P, Q, R, D], reading q, k, v straight
// from the qkv projection [P·Q·R, 3·D] (row layout (q|k|v, head, dh)) and writing the merged
// heads [P·Q·R, D] (row layout (head, dh)): no head-split transposes, no split, no batched
// products through BLAS (Q and dh are small: 4–65 and 16–32). probs [P·R·H, Q, Q] is saved
// for the backward pass, which writes dqkv in the same layout.
#include <cmath>
#include <vector>

#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
extern "C" {
__attribute__((simd("notinbranch"))) float expf(float) noexcept;
}
#endif

namespace lara {

namespace {
inline float dot(const float* a, const float* b, int64_t n) {
  float s = 0.f;
#pragma omp simd reduction(+ : s)
  for (int64_t e = 0; e < n; ++e) s += a[e] * b[e];
  return s;
}
inline void axpy(float a, const float* x, float* y, int64_t n) {
#pragma omp simd
  for (int64_t e = 0; e < n; ++e) y[e] += a * x[e];
}
}  // namespace

void attentionForward(const float* qkv, float* out, float* probs, int64_t P, int64_t Q, int64_t R,
                      int64_t H, int64_t dh, bool causal, float scale) {
  const int64_t D = H * dh, rowQkv = 3 * D, stepQ = R;  // rows between consecutive q positions
  std::vector<float> qs(Q * dh);
  for (int64_t p = 0; p < P; ++p)
    for (int64_t r = 0; r < R; ++r)
      for (int64_t h = 0; h < H; ++h) {
        const int64_t g = (p * R + r) * H + h;
        const int64_t row0 = p * Q * R + r;  // row of (p, q=0, r)
        float* pg = probs + g * Q * Q;
        for (int64_t i = 0; i < Q; ++i) {
          const float* q = qkv + (row0 + i * stepQ) * rowQkv + h * dh;
#pragma omp simd
          for (int64_t e = 0; e < dh; ++e) qs[i * dh + e] = q[e] * scale;
        }
        for (int64_t i = 0; i < Q; ++i) {
          float* pr = pg + i * Q;
          const int64_t jn = causal ? i + 1 : Q;
          float mx = -INFINITY;
          for (int64_t j = 0; j < jn; ++j) {
            const float s = dot(qs.data() + i * dh, qkv + (row0 + j * stepQ) * rowQkv + D + h * dh, dh);
            pr[j] = s;
            mx = s > mx ? s : mx;
          }
          float sum = 0.f;
          for (int64_t j = 0; j < jn; ++j) {
            const float e = expf(pr[j] - mx);
            pr[j] = e;
            sum += e;
          }
          const float inv = 1.f / sum;
          for (int64_t j = 0; j < jn; ++j) pr[j] *= inv;
          for (int64_t j = jn; j < Q; ++j) pr[j] = 0.f;
          float* o = out + (row0 + i * stepQ) * D + h * dh;
          for (int64_t e = 0; e < dh; ++e) o[e] = 0.f;
          for (int64_t j = 0; j < jn; ++j) axpy(pr[j], qkv + (row0 + j * stepQ) * rowQkv + 2 * D + h * dh, o, dh);
        }
      }
}

void attentionBackward(const float* dout, const float* qkv, const float* probs, float* dqkv,
                       int64_t P, int64_t Q, int64_t R, int64_t H, int64_t dh, bool causal,
                       float scale) {
  const int64_t D = H * dh, rowQkv = 3 * D, stepQ = R;
  std::vector<float> ds(Q);
  for (int64_t p = 0; p < P; ++p)
    for (int64_t r = 0; r < R; ++r)
      for (int64_t h = 0; h < H; ++h) {
        const int64_t g = (p * R + r) * H + h;
        const int64_t row0 = p * Q * R + r;
        const float* pg = probs + g * Q * Q;
        for (int64_t i = 0; i < Q; ++i) {
          float* d = dqkv + (row0 + i * stepQ) * rowQkv + h * dh;
          for (int64_t e = 0; e < dh; ++e) d[e] = d[D + e] = d[2 * D + e] = 0.f;
        }
        for (int64_t i = 0; i < Q; ++i) {
          const float* pr = pg + i * Q;
          const float* dO = dout + (row0 + i * stepQ) * D + h * dh;
          const int64_t jn = causal ? i + 1 : Q;
          float rowDot = 0.f;
          for (int64_t j = 0; j < jn; ++j) {
            const int64_t rj = (row0 + j * stepQ) * rowQkv + h * dh;
            const float dp = dot(dO, qkv + rj + 2 * D, dh);  // dP[i][j] = dO_i · v_j
            axpy(pr[j], dO, dqkv + rj + 2 * D, dh);           // dv_j += P[i][j] dO_i
            ds[j] = dp;
            rowDot += pr[j] * dp;
          }
          const int64_t ri = (row0 + i * stepQ) * rowQkv + h * dh;
          for (int64_t j = 0; j < jn; ++j) {
            const float s = pr[j] * (ds[j] - rowDot) * scale;  // dScores · scale
            if (s == 0.f) continue;
            const int64_t rj = (row0 + j * stepQ) * rowQkv + h * dh;
            axpy(s, qkv + rj + D, dqkv + ri, dh);      // dq_i += s k_j
            axpy(s, qkv + ri, dqkv + rj + D, dh);      // dk_j += s q_i
          }
        }
      }
}

}  // namespace lara
