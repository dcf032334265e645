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
  applied = done;
  return done;
}
