// N-API surface of the lara native accelerator. Every kernel takes the wasm backend's heap
// (a Float32Array over the whole wasm memory) and float offsets into it, so operands are read
// and outputs written in place, with no copies.
#include <node_api.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "kernels.h"

namespace {

constexpr size_t kMaxArgs = 16;

struct Args {
  napi_env env;
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  float* heap = nullptr;
  size_t heapLen = 0;  // in floats
  bool ok = true;
};

void fail(napi_env env, const char* msg) { napi_throw_error(env, "LARA_NATIVE", msg); }

bool readArgs(napi_env env, napi_callback_info info, Args& a, size_t need, bool withHeap) {
  a.env = env;
  if (napi_get_cb_info(env, info, &a.argc, a.argv, nullptr, nullptr) != napi_ok || a.argc < need) {
    fail(env, "lara_native: too few arguments");
    return false;
  }
  if (!withHeap) return true;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value ab;
  size_t byteOffset = 0;
  if (napi_get_typedarray_info(env, a.argv[0], &type, &length, &data, &ab, &byteOffset) !=
          napi_ok ||
      type != napi_float32_array) {
    fail(env, "lara_native: argument 0 must be the wasm heap as a Float32Array");
    return false;
  }
  a.heap = static_cast<float*>(data);
  a.heapLen = length;
  return true;
}

int64_t i64(Args& a, size_t i) {
  int64_t v = 0;
  if (napi_get_value_int64(a.env, a.argv[i], &v) != napi_ok) a.ok = false;
  return v;
}

double f64(Args& a, size_t i) {
  double v = 0;
  if (napi_get_value_double(a.env, a.argv[i], &v) != napi_ok) a.ok = false;
  return v;
}

// Bounds check of [off, off + n) against the heap; throws and returns false when outside.
bool inHeap(Args& a, int64_t off, int64_t n) {
  if (off < 0 || n < 0 || (uint64_t)(off + n) > a.heapLen) {
    fail(a.env, "lara_native: operand outside the wasm heap");
    return false;
  }
  return true;
}

napi_value undef(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// gemm(heap, aOff, bOff, cOff, batch, M, N, K, transA, transB, strideA, strideB)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 12, true)) return nullptr;
  const int64_t aOff = i64(a, 1), bOff = i64(a, 2), cOff = i64(a, 3);
  const int64_t batch = i64(a, 4), M = i64(a, 5), N = i64(a, 6), K = i64(a, 7);
  const bool tA = i64(a, 8) != 0, tB = i64(a, 9) != 0;
  const int64_t sA = i64(a, 10), sB = i64(a, 11);
  if (!a.ok || batch < 0 || M < 0 || N < 0 || K < 0) {
    fail(env, "lara_native.gemm: bad integer argument");
    return nullptr;
  }
  if (batch == 0) return undef(env);
  if (!inHeap(a, aOff, sA * (batch - 1) + M * K) || !inHeap(a, bOff, sB * (batch - 1) + K * N) ||
      !inHeap(a, cOff, batch * M * N))
    return nullptr;
  lara::batchedGemm(a.heap + aOff, a.heap + bOff, a.heap + cOff, (int)batch, (int)M, (int)N,
                    (int)K, tA, tB, sA, sB);
  return undef(env);
}

// biasAct(heap, cOff, rows, N, biasOff (-1: none), biasSize, activation, alpha,
//         preluOff (-1: none), preluSize)
napi_value BiasAct(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 10, true)) return nullptr;
  const int64_t cOff = i64(a, 1), rows = i64(a, 2), N = i64(a, 3), biasOff = i64(a, 4),
                biasSize = i64(a, 5), act = i64(a, 6);
  const double alpha = f64(a, 7);
  const int64_t preluOff = i64(a, 8), preluSize = i64(a, 9);
  if (!a.ok || rows < 0 || N < 0) {
    fail(env, "lara_native.biasAct: bad argument");
    return nullptr;
  }
  if (!inHeap(a, cOff, rows * N)) return nullptr;
  const float* bias = nullptr;
  const float* prelu = nullptr;
  if (biasOff >= 0) {
    if (biasSize <= 0) {
      fail(env, "lara_native.biasAct: empty bias");
      return nullptr;
    }
    if (!inHeap(a, biasOff, biasSize)) return nullptr;
    bias = a.heap + biasOff;
  }
  if (preluOff >= 0) {
    if (preluSize <= 0) {
      fail(env, "lara_native.biasAct: empty prelu weights");
      return nullptr;
    }
    if (!inHeap(a, preluOff, preluSize)) return nullptr;
    prelu = a.heap + preluOff;
  }
  lara::biasActivation(a.heap + cOff, rows, (int)N, bias, biasSize, (int)act, (float)alpha, prelu,
                       preluSize);
  return undef(env);
}

