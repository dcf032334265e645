/**
 * Matrix products whose gradients stay on the wasm backend's fast path (PERF.md): the stock
 * matMul gradient uses transposed products (1–3.5 GFLOP/s on wasm); these transpose explicitly
 * and then multiply plainly (XNNPACK, ~40 GFLOP/s for 2-D).
 */
import { tf, type Tensor, type Tensor2D } from '../backend/tf.ts';
import { nativeKernelActive } from '../backend/native.ts';

type Save = (ts: Tensor[]) => void;

const ones = (n: number): Tensor2D => tf.fill([1, n], 1) as Tensor2D;

/**
 * a·bᵀ and aᵀ·b for gradients. With lara's native BatchMatMul (docs/native.md) the transpose
 * flags go to sgemm directly; on stock wasm the operand is transposed first (its transposed
 * product is 10× slower than a transpose plus a plain product).
 */
function mmBT(a: Tensor2D, b: Tensor2D): Tensor2D {
  return nativeKernelActive('BatchMatMul') ? tf.matMul(a, b, false, true) : tf.matMul(a, tf.transpose(b));
}
function mmAT(a: Tensor2D, b: Tensor2D): Tensor2D {
  return nativeKernelActive('BatchMatMul') ? tf.matMul(a, b, true, false) : tf.matMul(tf.transpose(a), b);
}

/** Bias gradient Σ_rows dy [N, out] → [out]: native Sum over axis 0, else the 1ᵀ·dy product (wasm's axis-0 sum transposes first). */
function colSum(dy: Tensor2D): Tensor {
  return nativeKernelActive('Sum') ? tf.sum(dy, 0) : tf.reshape(tf.matMul(ones(dy.shape[0]), dy), [dy.shape[1]]);
}

const mm2 = tf.customGrad(((a: Tensor2D, b: Tensor2D, save: Save) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: Tensor2D, [sa, sb]: Tensor[]) => [
      mmBT(dy, sb as Tensor2D), // [M, K]
      mmAT(sa as Tensor2D, dy), // [K, N]
    ],
  };
}) as never) as (a: Tensor2D, b: Tensor2D) => Tensor2D;

/** a [M, K] · b [K, N] → [M, N], with fast-path gradients. */
export function matMul2d(a: Tensor2D, b: Tensor2D): Tensor2D {
  return mm2(a, b);
}

const dense3 = tf.customGrad(((x: Tensor2D, w: Tensor2D, b: Tensor, save: Save) => {
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }),
    gradFunc: (dy: Tensor2D, [sx, sw]: Tensor[]) => [
      mmBT(dy, sw as Tensor2D), // dx [N, in]
      mmAT(sx as Tensor2D, dy), // dw [in, out]
      colSum(dy), // db [out] = Σ_rows dy
    ],
  };
}) as never) as (x: Tensor2D, w: Tensor2D, b: Tensor) => Tensor2D;

/**
 * x [N, in] · w [in, out] (+ b [out]) → [N, out]. With `inputGrad: false` the gradient with
 * respect to x is not computed (x is data, e.g. pixels), saving a third of the backward work.
 */
export function dense2d(x: Tensor2D, w: Tensor2D, b?: Tensor, opts: { inputGrad?: boolean } = {}): Tensor2D {
  if (opts.inputGrad === false) {
    const xs = x;
    if (b) {
      const f = tf.customGrad(((wv: Tensor2D, bv: Tensor, save: Save) => {
        save([xs]);
        return {
          value: tf.fused.matMul({ a: xs, b: wv, bias: bv }),
          gradFunc: (dy: Tensor2D, [sx]: Tensor[]) => [
            mmAT(sx as Tensor2D, dy),
            colSum(dy),
          ],
        };
      }) as never) as (w: Tensor2D, b: Tensor) => Tensor2D;
      return f(w, b);
    }
    const f = tf.customGrad(((wv: Tensor2D, save: Save) => {
      save([xs]);
      return { value: tf.matMul(xs, wv), gradFunc: (dy: Tensor2D, [sx]: Tensor[]) => [mmAT(sx as Tensor2D, dy)] };
    }) as never) as (w: Tensor2D) => Tensor2D;
    return f(w);
  }
  return b ? dense3(x, w, b) : mm2(x, w);
}

/**
 * Batched a [G, M, K] · b [G, K, N] → [G, M, N]. Rank-3 products run on wasm's slow (non-XNNPACK)
 * path whatever the layout; for attention-sized operands the transpose flags measured slightly
 * cheaper than explicit transposes, so the stock matMul and its stock gradient are used.
 */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.matMul(a, b);
}

/** Batched a [G, M, K] · bᵀ where b is [G, N, K] → [G, M, N] (attention scores q·kᵀ). */
export function bmmT(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.matMul(a, b, false, true);
}
