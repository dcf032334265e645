// Plain C++ kernels over float buffers; addon.cc wraps them for JavaScript.
// Every pointer points into the wasm backend's heap (no copies).
#pragma once
#include <cstdint>
#include <functional>

namespace lara {

// OpenBLAS entry points, declared here so that whichever cblas.h the system's
// alternatives pick does not matter: we link -lopenblas explicitly.
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
char* openblas_get_config(void);
}

// C[b] = op(A[b]) · op(B[b]) for b in [0, batch): row-major, op = transpose when trans*.
// A[b] starts at a + b*strideA (strideA 0 broadcasts A), likewise B; C[b] at c + b*M*N.
void batchedGemm(const float* a, const float* b, float* c, int batch, int M, int N, int K,
                 bool transA, bool transB, int64_t strideA, int64_t strideB);

// out[i] += bias[i % biasSize] (i = m * N + n over all matrices); then the activation in place.
// activation: 0 linear, 1 relu, 2 relu6, 3 leakyrelu(alpha), 4 sigmoid, 5 elu,
// 6 prelu (slope preluW[i % preluSize]).
void biasActivation(float* c, int64_t rows, int N, const float* bias, int64_t biasSize,
                    int activation, float alpha, const float* preluW, int64_t preluSize);

// Elementwise y = f(x) over n floats. op: 0 exp, 1 tanh, 2 sigmoid, 3 log, 4 sqrt,
// 5 rsqrt, 6 square, 7 neg, 8 relu.
void unary(int op, const float* x, float* y, int64_t n);

// Sum over the reduced groups of a row-major tensor whose axes were merged into
// `ngroups` groups of sizes `sizes`, alternating kept/reduced (reduced[g] says which).
// out holds the product of the kept sizes, in order.
void sumGroups(const float* x, float* out, int ngroups, const int64_t* sizes, const uint8_t* reduced);

// Max over the same kind of groups (used for softmax's numerically stable shift).
void maxGroups(const float* x, float* out, int ngroups, const int64_t* sizes, const uint8_t* reduced);

// Transposes a row-major tensor of 4-byte elements: out axis i is x axis perm[i].
void transpose(const uint32_t* x, uint32_t* out, int rank, const int64_t* shape, const int* perm);

// out = x[begin : begin + size] of a row-major tensor of 4-byte elements.
void slice(const uint32_t* x, uint32_t* out, int rank, const int64_t* shape, const int64_t* begin,
           const int64_t* size);

// x viewed as [outer, dimSize, sliceSize]: out[o, i] = x[o, indices[i]] (rows of sliceSize).
// Returns false, writing nothing, when an index is outside [0, dimSize).
bool gatherRows(const uint32_t* x, const int32_t* indices, uint32_t* out, int64_t outer,
                int64_t dimSize, int64_t sliceSize, int64_t nIdx);

// out = a (op) b over `shape` (the output's, axes merged), with per-operand strides (0 where
// broadcast). op: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 squared difference.
void binary(int op, const float* a, const float* b, float* out, int rank, const int64_t* shape,
            const int64_t* sa, const int64_t* sb);

// Softmax over the last axis: rows × cols.
void softmaxRows(const float* x, float* y, int64_t rows, int64_t cols);

}  // namespace lara

namespace lara {

// AdamW in place (PyTorch's order): m = b1·m + c1·g; v = b2·v + c2·g² (c = 1 − b, rounded
// from double by the caller); p −= p·decay; p −= stepSize · m / (√v·invBc2 + eps).
// g null: a zero gradient.
void adamw(float* p, const float* g, float* m, float* v, int64_t n, float decay, float b1,
           float c1, float b2, float c2, float eps, float stepSize, float invBc2);

// LayerNorm over rows of d: y = xhat·g + b, xhat = (x − mean)·rstd; saves xhat [rows, d], rstd [rows].
void layerNormForward(const float* x, const float* g, const float* b, float* y, float* xhat,
                      float* rstd, int64_t rows, int64_t d, float eps);
// Its gradient: dx [rows, d], dg [d], db [d].
void layerNormBackward(const float* dy, const float* xhat, const float* rstd, const float* g,
                       float* dx, float* dg, float* db, int64_t rows, int64_t d);

// tanh-GELU as x·σ(2u), u = √(2/π)(x + 0.044715x³); backward from x.
void geluForward(const float* x, float* y, int64_t n);
void geluBackward(const float* x, const float* dy, float* dx, int64_t n);

// Softmax cross-entropy over rows: returns the (weighted) mean nll; writes prob (softmax) and
// scale[r] (d loss / d nll_r). w null: unweighted. Backward: dx = (prob − onehot)·scale·dy.
float softmaxXentForward(const float* x, const int32_t* labels, const float* w, float* prob,
                         float* scale, int64_t rows, int64_t cols);
void softmaxXentBackward(const float* prob, const int32_t* labels, const float* scale, float dy,
                         float* dx, int64_t rows, int64_t cols);

}  // namespace lara

namespace lara {

// Multi-head self-attention over Q of x [P, Q, R, D] (D = H·dh) from qkv [P·Q·R, 3D]
// (row layout (q|k|v, head, dh)) into out [P·Q·R, D] (row layout (head, dh)); probs
// [P·R·H, Q, Q] saved (zeros above the diagonal when causal). Scores are (scale·q)·k.
void attentionForward(const float* qkv, float* out, float* probs, int64_t P, int64_t Q, int64_t R,
                      int64_t H, int64_t dh, bool causal, float scale);
// dqkv [P·Q·R, 3D] from dout [P·Q·R, D], qkv and probs.
void attentionBackward(const float* dout, const float* qkv, const float* probs, float* dqkv,
                       int64_t P, int64_t Q, int64_t R, int64_t H, int64_t dh, bool causal,
                       float scale);

}  // namespace lara

namespace lara {

// Threads lara's own parallel loops use (set with OpenBLAS's by setThreads; default 1).
void setLoopThreads(int n);
// Runs fn(begin, end) over [0, n) split into contiguous chunks on up to setLoopThreads()
// threads (the calling thread takes the first chunk); serial when n < 2·minChunk.
void parallelFor(int64_t n, int64_t minChunk, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace lara
