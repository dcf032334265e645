/**
 * Multi-head self-attention with an optional causal mask and optional QK-norm (a LayerNorm over
 * each head's query and key vectors, as Genie's dynamics model). Projections are 2-D linears;
 * only the two score/value products are batched (rank-3) matMuls.
 */
import { tf, type Tensor, type Tensor2D } from '../backend/tf.ts';
import { init } from './init.ts';
import { LayerNorm } from './layernorm.ts';
import { Linear } from './linear.ts';
import { bmm, bmmT } from './matmul.ts';
import type { Scope } from './params.ts';
import { LaraError } from '../util/errors.ts';
import { fusedActive } from '../backend/native.ts';

type Save = (ts: Tensor[]) => void;

/**
 * Attention over Q for every (p, r) as one native kernel each way (LaraAttention,
 * src/backend/native-fused.ts): q, k, v are read from the qkv projection [P·Q·R, 3D] in place
 * and the heads come back merged [P·Q·R, D]: no split, transposes or batched products.
 */
function attendNative(qkv: Tensor2D, attrs: { p: number; q: number; r: number; heads: number; causal: boolean; scale: number }): Tensor2D {
  const f = tf.customGrad(((x: Tensor2D, save: Save) => {
    const [out, probs] = tf.engine().runKernel('LaraAttention', { qkv: x }, attrs) as Tensor[];
    save([x, probs!]);
    return {
      value: out!,
      gradFunc: (dy: Tensor2D, [sx, sprobs]: Tensor[]) => [
        tf.engine().runKernel('LaraAttentionGrad', { dy, qkv: sx!, probs: sprobs! }, attrs) as Tensor,
      ],
    };
  }) as never) as (x: Tensor2D) => Tensor2D;
  return f(qkv);
}

export interface AttentionOptions {
  /** Number of heads; must divide the width. */
  heads: number;
  /** Mask attention to later positions (default false). */
  causal?: boolean;
  /** LayerNorm over each head's q and k before the product (default false). */
  qkNorm?: boolean;
  /** Std of the projection weights (default 0.02). */
  initStd?: number;
  /**
   * The attended axis is a row-major [rows, cols] grid: add to the scores a learned bias per head
   * for the key's row offset plus one for its column offset from the query (`<scope>.rel_bias`
   * [H, (2·rows−1) + (2·cols−1)], zeros at init).
   */
  relGrid?: readonly [number, number];
}

const maskCache = new Map<number, Tensor>();

/** [L, L] additive mask: 0 on and below the diagonal, −1e9 above. */
export function causalMask(l: number): Tensor {
  let m = maskCache.get(l);
  if (!m || m.isDisposed) {
    const data = new Float32Array(l * l);
    for (let i = 0; i < l; i++) for (let j = i + 1; j < l; j++) data[i * l + j] = -1e9;
    m = tf.keep(tf.tensor2d(data, [l, l]));
    maskCache.set(l, m);
  }
  return m;
}

/** [2L−1, L·L] one-hot: row o·… of pair (i, j) is 1 where j − i = o − (L − 1). */
function offsetOneHot(l: number): Tensor {
  const oh = new Float32Array((2 * l - 1) * l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) oh[(j - i + l - 1) * l * l + i * l + j] = 1;
  return tf.tensor2d(oh, [2 * l - 1, l * l]);
}

export class MultiHeadAttention {
  readonly qkv: Linear; // [D, 3D]
  readonly out: Linear; // [D, D]
  readonly qNorm: LayerNorm | undefined;
  readonly kNorm: LayerNorm | undefined;
  readonly heads: number;
  readonly headDim: number;
  readonly causal: boolean;
  readonly relBias: tf.Variable | undefined; // [H, (2R-1) + (2C-1)]
  #grid: readonly [number, number] | undefined;
  #rowOneHot: Tensor | undefined; // [2R-1, R·R]
  #colOneHot: Tensor | undefined; // [2C-1, C·C]

  /** Parameters `<scope>.qkv.{w,b}`, `<scope>.out.{w,b}`, with qkNorm `<scope>.q_norm.*`, `<scope>.k_norm.*`. */
  constructor(
    scope: Scope,
    readonly dim: number,
    opts: AttentionOptions,
  ) {
    if (!Number.isInteger(opts.heads) || opts.heads < 1 || dim % opts.heads !== 0) {
      throw new LaraError('attention heads must divide the width', {
        where: scope.full('heads'),
        expected: `a divisor of ${dim}`,
        got: String(opts.heads),
      });
    }
    this.heads = opts.heads;
    this.headDim = dim / opts.heads;
    this.causal = opts.causal ?? false;
    const std = opts.initStd ?? 0.02;
    this.qkv = new Linear(scope.child('qkv'), dim, 3 * dim, { init: init.normal(std) });
    this.out = new Linear(scope.child('out'), dim, dim, { init: init.normal(std) });
    if (opts.relGrid) {
      const [rows, cols] = opts.relGrid;
      this.#grid = [rows, cols];
      this.relBias = scope.param('rel_bias', [this.heads, 2 * rows - 1 + 2 * cols - 1], init.zeros());
      this.#rowOneHot = tf.keep(offsetOneHot(rows));
      this.#colOneHot = tf.keep(offsetOneHot(cols));
    }
    if (opts.qkNorm) {
      this.qNorm = new LayerNorm(scope.child('q_norm'), this.headDim);
      this.kNorm = new LayerNorm(scope.child('k_norm'), this.headDim);
    }
  }