// unary(heap, op, xOff, yOff, n)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 5, true)) return nullptr;
  const int64_t op = i64(a, 1), xOff = i64(a, 2), yOff = i64(a, 3), n = i64(a, 4);
  if (!a.ok) {
    fail(env, "lara_native.unary: bad argument");
    return nullptr;
  }
  if (!inHeap(a, xOff, n) || !inHeap(a, yOff, n)) return nullptr;
  lara::unary((int)op, a.heap + xOff, a.heap + yOff, n);
  return undef(env);
}

// reduce(heap, kind (0 sum, 1 max, 2 mean), xOff, outOff, sizes: Int32Array, reducedMask)
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 6, true)) return nullptr;
  const int64_t kind = i64(a, 1), xOff = i64(a, 2), outOff = i64(a, 3), mask = i64(a, 5);
  napi_typedarray_type type;
  size_t ngroups = 0;
  void* data = nullptr;
  napi_value ab;
  size_t bo = 0;
  if (!a.ok || napi_get_typedarray_info(env, a.argv[4], &type, &ngroups, &data, &ab, &bo) !=
                   napi_ok ||
      type != napi_int32_array || ngroups > 30) {
    fail(env, "lara_native.reduce: sizes must be an Int32Array of at most 30 groups");
    return nullptr;
  }
  const int32_t* s32 = static_cast<const int32_t*>(data);
  int64_t sizes[30];
  uint8_t reduced[30];
  int64_t total = 1, outTotal = 1;
  for (size_t g = 0; g < ngroups; ++g) {
    sizes[g] = s32[g];
    reduced[g] = (mask >> g) & 1;
    total *= sizes[g];
    if (!reduced[g]) outTotal *= sizes[g];
  }
  if (!inHeap(a, xOff, total) || !inHeap(a, outOff, outTotal)) return nullptr;
  if (kind == 0 || kind == 2) {
    lara::sumGroups(a.heap + xOff, a.heap + outOff, (int)ngroups, sizes, reduced);
    if (kind == 2 && outTotal > 0) {
      const float inv = 1.0f / (float)(total / outTotal);
      float* o = a.heap + outOff;
      for (int64_t i = 0; i < outTotal; ++i) o[i] *= inv;
    }
  } else
    lara::maxGroups(a.heap + xOff, a.heap + outOff, (int)ngroups, sizes, reduced);
  return undef(env);
}

// transpose(heap, xOff, outOff, shape: Int32Array, perm: Int32Array)
napi_value Transpose(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 5, true)) return nullptr;
  const int64_t xOff = i64(a, 1), outOff = i64(a, 2);
  napi_typedarray_type t1, t2;
  size_t rank = 0, prank = 0;
  void *sd = nullptr, *pd = nullptr;
  napi_value ab;
  size_t bo = 0;
  if (!a.ok || napi_get_typedarray_info(env, a.argv[3], &t1, &rank, &sd, &ab, &bo) != napi_ok ||
      napi_get_typedarray_info(env, a.argv[4], &t2, &prank, &pd, &ab, &bo) != napi_ok ||
      t1 != napi_int32_array || t2 != napi_int32_array || rank != prank || rank > 16) {
    fail(env, "lara_native.transpose: shape and perm must be Int32Arrays of one rank <= 16");
    return nullptr;
  }
  const int32_t* s32 = static_cast<const int32_t*>(sd);
  const int32_t* p32 = static_cast<const int32_t*>(pd);
  int64_t shape[16];
  int perm[16];
  bool seen[16] = {false};
  int64_t total = 1;
  for (size_t i = 0; i < rank; ++i) {
    shape[i] = s32[i];
    perm[i] = p32[i];
    if (shape[i] < 0 || perm[i] < 0 || perm[i] >= (int)rank || seen[perm[i]]) {
      fail(env, "lara_native.transpose: bad shape or perm");
      return nullptr;
    }
    seen[perm[i]] = true;
    total *= shape[i];
  }
  if (!inHeap(a, xOff, total) || !inHeap(a, outOff, total)) return nullptr;
  lara::transpose(reinterpret_cast<const uint32_t*>(a.heap + xOff),
                  reinterpret_cast<uint32_t*>(a.heap + outOff), (int)rank, shape, perm);
  return undef(env);
}

