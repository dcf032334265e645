// Sum and max over arbitrary axes without transposing first: the axes arrive merged into
// alternating kept/reduced groups, and the innermost group is walked contiguously.
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels.h"

namespace lara {

namespace {

template <bool kMax>
void reduceGroups(const float* x, float* out, int ngroups, const int64_t* sizes,
                  const uint8_t* reduced) {
  int64_t outSize = 1;
  for (int g = 0; g < ngroups; ++g)
    if (!reduced[g]) outSize *= sizes[g];
  if (kMax) {
    for (int64_t i = 0; i < outSize; ++i) out[i] = -INFINITY;
  } else {
    std::memset(out, 0, sizeof(float) * outSize);
  }
  if (ngroups == 0) return;
  // Strides of each group in x (row-major) and in out (0 for reduced groups).
  std::vector<int64_t> xs(ngroups), os(ngroups);
  int64_t xstr = 1, ostr = 1;
  for (int g = ngroups - 1; g >= 0; --g) {
    xs[g] = xstr;
    xstr *= sizes[g];
    os[g] = reduced[g] ? 0 : ostr;
    if (!reduced[g]) ostr *= sizes[g];
  }
  const int last = ngroups - 1;
  const int64_t inner = sizes[last];
  const bool innerReduced = reduced[last] != 0;
  int64_t outer = 1;
  for (int g = 0; g < last; ++g) outer *= sizes[g];
  std::vector<int64_t> idx(ngroups, 0);
  int64_t xo = 0, oo = 0;
  for (int64_t it = 0; it < outer; ++it) {
    const float* xp = x + xo;
    if (innerReduced) {
      if (kMax) {
        float m = out[oo];
        for (int64_t j = 0; j < inner; ++j) m = xp[j] > m ? xp[j] : m;
        out[oo] = m;
      } else {
        float s = 0.f;
#pragma omp simd reduction(+ : s)
        for (int64_t j = 0; j < inner; ++j) s += xp[j];
        out[oo] += s;
      }
    } else {
      float* op = out + oo;
      if (kMax) {
        for (int64_t j = 0; j < inner; ++j) op[j] = xp[j] > op[j] ? xp[j] : op[j];
      } else {
#pragma omp simd
        for (int64_t j = 0; j < inner; ++j) op[j] += xp[j];
      }
    }
    // Odometer over the outer groups.
    for (int g = last - 1; g >= 0; --g) {
      idx[g]++;
      xo += xs[g];
      oo += os[g];
      if (idx[g] < sizes[g]) break;
      xo -= xs[g] * sizes[g];
      oo -= os[g] * sizes[g];
      idx[g] = 0;
    }
  }
}

}  // namespace

void sumGroups(const float* x, float* out, int ngroups, const int64_t* sizes,
               const uint8_t* reduced) {
  reduceGroups<false>(x, out, ngroups, sizes, reduced);
}

void maxGroups(const float* x, float* out, int ngroups, const int64_t* sizes,
               const uint8_t* reduced) {
  reduceGroups<true>(x, out, ngroups, sizes, reduced);
}

}  // namespace lara
