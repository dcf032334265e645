/**
 * Fused training kernels of lara's native addon (native/src/fused.cc), registered on the wasm
 * backend as lara's own kernel names while the accelerator is active, and a direct AdamW update
 * on the variables' heap memory. src/nn uses them when `fusedActive()` says so and its stock
 * tfjs ops otherwise (same results to float rounding).
 *
 * | kernel | inputs → outputs |
 * |---|---|
 * | LaraLayerNorm {eps} | x [N, D], g [D], b [D] → y [N, D], xhat [N, D], rstd [N] |
 * | LaraLayerNormGrad | dy, xhat, rstd, g → dx [N, D], dg [D], db [D] |
 * | LaraGelu / LaraGeluGrad | x → y; x, dy → dx |
 * | LaraXent | logits [N, V], labels int32 [N], (weights [N]) → loss [], prob [N, V], scale [N] |
 * | LaraXentGrad | prob, labels, scale, dy [] → dx [N, V] |
 * | LaraAttention {p, q, r, heads, causal, scale} | qkv [P·Q·R, 3D] → out [P·Q·R, D], probs [P·R·H, Q, Q] |
 * | LaraAttentionGrad {same} | dy [P·Q·R, D], qkv, probs → dqkv [P·Q·R, 3D] |
 */
import { tf } from './tf.ts';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NativeAddon } from './native-addon.ts';

type TensorInfo = tf.TensorInfo;
type Attrs = Record<string, unknown>;
interface Args { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm; attrs?: Attrs }

export interface FusedAddon extends NativeAddon {
  adamw(heap: Float32Array, pOff: number, gOff: number, mOff: number, vOff: number, n: number, decay: number,
    b1: number, b2: number, eps: number, stepSize: number, invBc2: number, c1: number, c2: number): void;
  layerNorm(heap: Float32Array, xOff: number, gOff: number, bOff: number, yOff: number, xhatOff: number,
    rstdOff: number, rows: number, d: number, eps: number): void;
  layerNormGrad(heap: Float32Array, dyOff: number, xhatOff: number, rstdOff: number, gOff: number, dxOff: number,
    dgOff: number, dbOff: number, rows: number, d: number): void;
  gelu(heap: Float32Array, xOff: number, yOff: number, n: number): void;
  geluGrad(heap: Float32Array, xOff: number, dyOff: number, dxOff: number, n: number): void;
  xent(heap: Float32Array, xOff: number, labelsOff: number, wOff: number, probOff: number, scaleOff: number,
    rows: number, cols: number): number;
  xentGrad(heap: Float32Array, probOff: number, labelsOff: number, scaleOff: number, dy: number, dxOff: number,
    rows: number, cols: number): void;
  attention(heap: Float32Array, qkvOff: number, outOff: number, probsOff: number, p: number, q: number, r: number,
    h: number, dh: number, causal: number, scale: number): void;
  attentionGrad(heap: Float32Array, dyOff: number, qkvOff: number, probsOff: number, dqkvOff: number, p: number,
    q: number, r: number, h: number, dh: number, causal: number, scale: number): void;
}