// Reads an Int32Array argument of at most 16 entries into out; false (thrown) otherwise.
bool smallInts(Args& a, size_t i, int64_t* out, size_t& n) {
  napi_typedarray_type t;
  void* d = nullptr;
  napi_value ab;
  size_t bo = 0;
  if (napi_get_typedarray_info(a.env, a.argv[i], &t, &n, &d, &ab, &bo) != napi_ok ||
      t != napi_int32_array || n > 16) {
    fail(a.env, "lara_native: expected an Int32Array of at most 16 entries");
    return false;
  }
  for (size_t k = 0; k < n; ++k) out[k] = static_cast<const int32_t*>(d)[k];
  return true;
}

// slice(heap, xOff, outOff, shape, begin, size): Int32Arrays of one rank.
napi_value Slice(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 6, true)) return nullptr;
  const int64_t xOff = i64(a, 1), outOff = i64(a, 2);
  int64_t shape[16], begin[16], size[16];
  size_t r1 = 0, r2 = 0, r3 = 0;
  if (!a.ok || !smallInts(a, 3, shape, r1) || !smallInts(a, 4, begin, r2) ||
      !smallInts(a, 5, size, r3))
    return nullptr;
  if (r1 != r2 || r1 != r3) {
    fail(env, "lara_native.slice: shape, begin and size differ in rank");
    return nullptr;
  }
  int64_t total = 1, outTotal = 1;
  for (size_t d = 0; d < r1; ++d) {
    if (begin[d] < 0 || size[d] < 0 || begin[d] + size[d] > shape[d]) {
      fail(env, "lara_native.slice: slice outside the tensor");
      return nullptr;
    }
    total *= shape[d];
    outTotal *= size[d];
  }
  if (!inHeap(a, xOff, total) || !inHeap(a, outOff, outTotal)) return nullptr;
  lara::slice(reinterpret_cast<const uint32_t*>(a.heap + xOff),
              reinterpret_cast<uint32_t*>(a.heap + outOff), (int)r1, shape, begin, size);
  return undef(env);
}

// gather(heap, xOff, idxOff, outOff, outer, dimSize, sliceSize, nIdx) -> boolean (indices valid)
napi_value Gather(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 8, true)) return nullptr;
  const int64_t xOff = i64(a, 1), idxOff = i64(a, 2), outOff = i64(a, 3), outer = i64(a, 4),
                dimSize = i64(a, 5), sliceSize = i64(a, 6), nIdx = i64(a, 7);
  if (!a.ok || outer < 0 || dimSize < 0 || sliceSize < 0 || nIdx < 0) {
    fail(env, "lara_native.gather: bad argument");
    return nullptr;
  }
  if (!inHeap(a, xOff, outer * dimSize * sliceSize) || !inHeap(a, idxOff, nIdx) ||
      !inHeap(a, outOff, outer * nIdx * sliceSize))
    return nullptr;
  const bool ok = lara::gatherRows(reinterpret_cast<const uint32_t*>(a.heap + xOff),
                                   reinterpret_cast<const int32_t*>(a.heap + idxOff),
                                   reinterpret_cast<uint32_t*>(a.heap + outOff), outer, dimSize,
                                   sliceSize, nIdx);
  napi_value v;
  napi_get_boolean(env, ok, &v);
  return v;
}

