// Data movement of 4-byte elements (float32 or int32, bit for bit): slices and row gathers.
#include <cstring>
#include <vector>

#include "kernels.h"

namespace lara {

void slice(const uint32_t* x, uint32_t* out, int rank, const int64_t* shape, const int64_t* begin,
           const int64_t* size) {
  int64_t total = 1;
  for (int d = 0; d < rank; ++d) total *= size[d];
  if (total == 0) return;
  // Merge trailing axes taken whole into one contiguous chunk (plus the axis before them).
  int inner = rank - 1;
  int64_t chunk = rank > 0 ? size[rank - 1] : 1;
  while (inner > 0 && size[inner] == shape[inner]) {
    --inner;
    chunk *= size[inner];
  }
  std::vector<int64_t> stride(rank + 1, 1);
  for (int d = rank - 1; d >= 0; --d) stride[d] = stride[d + 1] * shape[d];
  int64_t xo = 0;
  for (int d = 0; d < rank; ++d) xo += begin[d] * stride[d + 1];
  if (rank == 0) {
    out[0] = x[0];
    return;
  }
  // odometer over axes [0, inner)
  std::vector<int64_t> idx(inner, 0);
  const int64_t outer = total / chunk;
  for (int64_t it = 0; it < outer; ++it) {
    std::memcpy(out + it * chunk, x + xo, sizeof(uint32_t) * chunk);
    for (int d = inner - 1; d >= 0; --d) {
      idx[d]++;
      xo += stride[d + 1];
      if (idx[d] < size[d]) break;
      xo -= stride[d + 1] * size[d];
      idx[d] = 0;
    }
  }
}

bool gatherRows(const uint32_t* x, const int32_t* indices, uint32_t* out, int64_t outer,
                int64_t dimSize, int64_t sliceSize, int64_t nIdx) {
  for (int64_t i = 0; i < nIdx; ++i)
    if (indices[i] < 0 || indices[i] >= dimSize) return false;
  for (int64_t o = 0; o < outer; ++o) {
    const uint32_t* xo = x + o * dimSize * sliceSize;
    uint32_t* oo = out + o * nIdx * sliceSize;
    for (int64_t i = 0; i < nIdx; ++i)
      std::memcpy(oo + i * sliceSize, xo + (int64_t)indices[i] * sliceSize,
                  sizeof(uint32_t) * sliceSize);
  }
  return true;
}

}  // namespace lara
