/**
 * Kernel replacements for tfjs-backend-wasm 4.22 that change no results, only cost:
 *
 * - Identity: the stock kernel copies the buffer. tfjs calls it (via engine.clone) for every
 *   tensor saved for the backward pass (~90 copies per toy training step). Tensors are
 *   immutable (Variable.assign swaps the buffer, never writes in place), so sharing the buffer
 *   with a reference count is safe — what the wasm Reshape kernel and the cpu backend's
 *   Identity already do.
 * - Slice and SplitV: the stock Slice first copies the WHOLE input out of the wasm heap
 *   (readSync) for every slice, so splitting a vector into k parts costs k full copies (30 ms
 *   for the optimizer's 25-way split of 531k floats). These read through a heap view instead.
 *
 * - Transpose: the stock kernel is cache-hostile on large matrices (17 ms CPU for 1024², 5.4 ms
 *   for 1024×512). Permutations that reduce (after dropping size-1 axes and merging axes that
 *   stay together) to a (batched) matrix transpose [P, A, B] → [P, B, A] of at least 2^18
 *   elements run as a 16×16-tiled copy in JS (6.7 and 2.8 ms); smaller ones and transposes of
 *   row chunks ([P, A, B, C] → [P, B, A, C], C > 1), where the stock kernel measured faster,
 *   stay on the stock kernel.
 * - GatherV2 along axis 0 (batchDims 0): row copies instead of the stock per-element loop
 *   (3.8 ms → well under 1 ms for the toy step's 1024×128 embedding lookup).
 *
 * A heap view is taken only after the output is allocated (allocation may grow the wasm memory
 * and detach earlier views).
 */
import { tf } from './tf.ts';

interface WasmData {
  memoryOffset: number | null;
}

interface WasmBackendLike {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(dataId: object): WasmData | undefined };
}

type KernelFn = tf.KernelConfig['kernelFunc'];

let applied: string[] | undefined;

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Copy x[begin : begin+size] (any rank) into a new output, reading x through a heap view. */
function sliceInto(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const n = size.reduce((a, b) => a * b, 1);
  if (n === 0) return out;
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const xs = stridesOf(x.shape);
  // merge trailing axes that are taken whole into one contiguous run
  let inner = rank - 1;
  let run = size[inner] ?? 1;
  while (inner > 0 && size[inner] === x.shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner]!;
  }
  if (rank === 0) {
    ov[0] = xv[0]!;
    return out;
  }
  // iterate over the outer index combinations [0, inner)
  const idx = new Array<number>(inner).fill(0);
  let o = 0;
  for (;;) {
    let off = begin[inner]! * xs[inner]!;
    for (let a = 0; a < inner; a++) off += (begin[a]! + idx[a]!) * xs[a]!;
    ov.set(xv.subarray(off, off + run), o);
    o += run;
    let a = inner - 1;
    while (a >= 0) {
      idx[a]!++;
      if (idx[a]! < size[a]!) break;
      idx[a] = 0;
      a--;
    }
    if (a < 0) break;
  }
  return out;
}

/**
 * Reduce (shape, perm) to [P, A, B, C] → [P, B, A, C] if possible: drop size-1 axes, merge input
 * axes that stay adjacent and in order in the output.
 */
export function asBlockTranspose(shape: readonly number[], perm: readonly number[]): [number, number, number, number] | undefined {
  const keep = shape.map((d) => d !== 1);
  const remap: number[] = [];
  let k = 0;
  for (let i = 0; i < shape.length; i++) remap.push(keep[i] ? k++ : -1);
  let dims = shape.filter((d) => d !== 1);
  let p = perm.filter((a) => keep[a]).map((a) => remap[a]!);
  // merge input axes a, a+1 that are adjacent (in order) in the output
  for (let changed = true; changed; ) {
    changed = false;
    for (let j = 0; j + 1 < p.length; j++) {
      const a = p[j]!;
      if (p[j + 1] === a + 1) {
        dims = [...dims.slice(0, a), dims[a]! * dims[a + 1]!, ...dims.slice(a + 2)];
        p = [...p.slice(0, j + 1), ...p.slice(j + 2)].map((x) => (x > a ? x - 1 : x));
        changed = true;
        break;
      }
    }
  }
  const key = p.join(',');
  const [d0 = 1, d1 = 1, d2 = 1, d3 = 1] = dims;
  if (p.length <= 1) return [1, 1, dims.length ? d0 : 1, 1]; // identity order: a plain copy
  if (key === '1,0') return [1, d0, d1, 1];
  if (key === '0,2,1') return [d0, d1, d2, 1];
  if (key === '1,0,2') return [1, d0, d1, d2];
  if (key === '0,2,1,3') return [d0, d1, d2, d3];
  return undefined;
}

