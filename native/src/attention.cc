// Fused multi-head self-attention over the Q axis of x [P, Q, R, D], reading q, k, v straight
// from the qkv projection [P·Q·R, 3·D] (row layout (q|k|v, head, dh)) and writing the merged
// heads [P·Q·R, D] (row layout (head, dh)): no head-split transposes, no split, no batched
// products through BLAS (Q and dh are small: 4–65 and 16–32). probs [P·R·H, Q, Q] is saved
// for the backward pass, which writes dqkv in the same layout.
#include <cmath>
#include <algorithm>
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

// Copies one head's q, k, v (Q rows of dh, rows R apart in qkv) into contiguous buffers, and
// k (or v) transposed [dh, Q] so that score rows are axpys over j (vectorised over Q).
struct Head {
  std::vector<float> q, k, v, t;  // [Q, dh] ×3, transposed [dh, Q]
  explicit Head(int64_t Q, int64_t dh) : q(Q * dh), k(Q * dh), v(Q * dh), t(Q * dh) {}
  void load(const float* qkv, int64_t row0, int64_t Q, int64_t stepQ, int64_t rowQkv, int64_t D,
            int64_t h, int64_t dh) {
    for (int64_t i = 0; i < Q; ++i) {
      const float* src = qkv + (row0 + i * stepQ) * rowQkv + h * dh;
      for (int64_t e = 0; e < dh; ++e) {
        q[i * dh + e] = src[e];
        k[i * dh + e] = src[D + e];
        v[i * dh + e] = src[2 * D + e];
      }
    }
  }
  void transpose(const std::vector<float>& m, int64_t Q, int64_t dh) {
    for (int64_t i = 0; i < Q; ++i)
      for (int64_t e = 0; e < dh; ++e) t[e * Q + i] = m[i * dh + e];
  }
};

void attentionForward(const float* qkv, float* out, float* probs, int64_t P, int64_t Q, int64_t R,
                      int64_t H, int64_t dh, bool causal, float scale) {
  const int64_t D = H * dh, rowQkv = 3 * D, stepQ = R;  // rows between consecutive q positions
  const int64_t work = Q * Q * dh * H;                    // per (p, r)
  parallelFor(P * R, 1 + 200000 / (work + 1), [&](int64_t pr0, int64_t pr1) {
  Head hd(Q, dh);
  std::vector<float> o(dh);
  for (int64_t pr = pr0; pr < pr1; ++pr) {
    const int64_t p = pr / R, r = pr % R;
      for (int64_t h = 0; h < H; ++h) {
        const int64_t g = (p * R + r) * H + h;
        const int64_t row0 = p * Q * R + r;  // row of (p, q=0, r)
        hd.load(qkv, row0, Q, stepQ, rowQkv, D, h, dh);
        hd.transpose(hd.k, Q, dh);
        float* pg = probs + g * Q * Q;
        for (int64_t i = 0; i < Q; ++i) {
          float* pr = pg + i * Q;
          const int64_t jn = causal ? i + 1 : Q;
          for (int64_t j = 0; j < Q; ++j) pr[j] = 0.f;
          for (int64_t e = 0; e < dh; ++e) axpy(hd.q[i * dh + e] * scale, hd.t.data() + e * Q, pr, jn);
          float mx = -INFINITY;
          for (int64_t j = 0; j < jn; ++j) mx = pr[j] > mx ? pr[j] : mx;
          float sum = 0.f;
#pragma omp simd reduction(+ : sum)
          for (int64_t j = 0; j < jn; ++j) {
            const float ex = expf(pr[j] - mx);
            pr[j] = ex;
            sum += ex;
          }
          const float inv = 1.f / sum;
#pragma omp simd
          for (int64_t j = 0; j < jn; ++j) pr[j] *= inv;
          for (int64_t e = 0; e < dh; ++e) o[e] = 0.f;
          for (int64_t j = 0; j < jn; ++j) axpy(pr[j], hd.v.data() + j * dh, o.data(), dh);
          float* dst = out + (row0 + i * stepQ) * D + h * dh;
          for (int64_t e = 0; e < dh; ++e) dst[e] = o[e];
        }
      }
  }
  });
}

void attentionBackward(const float* dout, const float* qkv, const float* probs, float* dqkv,
                       int64_t P, int64_t Q, int64_t R, int64_t H, int64_t dh, bool causal,
                       float scale) {
  const int64_t D = H * dh, rowQkv = 3 * D, stepQ = R;
  const int64_t work = 3 * Q * Q * dh * H;
  parallelFor(P * R, 1 + 200000 / (work + 1), [&](int64_t pr0, int64_t pr1) {
  Head hd(Q, dh);
  std::vector<float> dp(Q), dq(Q * dh), dk(Q * dh), dv(Q * dh);
  for (int64_t pr = pr0; pr < pr1; ++pr) {
    const int64_t p = pr / R, r = pr % R;
      for (int64_t h = 0; h < H; ++h) {
        const int64_t g = (p * R + r) * H + h;
        const int64_t row0 = p * Q * R + r;
        const float* pg = probs + g * Q * Q;
        hd.load(qkv, row0, Q, stepQ, rowQkv, D, h, dh);
        hd.transpose(hd.v, Q, dh);
        std::fill(dq.begin(), dq.end(), 0.f);
        std::fill(dk.begin(), dk.end(), 0.f);
        std::fill(dv.begin(), dv.end(), 0.f);
        for (int64_t i = 0; i < Q; ++i) {
          const float* pr = pg + i * Q;
          const float* dO = dout + (row0 + i * stepQ) * D + h * dh;
          const int64_t jn = causal ? i + 1 : Q;
          for (int64_t j = 0; j < jn; ++j) dp[j] = 0.f;
          for (int64_t e = 0; e < dh; ++e) axpy(dO[e], hd.t.data() + e * Q, dp.data(), jn);  // dP_i = dO_i·Vᵀ
          float rowDot = 0.f;
#pragma omp simd reduction(+ : rowDot)
          for (int64_t j = 0; j < jn; ++j) rowDot += pr[j] * dp[j];
          for (int64_t j = 0; j < jn; ++j) {
            axpy(pr[j], dO, dv.data() + j * dh, dh);                    // dV_j += P_ij dO_i
            const float s = pr[j] * (dp[j] - rowDot) * scale;           // dScore_ij · scale
            axpy(s, hd.k.data() + j * dh, dq.data() + i * dh, dh);      // dq_i += s k_j
            axpy(s, hd.q.data() + i * dh, dk.data() + j * dh, dh);      // dk_j += s q_i
          }
        }
        for (int64_t i = 0; i < Q; ++i) {
          float* d = dqkv + (row0 + i * stepQ) * rowQkv + h * dh;
          for (int64_t e = 0; e < dh; ++e) {
            d[e] = dq[i * dh + e];
            d[D + e] = dk[i * dh + e];
            d[2 * D + e] = dv[i * dh + e];
          }
        }
      }
  }
  });
}

}  // namespace lara
