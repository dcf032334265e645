/**
 * Kernel functions for the wasm backend that run in lara's native addon. Each reads its
 * operands where the wasm backend keeps them (its heap, via dataIdMap's memoryOffset) and
 * writes into an output the backend allocated (backend.makeOutput), so nothing is copied.
 * A kernel handed something it does not claim (another dtype, prelu activation, an odd
 * bias shape) calls the stock wasm kernel it replaced.
 */
import { tf } from './tf.ts';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NativeAddon } from './native-addon.ts';
import {
  broadcastPlan, collapseTranspose, flatIndex, isSuffix, matMulShape, reductionGroups, sameAsOuter,
} from './native-plans.ts';

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelFunc;
type Attrs = Record<string, unknown>;
interface Args { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm; attrs?: Attrs }

/** The whole wasm memory as floats; re-read after every allocation (memory growth moves it). */
function heapF32(backend: BackendWasm): Float32Array {
  return (backend.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;
}

/** Where a tensor's data starts in the heap, in floats. */
function offsetOf(backend: BackendWasm, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error(`lara native: tensor ${String(t.dataId)} is not on the wasm backend`);
  return data.memoryOffset / 4;
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** A kernel that runs natively, or returns null to hand the call to the stock kernel. */
export type NativeKernel = (addon: NativeAddon, args: Args) => TensorInfo | TensorInfo[] | null;

/**
 * op(a)·op(b) over broadcast batch dims into a fresh output. a: [...batchA, M, K] (or
 * [..., K, M] transposed), b: [...batchB, K, N] (or [..., N, K]); out: [...batch, M, N].
 */
function matMul(addon: NativeAddon, backend: BackendWasm, a: TensorInfo, b: TensorInfo,
  transA: boolean, transB: boolean): TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const K = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const M = transA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const N = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (K !== kb) {
    throw new Error(`Error in matMul: inner shapes (${K}) and (${kb}) of Tensors with shapes ` +
      `${a.shape} and ${b.shape} and transposeA=${transA} and transposeB=${transB} must match.`);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const out = backend.makeOutput([...outer, M, N], 'float32');
  const batch = size(outer);
  if (batch === 0 || M === 0 || N === 0) return out;
  const heap = heapF32(backend);
  const aOff = offsetOf(backend, a);
  const bOff = offsetOf(backend, b);
  const cOff = offsetOf(backend, out);
  const tA = transA ? 1 : 0;
  const tB = transB ? 1 : 0;
  // Each side either has the full batch (stride one matrix), or one matrix for all (stride 0).
  const fullA = sameAsOuter(outerA, outer);
  const fullB = sameAsOuter(outerB, outer);
  const simpleA = fullA || size(outerA) === 1;
  const simpleB = fullB || size(outerB) === 1;
  if (simpleA && simpleB) {
    addon.gemm(heap, aOff, bOff, cOff, batch, M, N, K, tA, tB, fullA ? M * K : 0, fullB ? K * N : 0);
    return out;
  }
  // General broadcast ([2,1] against [1,3]): one product per output batch.
  const rank = outer.length;
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < batch; i++) {
    addon.gemm(heap, aOff + M * K * flatIndex(idx, outerA), bOff + K * N * flatIndex(idx, outerB),
      cOff + M * N * i, 1, M, N, K, tA, tB, 0, 0);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < outer[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

const batchMatMul: NativeKernel = (addon, { inputs, backend, attrs }) => {
  const { a, b } = inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  return matMul(addon, backend, a, b, attrs?.transposeA === true, attrs?.transposeB === true);
};

const activationCodes: Record<string, number> = {
  linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5, prelu: 6,
};

const fusedMatMul: NativeKernel = (addon, { inputs, backend, attrs }) => {
  const { a, b, bias, preluActivationWeights: prelu } = inputs;
  const activation = String(attrs?.activation ?? 'linear');
  const code = activationCodes[activation];
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || code === undefined) return null;
  const transA = attrs?.transposeA === true;
  const transB = attrs?.transposeB === true;
  const outShape = matMulShape(a.shape, b.shape, transA, transB);
  if (bias && (bias.dtype !== 'float32' || !isSuffix(bias.shape, outShape))) return null;
  if (code === 6 && (!prelu || prelu.dtype !== 'float32' || !isSuffix(prelu.shape, outShape))) return null;
  const out = matMul(addon, backend, a, b, transA, transB);
  const n = out.shape[out.shape.length - 1]!;
  const rows = n === 0 ? 0 : size(out.shape) / n;
  if (rows === 0 || (code === 0 && !bias)) return out;
  const alpha = typeof attrs?.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2;
  addon.biasAct(heapF32(backend), offsetOf(backend, out), rows, n,
    bias ? offsetOf(backend, bias) : -1, bias ? size(bias.shape) : 0, code, alpha,
    code === 6 && prelu ? offsetOf(backend, prelu) : -1, code === 6 && prelu ? size(prelu.shape) : 0);
  return out;
};

/** Unary op codes of the addon (native/src/unary.cc). */
export const unaryCodes = { Exp: 0, Tanh: 1, Sigmoid: 2, Log: 3, Sqrt: 4, Rsqrt: 5, Square: 6, Neg: 7, Relu: 8 } as const;

function unaryKernel(op: number): NativeKernel {
  return (addon, { inputs, backend }) => {
    const x = inputs.x;
    if (!x || x.dtype !== 'float32') return null;
    const out = backend.makeOutput(x.shape, 'float32');
    const n = size(x.shape);
    if (n > 0) addon.unary(heapF32(backend), op, offsetOf(backend, x), offsetOf(backend, out), n);
    return out;
  };
}

function reduceKernel(kind: 0 | 1 | 2, axisAttr: 'axis' | 'reductionIndices'): NativeKernel {
  return (addon, { inputs, backend, attrs }) => {
    const x = inputs.x;
    if (!x || x.dtype !== 'float32' || size(x.shape) === 0) return null;
    const axes = tf.util.parseAxisParam(attrs?.[axisAttr] as number | number[], x.shape);
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = attrs?.keepDims === true ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const { sizes, mask } = reductionGroups(x.shape, axes);
    if (sizes.length > 30) return null;
    const out = backend.makeOutput(shape, 'float32');
    addon.reduce(heapF32(backend), kind, offsetOf(backend, x), offsetOf(backend, out), sizes, mask);
    return out;
  };
}

const softmax: NativeKernel = (addon, { inputs, backend, attrs }) => {
  const logits = inputs.logits;
  if (!logits || logits.dtype !== 'float32') return null;
  const rank = logits.shape.length;
  const dim = typeof attrs?.dim === 'number' ? attrs.dim : -1;
  if (rank === 0 || (dim !== -1 && dim !== rank - 1)) return null;
  const cols = logits.shape[rank - 1]!;
  const out = backend.makeOutput(logits.shape, 'float32');
  if (cols === 0) return out;
  addon.softmax(heapF32(backend), offsetOf(backend, logits), offsetOf(backend, out),
    size(logits.shape) / cols, cols);
  return out;
};

/** Shares the input's data (reference count) instead of copying, as Reshape does. */
function shareAs(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

const transpose: NativeKernel = (addon, { inputs, backend, attrs }) => {
  const x = inputs.x;
  if (!x || (x.dtype !== 'float32' && x.dtype !== 'int32')) return null;
  const perm = (attrs?.perm as number[] | undefined) ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const outShape = perm.map((a) => x.shape[a]!);
  const c = collapseTranspose(x.shape, perm);
  if (c.perm.every((a, i) => a === i)) return shareAs(backend, x, outShape);
  const out = backend.makeOutput(outShape, x.dtype);
  addon.transpose(heapF32(backend), offsetOf(backend, x), offsetOf(backend, out), Int32Array.from(c.shape), Int32Array.from(c.perm));
  return out;
};

/** Identity without a copy: tensors are immutable, so sharing the data is safe. */
const identity: NativeKernel = (_addon, { inputs, backend }) => {
  const x = inputs.x;
  if (!x || x.dtype === 'string') return null;
  return shareAs(backend, x, [...x.shape]);
};

/** 4-byte dtypes, which the addon's copy kernels move bit for bit. */
const word = (t: TensorInfo): boolean => t.dtype === 'float32' || t.dtype === 'int32';

/** x[begin : begin + size] into a fresh output (begin/size already resolved). */
function sliceInto(addon: NativeAddon, backend: BackendWasm, x: TensorInfo, begin: number[], sz: number[]): TensorInfo {
  const out = backend.makeOutput(sz, x.dtype);
  if (size(sz) > 0) {
    addon.slice(heapF32(backend), offsetOf(backend, x), offsetOf(backend, out), Int32Array.from(x.shape),
      Int32Array.from(begin), Int32Array.from(sz));
  }
  return out;
}

const sliceKernel: NativeKernel = (addon, { inputs, backend, attrs }) => {
  const x = inputs.x;
  if (!x || !word(x) || x.shape.length > 16) return null;
  const [begin, sz] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs?.begin as number[], attrs?.size as number[]);
  if (!begin || !sz) return null;
  return sliceInto(addon, backend, x, begin, sz);
};

/** SplitV: the stock kernel slices by reading the whole input out of the heap per piece. */
const splitV = ((addon: NativeAddon, { inputs, backend, attrs }: Args): TensorInfo[] | null => {
  const x = inputs.x;
  if (!x || !word(x) || x.shape.length > 16) return null;
  const axis = tf.util.parseAxisParam(attrs?.axis as number, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs?.numOrSizeSplits as number[] | number, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const sz = [...x.shape];
    sz[axis] = s;
    const piece = sliceInto(addon, backend, x, [...begin], sz);
    begin[axis]! += s;
    return piece;
  });
}) as unknown as NativeKernel;

const gatherV2: NativeKernel = (addon, { inputs, backend, attrs }) => {
  const { x, indices } = inputs;
  if (!x || !indices || !word(x) || indices.dtype !== 'int32' || (attrs?.batchDims ?? 0) !== 0) return null;
  const axis = tf.util.parseAxisParam(attrs?.axis as number, x.shape)[0]!;
  const outer = size(x.shape.slice(0, axis));
  const dimSize = x.shape[axis]!;
  const sliceSize = size(x.shape.slice(axis + 1));
  const nIdx = size(indices.shape);
  const out = backend.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
  if (outer * nIdx * sliceSize === 0) return out;
  const ok = addon.gather(heapF32(backend), offsetOf(backend, x), offsetOf(backend, indices), offsetOf(backend, out),
    outer, dimSize, sliceSize, nIdx);
  if (ok) return out;
  backend.disposeData(out.dataId); // an index out of range: the stock kernel throws its message
  return null;
};

function binaryKernel(op: number): NativeKernel {
  return (addon, { inputs, backend }) => {
    const { a, b } = inputs;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const plan = broadcastPlan(a.shape, b.shape);
    if (plan.shape.length > 16) return null;
    const out = backend.makeOutput(plan.outShape, 'float32');
    if (size(plan.outShape) === 0) return out;
    addon.binary(heapF32(backend), op, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out),
      Int32Array.from(plan.shape), Int32Array.from(plan.sa), Int32Array.from(plan.sb));
    return out;
  };
}

/** Every kernel lara can run natively, by tfjs kernel name. */
export const nativeKernels: Record<string, NativeKernel> = {
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Sum: reduceKernel(0, 'axis'),
  Max: reduceKernel(1, 'reductionIndices'),
  Softmax: softmax,
  Mean: reduceKernel(2, 'axis'),
  Exp: unaryKernel(unaryCodes.Exp),
  Tanh: unaryKernel(unaryCodes.Tanh),
  Sigmoid: unaryKernel(unaryCodes.Sigmoid),
  Log: unaryKernel(unaryCodes.Log),
  Sqrt: unaryKernel(unaryCodes.Sqrt),
  Rsqrt: unaryKernel(unaryCodes.Rsqrt),
  Square: unaryKernel(unaryCodes.Square),
  Neg: unaryKernel(unaryCodes.Neg),
  Relu: unaryKernel(unaryCodes.Relu),
  Add: binaryKernel(0),
  Sub: binaryKernel(1),
  Multiply: binaryKernel(2),
  RealDiv: binaryKernel(3),
  Maximum: binaryKernel(4),
  SquaredDifference: binaryKernel(5),
  Transpose: transpose,
  Identity: identity,
  Slice: sliceKernel,
  SplitV: splitV,
  GatherV2: gatherV2,
};

/** Wraps a native kernel so that anything it declines goes to the stock kernel. */
export function withFallback(addon: NativeAddon, kernel: NativeKernel, stock: KernelFunc): KernelFunc {
  return ((args: Args) => kernel(addon, args) ?? stock(args as unknown as Parameters<KernelFunc>[0])) as unknown as KernelFunc;
}