/**
 * out[p, b, a] = x[p, a, b] in 16×16 tiles writing contiguously. Int32 views copy any 4-byte
 * element bit-exactly (reading floats through JS numbers could canonicalise NaN payloads).
 */
function tiledTranspose(xv: Int32Array, ov: Int32Array, P: number, A: number, B: number): void {
  const T = 16;
  const plane = A * B;
  for (let pp = 0; pp < P; pp++) {
    const base = pp * plane;
    for (let a0 = 0; a0 < A; a0 += T) {
      const a1 = Math.min(A, a0 + T);
      for (let b0 = 0; b0 < B; b0 += T) {
        const b1 = Math.min(B, b0 + T);
        for (let b = b0; b < b1; b++) {
          let dst = base + b * A + a0;
          for (let a = a0; a < a1; a++) ov[dst++] = xv[base + a * B + b]!;
        }
      }
    }
  }
}

/** Smallest matrix transpose (elements) worth doing in JS; measured break-even ~2^17. */
let tiledMin = 1 << 18;

/** Change the JS-transpose threshold (tests set 0 to exercise it on small shapes); returns the old one. */
export function setTiledTransposeMin(n: number): number {
  const old = tiledMin;
  tiledMin = n;
  return old;
}

const int32View = (t: Float32Array | Int32Array | Uint8Array): Int32Array => new Int32Array(t.buffer, t.byteOffset, t.byteLength >> 2);

function replace(name: string, make: (stock: KernelFn) => KernelFn): boolean {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) return false;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) });
  return true;
}

/** Register the tweaks on the wasm backend (idempotent). Returns the kernels replaced. */
export function applyWasmTweaks(): string[] {
  if (applied) return applied;
  const done: string[] = [];
  if (
    replace('Identity', (stock) => (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string') return stock(args);
      (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    })
  ) {
    done.push('Identity');
  }
  if (
    replace('Slice', (stock) => (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string') return stock(args);
      const a = args.attrs as { begin: number | number[]; size: number | number[] };
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size) as [number[], number[]];
      return sliceInto(args.backend as unknown as WasmBackendLike, x, begin, size);
    })
  ) {
    done.push('Slice');
  }
  if (
    replace('SplitV', (stock) => (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string') return stock(args);
      const a = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
      const axis = tf.util.parseAxisParam(a.axis, x.shape)[0]!;
      const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, a.numOrSizeSplits, axis) as number[];
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((s) => {
        const size = [...x.shape];
        size[axis] = s;
        const part = sliceInto(args.backend as unknown as WasmBackendLike, x, [...begin], size);
        begin[axis]! += s;
        return part;
      });
    })
  ) {
    done.push('SplitV');
  }
  if (
    replace('Transpose', (stock) => (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const perm = (args.attrs as { perm: number[] }).perm;
      const blk = x.dtype === 'float32' || x.dtype === 'int32' ? asBlockTranspose(x.shape, perm) : undefined;
      if (!blk || blk[3] !== 1 || blk[0] * blk[1] * blk[2] < tiledMin) return stock(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(perm.map((a) => x.shape[a]!), x.dtype);
      if (out.shape.reduce((a, b) => a * b, 1) === 0) return out;
      const [P, A, B] = blk;
      tiledTranspose(int32View(backend.typedArrayFromHeap(x)), int32View(backend.typedArrayFromHeap(out)), P, A, B);
      return out;
    })
  ) {
    done.push('Transpose');
  }
  if (
    replace('GatherV2', (stock) => (args) => {
      const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
      if (x.dtype === 'string' || (batchDims ?? 0) !== 0 || tf.util.parseAxisParam(axis, x.shape)[0] !== 0) return stock(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const rows = x.shape[0]!;
      const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
      const n = indices.shape.reduce((a, b) => a * b, 1);
      const ids = Int32Array.from(backend.typedArrayFromHeap(indices) as ArrayLike<number>);
      for (let i = 0; i < n; i++) {
        const r = ids[i]!;
        if (!(r >= 0 && r < rows)) throw new Error(`GatherV2: index ${r} out of range [0, ${rows - 1}]`);
      }
      const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
      if (n === 0 || inner === 0) return out;
      const xv = backend.typedArrayFromHeap(x);
      const ov = backend.typedArrayFromHeap(out);
      if (inner === 1) {
        for (let i = 0; i < n; i++) ov[i] = xv[ids[i]!]!;
      } else {
        for (let i = 0; i < n; i++) ov.set(xv.subarray(ids[i]! * inner, ids[i]! * inner + inner), i * inner);
      }
      return out;
    })
  ) {
    done.push('GatherV2');
  }
  applied = done;
  return done;
}
