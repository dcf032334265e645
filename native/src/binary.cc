// Elementwise binary ops with broadcasting. The shape arrives merged to the fewest axes, with a
// stride per operand and axis (0 where that operand is broadcast), so the innermost axis has
// stride 1 or 0 for each operand and the inner loop vectorizes.
#include <vector>

#include "kernels.h"

namespace lara {

namespace {

template <int OP>
inline float apply(float x, float y) {
  if (OP == 0) return x + y;
  if (OP == 1) return x - y;
  if (OP == 2) return x * y;
  if (OP == 3) return x / y;
  if (OP == 4) return x > y ? x : (x != x ? x : y);  // maximum, NaN-propagating
  const float d = x - y;                               // 5: squared difference
  return d * d;
}

template <int OP>
void inner(const float* a, const float* b, float* o, int64_t n, int64_t sa, int64_t sb) {
  if (sa == 1 && sb == 1) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = apply<OP>(a[i], b[i]);
  } else if (sa == 1) {
    const float y = b[0];
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = apply<OP>(a[i], y);
  } else if (sb == 1) {
    const float x = a[0];
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = apply<OP>(x, b[i]);
  } else {
    const float v = apply<OP>(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) o[i] = v;
  }
}

template <int OP>
void run(const float* a, const float* b, float* out, int rank, const int64_t* shape,
         const int64_t* sa, const int64_t* sb) {
  if (rank == 0) {
    out[0] = apply<OP>(a[0], b[0]);
    return;
  }
  const int last = rank - 1;
  const int64_t n = shape[last];
  int64_t outer = 1;
  for (int d = 0; d < last; ++d) outer *= shape[d];
  std::vector<int64_t> idx(rank, 0);
  int64_t ao = 0, bo = 0;
  for (int64_t it = 0; it < outer; ++it) {
    inner<OP>(a + ao, b + bo, out + it * n, n, sa[last], sb[last]);
    for (int d = last - 1; d >= 0; --d) {
      idx[d]++;
      ao += sa[d];
      bo += sb[d];
      if (idx[d] < shape[d]) break;
      ao -= sa[d] * shape[d];
      bo -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

void binary(int op, const float* a, const float* b, float* out, int rank, const int64_t* shape,
            const int64_t* sa, const int64_t* sb) {
  switch (op) {
    case 0: run<0>(a, b, out, rank, shape, sa, sb); break;
    case 1: run<1>(a, b, out, rank, shape, sa, sb); break;
    case 2: run<2>(a, b, out, rank, shape, sa, sb); break;
    case 3: run<3>(a, b, out, rank, shape, sa, sb); break;
    case 4: run<4>(a, b, out, rank, shape, sa, sb); break;
    case 5: run<5>(a, b, out, rank, shape, sa, sb); break;
    default: break;
  }
}

}  // namespace lara