// binary(heap, op, aOff, bOff, outOff, shape, stridesA, stridesB): Int32Arrays of one rank.
napi_value Binary(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 8, true)) return nullptr;
  const int64_t op = i64(a, 1), aOff = i64(a, 2), bOff = i64(a, 3), outOff = i64(a, 4);
  int64_t shape[16], sa[16], sb[16];
  size_t r1 = 0, r2 = 0, r3 = 0;
  if (!a.ok || !smallInts(a, 5, shape, r1) || !smallInts(a, 6, sa, r2) || !smallInts(a, 7, sb, r3))
    return nullptr;
  if (r1 != r2 || r1 != r3 || op < 0 || op > 5) {
    fail(env, "lara_native.binary: bad op or ranks");
    return nullptr;
  }
  int64_t total = 1, spanA = 1, spanB = 1;
  for (size_t d = 0; d < r1; ++d) {
    if (shape[d] <= 0 || sa[d] < 0 || sb[d] < 0) {
      fail(env, "lara_native.binary: bad shape or strides");
      return nullptr;
    }
    total *= shape[d];
    spanA += (shape[d] - 1) * sa[d];
    spanB += (shape[d] - 1) * sb[d];
  }
  if (!inHeap(a, aOff, spanA) || !inHeap(a, bOff, spanB) || !inHeap(a, outOff, total))
    return nullptr;
  lara::binary((int)op, a.heap + aOff, a.heap + bOff, a.heap + outOff, (int)r1, shape, sa, sb);
  return undef(env);
}

// softmax(heap, xOff, yOff, rows, cols)
napi_value Softmax(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 5, true)) return nullptr;
  const int64_t xOff = i64(a, 1), yOff = i64(a, 2), rows = i64(a, 3), cols = i64(a, 4);
  if (!a.ok || rows < 0 || cols < 0) {
    fail(env, "lara_native.softmax: bad argument");
    return nullptr;
  }
  if (!inHeap(a, xOff, rows * cols) || !inHeap(a, yOff, rows * cols)) return nullptr;
  lara::softmaxRows(a.heap + xOff, a.heap + yOff, rows, cols);
  return undef(env);
}

// setThreads(n): OpenBLAS's thread count.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 1, false)) return nullptr;
  const int64_t n = i64(a, 0);
  if (!a.ok || n < 1) {
    fail(env, "lara_native.setThreads: need an integer >= 1");
    return nullptr;
  }
  lara::openblas_set_num_threads((int)n);
  lara::setLoopThreads((int)n);
  return undef(env);
}

napi_value str(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v);
  return v;
}

// info(): { corename, config, threads }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value o, t;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "corename", str(env, lara::openblas_get_corename()));
  napi_set_named_property(env, o, "config", str(env, lara::openblas_get_config()));
  napi_create_int32(env, lara::openblas_get_num_threads(), &t);
  napi_set_named_property(env, o, "threads", t);
  return o;
}


// Reads `count` integer offsets/sizes starting at argv[first] into out.
bool ints(Args& a, size_t first, size_t count, int64_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = i64(a, first + i);
  return a.ok;
}

// adamw(heap, pOff, gOff (-1: zero gradient), mOff, vOff, n, decay, b1, b2, eps, stepSize, invBc2,
//       c1 = 1 − b1, c2 = 1 − b2)
napi_value AdamW(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 14, true)) return nullptr;
  int64_t o[5];
  if (!ints(a, 1, 5, o)) {
    fail(env, "lara_native.adamw: bad argument");
    return nullptr;
  }
  const int64_t n = o[4];
  const double decay = f64(a, 6), b1 = f64(a, 7), b2 = f64(a, 8), eps = f64(a, 9),
               stepSize = f64(a, 10), invBc2 = f64(a, 11), c1 = f64(a, 12), c2 = f64(a, 13);
  if (!a.ok || !inHeap(a, o[0], n) || (o[1] >= 0 && !inHeap(a, o[1], n)) || !inHeap(a, o[2], n) ||
      !inHeap(a, o[3], n))
    return nullptr;
  lara::adamw(a.heap + o[0], o[1] >= 0 ? a.heap + o[1] : nullptr, a.heap + o[2], a.heap + o[3], n,
              (float)decay, (float)b1, (float)c1, (float)b2, (float)c2, (float)eps, (float)stepSize,
              (float)invBc2);
  return undef(env);
}

