/**
 * Shape planning for the native kernels (native-kernels.ts): pure functions that work out
 * output shapes, broadcast strides, and how to merge axes so the addon walks as few as
 * possible. They only compute on shapes and indices; nothing here touches the wasm heap or
 * the addon, so they are tested without either.
 */
import { tf } from './tf.ts';

/** True when `dims` (right-aligned, left-padded with 1s) equals `outer`. */
export function sameAsOuter(dims: readonly number[], outer: readonly number[]): boolean {
  const pad = outer.length - dims.length;
  return outer.every((d, i) => (i < pad ? d === 1 : dims[i - pad] === d));
}

/** Row-major flat index into `dims` of the broadcast output index `idx`. */
export function flatIndex(idx: readonly number[], dims: readonly number[]): number {
  const pad = idx.length - dims.length;
  let flat = 0;
  for (let i = 0; i < dims.length; i++) flat = flat * dims[i]! + (dims[i] === 1 ? 0 : idx[i + pad]!);
  return flat;
}

/** Output shape of op(a)·op(b) with broadcast batch dims: [...batch, M, N]. */
export function matMulShape(a: readonly number[], b: readonly number[], transA: boolean, transB: boolean): number[] {
  const M = transA ? a[a.length - 1]! : a[a.length - 2]!;
  const N = transB ? b[b.length - 2]! : b[b.length - 1]!;
  return [...tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2)), M, N];
}

/**
 * A bias (or prelu slope) broadcasts by repeating it whole, which is what biasAct's modulo
 * indexing does, when its shape less leading 1s is the trailing part of the output shape.
 */
export function isSuffix(shape: readonly number[], outShape: readonly number[]): boolean {
  let s = 0;
  while (s < shape.length && shape[s] === 1) s++;
  const core = shape.slice(s);
  if (core.length > outShape.length) return false;
  const tail = outShape.slice(outShape.length - core.length);
  return core.every((d, i) => d === tail[i]);
}

/**
 * Merges x's axes into alternating kept/reduced groups (size-1 axes dropped): the shape the
 * addon's reduce walks without transposing. Returns sizes and a bit mask of reduced groups.
 */
export function reductionGroups(shape: readonly number[], axes: readonly number[]): { sizes: Int32Array; mask: number } {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const r = axes.includes(i);
    if (reduced.length > 0 && reduced[reduced.length - 1] === r) sizes[sizes.length - 1]! *= d;
    else {
      sizes.push(d);
      reduced.push(r);
    }
  });
  let mask = 0;
  reduced.forEach((r, g) => { if (r) mask |= 1 << g; });
  return { sizes: Int32Array.from(sizes), mask };
}

/**
 * Simplifies a transpose: drops size-1 axes and merges runs of axes that stay next to each
 * other, so [B, S, H, d] → [B, H, S, d] becomes a batched 2-D move of d-long rows.
 */
export function collapseTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = shape.map((d) => d !== 1);
  const renum = new Map<number, number>();
  shape.forEach((_, i) => { if (keep[i]) renum.set(i, renum.size); });
  const s1 = shape.filter((_, i) => keep[i]);
  const p1 = perm.filter((a) => keep[a]).map((a) => renum.get(a)!);
  // runs of output axes reading consecutive input axes
  const runs: Array<[number, number]> = [];
  for (const a of p1) {
    const last = runs[runs.length - 1];
    if (last && a === last[1] + 1) last[1] = a;
    else runs.push([a, a]);
  }
  const byInput = [...runs].sort((x, y) => x[0] - y[0]);
  const newShape = byInput.map(([lo, hi]) => s1.slice(lo, hi + 1).reduce((p, d) => p * d, 1));
  const newPerm = runs.map((r) => byInput.indexOf(r));
  return { shape: newShape, perm: newPerm };
}

/**
 * Broadcast plan of a binary op: the output shape merged to the fewest axes, with each
 * operand's stride per axis (0 where it is broadcast). Axes of size 1 are dropped.
 */
export function broadcastPlan(a: readonly number[], b: readonly number[]): { outShape: number[]; shape: number[]; sa: number[]; sb: number[] } {
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape([...a], [...b]);
  const R = outShape.length;
  const strides = (s: readonly number[]): number[] => {
    const padded = [...new Array<number>(R - s.length).fill(1), ...s];
    const st = new Array<number>(R).fill(0);
    let acc = 1;
    for (let i = R - 1; i >= 0; i--) {
      st[i] = padded[i] === 1 ? 0 : acc;
      acc *= padded[i]!;
    }
    return st;
  };
  const fa = strides(a);
  const fb = strides(b);
  const shape: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < R; i++) {
    const d = outShape[i]!;
    if (d === 1) continue;
    const k = shape.length - 1;
    // merge into the previous axis when both operands step through it contiguously (or not at all)
    if (k >= 0 && sa[k] === fa[i]! * d && sb[k] === fb[i]! * d) {
      shape[k]! *= d;
      sa[k] = fa[i]!;
      sb[k] = fb[i]!;
    } else {
      shape.push(d);
      sa.push(fa[i]!);
      sb.push(fb[i]!);
    }
  }
  return { outShape, shape, sa, sb };
}