  /** relGrid: the score bias [1, H, Q, Q] = row-offset bias + column-offset bias of every (query, key) pair. */
  #gridBias(q: number): Tensor {
    const [rows, cols] = this.#grid!;
    if (q !== rows * cols) throw new LaraError('attention over a grid of another size', { expected: `${rows}×${cols} = ${rows * cols} positions`, got: String(q) });
    const h = this.heads;
    const rowB = tf.slice(this.relBias!, [0, 0], [h, 2 * rows - 1]); // [H, 2R-1]
    const colB = tf.slice(this.relBias!, [0, 2 * rows - 1], [h, 2 * cols - 1]); // [H, 2C-1]
    const byRow = tf.reshape(tf.matMul(rowB, this.#rowOneHot as Tensor2D), [h, rows, 1, rows, 1]); // [H, Ri, 1, Rj, 1]
    const byCol = tf.reshape(tf.matMul(colB, this.#colOneHot as Tensor2D), [h, 1, cols, 1, cols]); // [H, 1, Ci, 1, Cj]
    return tf.reshape(tf.add(byRow, byCol), [1, h, q, q]); // [1, H, (Ri,Ci), (Rj,Cj)]
  }

  /** x [G, L, D] → [G, L, D]: attention over L within each of the G groups. */
  apply(x: Tensor): Tensor {
    const [g, l, d] = x.shape as [number, number, number];
    return tf.reshape(this.attendOver(tf.reshape(x, [g, l, 1, d])), [g, l, d]);
  }

  /**
   * x [P, Q, R, D] → [P, Q, R, D]: attention over axis Q, separately for every (p, r). With
   * x = [B, T, S, D]: spatial attention is attendOver(x as [B·T, S, 1, D]); temporal attention is
   * attendOver(x) directly (no transpose of the activations; the head split does it).
   */
  attendOver(x: Tensor): Tensor {
    const [p, q, r, d] = x.shape as [number, number, number, number];
    const h = this.heads;
    const dh = this.headDim;
    const g = p * r * h; // attention groups
    // Only rank-≤4 transposes: stock wasm runs rank-5/6 transposes ~30× slower (PERF.md).
    const qkv = this.qkv.apply(tf.reshape(x, [p * q * r, d]) as Tensor2D); // [PQR, 3D]
    if (!this.qNorm && !this.relBias && fusedActive('LaraAttention') && fusedActive('LaraAttentionGrad') && qkv.dtype === 'float32') {
      const o = attendNative(qkv, { p, q, r, heads: h, causal: this.causal, scale: 1 / Math.sqrt(dh) }); // [PQR, D]
      return tf.reshape(this.out.apply(o), [p, q, r, d]);
    }
    const heads = tf.transpose(tf.reshape(qkv, [p, q, r * 3 * h, dh]), [0, 2, 1, 3]); // [P, R·3·H, Q, dh]
    const parts = tf.split(tf.reshape(heads, [p * r, 3, h * q * dh]), 3, 1); // 3 × [PR, 1, H·Q·dh]
    let qs = tf.reshape(parts[0]!, [g, q, dh]) as tf.Tensor3D; // [G, Q, dh]
    let ks = tf.reshape(parts[1]!, [g, q, dh]) as tf.Tensor3D;
    const vs = tf.reshape(parts[2]!, [g, q, dh]) as tf.Tensor3D;
    if (this.qNorm && this.kNorm) {
      qs = this.qNorm.apply(qs);
      ks = this.kNorm.apply(ks);
    }
    qs = tf.mul(qs, 1 / Math.sqrt(dh));
    let scores: Tensor = bmmT(qs, ks); // [G, Q, Q]
    if (this.causal) scores = tf.add(scores, causalMask(q));
    if (this.relBias) scores = tf.reshape(tf.add(tf.reshape(scores, [p * r, h, q, q]), this.#gridBias(q)), [g, q, q]);
    const probs = tf.softmax(scores) as tf.Tensor3D; // [G, Q, Q]
    const o = bmm(probs, vs); // [G, Q, dh] = [P, R·H, Q, dh]
    const merged = tf.transpose(tf.reshape(o, [p, r * h, q, dh]), [0, 2, 1, 3]); // [P, Q, R·H, dh]
    const y = this.out.apply(tf.reshape(merged, [p * q * r, d]) as Tensor2D); // [PQR, D]
    return tf.reshape(y, [p, q, r, d]);
  }
}