// layerNorm(heap, xOff, gOff, bOff, yOff, xhatOff, rstdOff, rows, d, eps)
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 10, true)) return nullptr;
  int64_t o[8];
  if (!ints(a, 1, 8, o) || o[6] < 0 || o[7] < 1) {
    fail(env, "lara_native.layerNorm: bad argument");
    return nullptr;
  }
  const int64_t rows = o[6], d = o[7], n = rows * d;
  const double eps = f64(a, 9);
  if (!a.ok || !inHeap(a, o[0], n) || !inHeap(a, o[1], d) || !inHeap(a, o[2], d) ||
      !inHeap(a, o[3], n) || !inHeap(a, o[4], n) || !inHeap(a, o[5], rows))
    return nullptr;
  lara::layerNormForward(a.heap + o[0], a.heap + o[1], a.heap + o[2], a.heap + o[3], a.heap + o[4],
                         a.heap + o[5], rows, d, (float)eps);
  return undef(env);
}

// layerNormGrad(heap, dyOff, xhatOff, rstdOff, gOff, dxOff, dgOff, dbOff, rows, d)
napi_value LayerNormGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 10, true)) return nullptr;
  int64_t o[9];
  if (!ints(a, 1, 9, o) || o[7] < 0 || o[8] < 1) {
    fail(env, "lara_native.layerNormGrad: bad argument");
    return nullptr;
  }
  const int64_t rows = o[7], d = o[8], n = rows * d;
  if (!inHeap(a, o[0], n) || !inHeap(a, o[1], n) || !inHeap(a, o[2], rows) || !inHeap(a, o[3], d) ||
      !inHeap(a, o[4], n) || !inHeap(a, o[5], d) || !inHeap(a, o[6], d))
    return nullptr;
  lara::layerNormBackward(a.heap + o[0], a.heap + o[1], a.heap + o[2], a.heap + o[3], a.heap + o[4],
                          a.heap + o[5], a.heap + o[6], rows, d);
  return undef(env);
}

// gelu(heap, xOff, yOff, n) / geluGrad(heap, xOff, dyOff, dxOff, n)
napi_value Gelu(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 4, true)) return nullptr;
  int64_t o[3];
  if (!ints(a, 1, 3, o) || !inHeap(a, o[0], o[2]) || !inHeap(a, o[1], o[2])) {
    if (a.ok) return nullptr;
    fail(env, "lara_native.gelu: bad argument");
    return nullptr;
  }
  lara::geluForward(a.heap + o[0], a.heap + o[1], o[2]);
  return undef(env);
}

napi_value GeluGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 5, true)) return nullptr;
  int64_t o[4];
  if (!ints(a, 1, 4, o)) {
    fail(env, "lara_native.geluGrad: bad argument");
    return nullptr;
  }
  if (!inHeap(a, o[0], o[3]) || !inHeap(a, o[1], o[3]) || !inHeap(a, o[2], o[3])) return nullptr;
  lara::geluBackward(a.heap + o[0], a.heap + o[1], a.heap + o[2], o[3]);
  return undef(env);
}

// xent(heap, xOff, labelsOff, wOff (-1: none), probOff, scaleOff, rows, cols) -> loss
napi_value Xent(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 8, true)) return nullptr;
  int64_t o[7];
  if (!ints(a, 1, 7, o) || o[5] < 0 || o[6] < 1) {
    fail(env, "lara_native.xent: bad argument");
    return nullptr;
  }
  const int64_t rows = o[5], cols = o[6];
  if (!inHeap(a, o[0], rows * cols) || !inHeap(a, o[1], rows) || (o[2] >= 0 && !inHeap(a, o[2], rows)) ||
      !inHeap(a, o[3], rows * cols) || !inHeap(a, o[4], rows))
    return nullptr;
  const float loss = lara::softmaxXentForward(
      a.heap + o[0], reinterpret_cast<const int32_t*>(a.heap + o[1]), o[2] >= 0 ? a.heap + o[2] : nullptr,
      a.heap + o[3], a.heap + o[4], rows, cols);
  napi_value v;
  napi_create_double(env, loss, &v);
  return v;
}