const heapF32 = (backend: BackendWasm): Float32Array => (backend.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;
const off = (backend: BackendWasm, t: TensorInfo): number => backend.dataIdMap.get(t.dataId)!.memoryOffset / 4;
const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const f32 = (...ts: Array<TensorInfo | undefined>): boolean => ts.every((t) => t !== undefined && t.dtype === 'float32');

function layerNormKernel(addon: FusedAddon, { inputs, backend, attrs }: Args): TensorInfo[] {
  const { x, g, b } = inputs;
  if (!x || !g || !b || !f32(x, g, b) || x.shape.length !== 2) throw new Error('LaraLayerNorm: float32 x [N, D], g [D], b [D]');
  const [rows, d] = x.shape as [number, number];
  const y = backend.makeOutput([rows, d], 'float32');
  const xhat = backend.makeOutput([rows, d], 'float32');
  const rstd = backend.makeOutput([rows], 'float32');
  if (rows > 0) {
    addon.layerNorm(heapF32(backend), off(backend, x), off(backend, g), off(backend, b), off(backend, y),
      off(backend, xhat), off(backend, rstd), rows, d, Number(attrs?.eps ?? 1e-5));
  }
  return [y, xhat, rstd];
}

function layerNormGradKernel(addon: FusedAddon, { inputs, backend }: Args): TensorInfo[] {
  const { dy, xhat, rstd, g } = inputs;
  if (!dy || !xhat || !rstd || !g || !f32(dy, xhat, rstd, g)) throw new Error('LaraLayerNormGrad: float32 inputs');
  const [rows, d] = xhat.shape as [number, number];
  const dx = backend.makeOutput([rows, d], 'float32');
  const dg = backend.makeOutput([d], 'float32');
  const db = backend.makeOutput([d], 'float32');
  addon.layerNormGrad(heapF32(backend), off(backend, dy), off(backend, xhat), off(backend, rstd), off(backend, g),
    off(backend, dx), off(backend, dg), off(backend, db), rows, d);
  return [dx, dg, db];
}

function geluKernel(addon: FusedAddon, { inputs, backend }: Args): TensorInfo {
  const x = inputs.x;
  if (!x || !f32(x)) throw new Error('LaraGelu: float32 x');
  const y = backend.makeOutput([...x.shape], 'float32');
  const n = size(x.shape);
  if (n > 0) addon.gelu(heapF32(backend), off(backend, x), off(backend, y), n);
  return y;
}

function geluGradKernel(addon: FusedAddon, { inputs, backend }: Args): TensorInfo {
  const { x, dy } = inputs;
  if (!x || !dy || !f32(x, dy)) throw new Error('LaraGeluGrad: float32 x, dy');
  const dx = backend.makeOutput([...x.shape], 'float32');
  const n = size(x.shape);
  if (n > 0) addon.geluGrad(heapF32(backend), off(backend, x), off(backend, dy), off(backend, dx), n);
  return dx;
}

function xentKernel(addon: FusedAddon, { inputs, backend }: Args): TensorInfo[] {
  const { logits, labels, weights } = inputs;
  if (!logits || !labels || !f32(logits) || labels.dtype !== 'int32' || (weights && !f32(weights))) {
    throw new Error('LaraXent: float32 logits, int32 labels');
  }
  const [rows, cols] = logits.shape as [number, number];
  const loss = backend.makeOutput([], 'float32');
  const prob = backend.makeOutput([rows, cols], 'float32');
  const scale = backend.makeOutput([rows], 'float32');
  const heap = heapF32(backend);
  heap[off(backend, loss)] = addon.xent(heap, off(backend, logits), off(backend, labels),
    weights ? off(backend, weights) : -1, off(backend, prob), off(backend, scale), rows, cols);
  return [loss, prob, scale];
}

function xentGradKernel(addon: FusedAddon, { inputs, backend }: Args): TensorInfo {
  const { prob, labels, scale, dy } = inputs;
  if (!prob || !labels || !scale || !dy) throw new Error('LaraXentGrad: missing input');
  const [rows, cols] = prob.shape as [number, number];
  const dx = backend.makeOutput([rows, cols], 'float32');
  const heap = heapF32(backend);
  addon.xentGrad(heap, off(backend, prob), off(backend, labels), off(backend, scale), heap[off(backend, dy)]!,
    off(backend, dx), rows, cols);
  return dx;
}

/** Attention dimensions from a kernel's attrs (see the table above). */
function attnDims(qkv: TensorInfo, attrs: Attrs | undefined): { p: number; q: number; r: number; h: number; dh: number; causal: number; scale: number } {
  const [p, q, r, h] = ['p', 'q', 'r', 'heads'].map((k) => Number(attrs?.[k])) as [number, number, number, number];
  const rows = qkv.shape[0]!;
  const d3 = qkv.shape[1]!;
  if (qkv.shape.length !== 2 || rows !== p * q * r || d3 % (3 * h) !== 0) {
    throw new Error(`LaraAttention: qkv [${qkv.shape}] does not fit p=${p} q=${q} r=${r} heads=${h}`);
  }
  return { p, q, r, h, dh: d3 / 3 / h, causal: attrs?.causal ? 1 : 0, scale: Number(attrs?.scale) };
}

function attentionKernel(addon: FusedAddon, { inputs, backend, attrs }: Args): TensorInfo[] {
  const qkv = inputs.qkv;
  if (!qkv || !f32(qkv)) throw new Error('LaraAttention: float32 qkv');
  const d = attnDims(qkv, attrs);
  const out = backend.makeOutput([qkv.shape[0]!, d.h * d.dh], 'float32');
  const probs = backend.makeOutput([d.p * d.r * d.h, d.q, d.q], 'float32');
  if (qkv.shape[0]! > 0) {
    addon.attention(heapF32(backend), off(backend, qkv), off(backend, out), off(backend, probs), d.p, d.q, d.r, d.h, d.dh, d.causal, d.scale);
  }
  return [out, probs];
}

function attentionGradKernel(addon: FusedAddon, { inputs, backend, attrs }: Args): TensorInfo {
  const { dy, qkv, probs } = inputs;
  if (!dy || !qkv || !probs || !f32(dy, qkv, probs)) throw new Error('LaraAttentionGrad: float32 dy, qkv, probs');
  const d = attnDims(qkv, attrs);
  const dqkv = backend.makeOutput([...qkv.shape], 'float32');
  if (qkv.shape[0]! > 0) {
    addon.attentionGrad(heapF32(backend), off(backend, dy), off(backend, qkv), off(backend, probs), off(backend, dqkv),
      d.p, d.q, d.r, d.h, d.dh, d.causal, d.scale);
  }
  return dqkv;
}

/** lara's fused kernels by name (registered on wasm by loadNative, removed by unloadNative). */
export const fusedKernels: Record<string, (addon: FusedAddon, args: Args) => TensorInfo | TensorInfo[]> = {
  LaraLayerNorm: layerNormKernel,
  LaraLayerNormGrad: layerNormGradKernel,
  LaraGelu: geluKernel,
  LaraGeluGrad: geluGradKernel,
  LaraXent: xentKernel,
  LaraXentGrad: xentGradKernel,
  LaraAttention: attentionKernel,
  LaraAttentionGrad: attentionGradKernel,
};

/**
 * One AdamW step for one parameter, in place on the wasm heap: p (a Variable), g (its
 * gradient, or null for zero), and m, v (float offsets into flat moment Variables of which this
 * parameter owns [start, start + n)). When p's data is shared (a snapshot, a reshape) it is
 * copied first and the copy assigned, so nothing else sees the update.
 */
export function adamwInPlace(addon: FusedAddon, p: tf.Variable, g: tf.Tensor | null, m: tf.Variable, v: tf.Variable,
  start: number, h: { decay: number; b1: number; b2: number; eps: number; stepSize: number; invBc2: number }): void {
  const backend = tf.backend() as BackendWasm;
  const n = p.size;
  let target: TensorInfo = p;
  let fresh: TensorInfo | null = null;
  if (backend.refCount(p.dataId) > 1) {
    fresh = backend.makeOutput([...p.shape], 'float32');
    const heap = heapF32(backend);
    const src = off(backend, p);
    heap.copyWithin(off(backend, fresh), src, src + n);
    target = fresh;
  }
  addon.adamw(heapF32(backend), off(backend, target), g ? off(backend, g) : -1, off(backend, m) + start,
    off(backend, v) + start, n, h.decay, h.b1, h.b2, h.eps, h.stepSize, h.invBc2, 1 - h.b1, 1 - h.b2);
  if (fresh) {
    const t = tf.engine().makeTensorFromTensorInfo(fresh);
    p.assign(t);
    t.dispose();
  }
}
