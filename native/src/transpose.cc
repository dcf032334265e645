// Transpose of 4-byte elements (float32 or int32, copied bit for bit). The shape arrives with
// size-1 axes removed and runs of axes that stay together merged, so the common cases are
// "move whole rows" (the innermost axis stays innermost: memcpy) and "batched 2-D transpose"
// (done in cache-sized tiles).
#include <cstring>
#include <vector>

#include "kernels.h"

namespace lara {

namespace {

constexpr int64_t kTile = 16;

// dst[a * dstStrideA + b] = src[a + b * srcStrideB] for a < A, b < B.
void tile2d(const uint32_t* src, uint32_t* dst, int64_t A, int64_t B, int64_t srcStrideB,
            int64_t dstStrideA) {
  for (int64_t a0 = 0; a0 < A; a0 += kTile) {
    const int64_t a1 = a0 + kTile < A ? a0 + kTile : A;
    for (int64_t b0 = 0; b0 < B; b0 += kTile) {
      const int64_t b1 = b0 + kTile < B ? b0 + kTile : B;
      for (int64_t a = a0; a < a1; ++a) {
        uint32_t* d = dst + a * dstStrideA;
        const uint32_t* s = src + a;
        for (int64_t b = b0; b < b1; ++b) d[b] = s[b * srcStrideB];
      }
    }
  }
}

}  // namespace

void transpose(const uint32_t* x, uint32_t* out, int rank, const int64_t* shape, const int* perm) {
  if (rank == 0) return;
  std::vector<int64_t> inStride(rank), outShape(rank), outStride(rank), srcStride(rank);
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; --d) {
    inStride[d] = s;
    s *= shape[d];
  }
  const int64_t total = s;
  if (total == 0) return;
  for (int i = 0; i < rank; ++i) {
    outShape[i] = shape[perm[i]];
    srcStride[i] = inStride[perm[i]];  // step in x for a step along output axis i
  }
  s = 1;
  for (int i = rank - 1; i >= 0; --i) {
    outStride[i] = s;
    s *= outShape[i];
  }
  const int last = rank - 1;
  // Axes walked by the odometer: all but the innermost output axis and, when the input's
  // innermost axis moved, the output axis q that reads it.
  int q = last;
  for (int i = 0; i < rank; ++i)
    if (perm[i] == last) q = i;
  std::vector<int> walk;
  for (int i = 0; i < rank; ++i)
    if (i != last && i != q) walk.push_back(i);
  std::vector<int64_t> idx(walk.size(), 0);
  int64_t outer = 1;
  for (int i : walk) outer *= outShape[i];
  int64_t xo = 0, oo = 0;
  for (int64_t it = 0; it < outer; ++it) {
    if (q == last) {
      std::memcpy(out + oo, x + xo, sizeof(uint32_t) * outShape[last]);
    } else {
      tile2d(x + xo, out + oo, outShape[q], outShape[last], srcStride[last], outStride[q]);
    }
    for (int w = (int)walk.size() - 1; w >= 0; --w) {
      const int ax = walk[w];
      idx[w]++;
      xo += srcStride[ax];
      oo += outStride[ax];
      if (idx[w] < outShape[ax]) break;
      xo -= srcStride[ax] * outShape[ax];
      oo -= outStride[ax] * outShape[ax];
      idx[w] = 0;
    }
  }
}

}  // namespace lara