// xentGrad(heap, probOff, labelsOff, scaleOff, dy, dxOff, rows, cols)
napi_value XentGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 8, true)) return nullptr;
  const int64_t pOff = i64(a, 1), lOff = i64(a, 2), sOff = i64(a, 3);
  const double dy = f64(a, 4);
  const int64_t dxOff = i64(a, 5), rows = i64(a, 6), cols = i64(a, 7);
  if (!a.ok || rows < 0 || cols < 1) {
    fail(env, "lara_native.xentGrad: bad argument");
    return nullptr;
  }
  if (!inHeap(a, pOff, rows * cols) || !inHeap(a, lOff, rows) || !inHeap(a, sOff, rows) ||
      !inHeap(a, dxOff, rows * cols))
    return nullptr;
  lara::softmaxXentBackward(a.heap + pOff, reinterpret_cast<const int32_t*>(a.heap + lOff),
                            a.heap + sOff, (float)dy, a.heap + dxOff, rows, cols);
  return undef(env);
}


// attention(heap, qkvOff, outOff, probsOff, P, Q, R, H, dh, causal, scale)
napi_value Attention(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 11, true)) return nullptr;
  int64_t o[9];
  if (!ints(a, 1, 9, o) || o[3] < 0 || o[4] < 1 || o[5] < 0 || o[6] < 1 || o[7] < 1) {
    fail(env, "lara_native.attention: bad argument");
    return nullptr;
  }
  const int64_t P = o[3], Q = o[4], R = o[5], H = o[6], dh = o[7], rows = P * Q * R, D = H * dh;
  const double scale = f64(a, 10);
  if (!a.ok || !inHeap(a, o[0], rows * 3 * D) || !inHeap(a, o[1], rows * D) ||
      !inHeap(a, o[2], P * R * H * Q * Q))
    return nullptr;
  lara::attentionForward(a.heap + o[0], a.heap + o[1], a.heap + o[2], P, Q, R, H, dh, o[8] != 0,
                         (float)scale);
  return undef(env);
}

// attentionGrad(heap, doutOff, qkvOff, probsOff, dqkvOff, P, Q, R, H, dh, causal, scale)
napi_value AttentionGrad(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 12, true)) return nullptr;
  int64_t o[10];
  if (!ints(a, 1, 10, o) || o[4] < 0 || o[5] < 1 || o[6] < 0 || o[7] < 1 || o[8] < 1) {
    fail(env, "lara_native.attentionGrad: bad argument");
    return nullptr;
  }
  const int64_t P = o[4], Q = o[5], R = o[6], H = o[7], dh = o[8], rows = P * Q * R, D = H * dh;
  const double scale = f64(a, 11);
  if (!a.ok || !inHeap(a, o[0], rows * D) || !inHeap(a, o[1], rows * 3 * D) ||
      !inHeap(a, o[2], P * R * H * Q * Q) || !inHeap(a, o[3], rows * 3 * D))
    return nullptr;
  lara::attentionBackward(a.heap + o[0], a.heap + o[1], a.heap + o[2], a.heap + o[3], P, Q, R, H, dh,
                          o[9] != 0, (float)scale);
  return undef(env);
}

}  // namespace

NAPI_MODULE_INIT() {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"gemm", Gemm},       {"biasAct", BiasAct},       {"unary", Unary},
             {"reduce", Reduce},   {"softmax", Softmax},
             {"transpose", Transpose},   {"slice", Slice},
             {"gather", Gather},         {"binary", Binary},       {"setThreads", SetThreads},
             {"info", Info},
             {"adamw", AdamW},     {"layerNorm", LayerNorm}, {"layerNormGrad", LayerNormGrad},
             {"gelu", Gelu},       {"geluGrad", GeluGrad},   {"xent", Xent},
             {"xentGrad", XentGrad}, {"attention", Attention},
             {"attentionGrad", AttentionGrad}};
  for (const auto& f : fns) {
    napi_value v;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &v);
    napi_set_named_property(env, exports, f.name, v);
  }
  return exports;
}
