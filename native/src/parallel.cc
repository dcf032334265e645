// A minimal parallel-for for lara's fused kernels: std::threads per call (a call runs for
// 0.5–10 ms, thread start-up costs ~20 µs), as many as lara's thread setting (LARA_THREADS).
#include <thread>
#include <vector>

#include "kernels.h"

namespace lara {

namespace {
int loopThreads = 1;
}

void setLoopThreads(int n) { loopThreads = n < 1 ? 1 : n; }

void parallelFor(int64_t n, int64_t minChunk, const std::function<void(int64_t, int64_t)>& fn) {
  int64_t t = loopThreads;
  if (minChunk < 1) minChunk = 1;
  if (t > n / minChunk) t = n / minChunk;
  if (t <= 1) {
    if (n > 0) fn(0, n);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  for (int64_t k = 1; k < t; ++k) pool.emplace_back(fn, n * k / t, n * (k + 1) / t);
  fn(0, n / t);
  for (auto& th : pool) th.join();
}

}  // namespace lara
