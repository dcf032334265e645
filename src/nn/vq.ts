/**
 * Vector quantiser (VQ-VAE bottleneck) for the latent action model (8 codes) and the video
 * tokenizer (1024 codes). Cosine mode L2-normalises latents and codes (Jafar's LAM); plain mode
 * uses Euclidean distance. Straight-through gradient to the encoder; codebook loss
 * ‖sg(z) − q‖² moves codes, commitment loss β‖z − sg(q)‖² holds the encoder. Codes unused for
 * `deadAfter` steps are reset to random latents of the current batch.
 */
import { tf, type Scalar, type Tensor, type Tensor2D, type Variable } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { embedLookup } from './embedding.ts';
import { init, type Init } from './init.ts';
import type { Scope } from './params.ts';

type Save = (ts: Tensor[]) => void;

export interface VQOptions {
  /** Codebook size K. */
  codes: number;
  /** Code dimension. */
  dim: number;
  /** L2-normalise latents and codes (default true). */
  cosine?: boolean;
  /** Commitment weight β (default 0.25). */
  beta?: number;
  /** Reset codes unused for this many update() steps; 0 disables (default 50). */
  deadAfter?: number;
  /**
   * A fixed codebook: the 2^dim corners of the cube {−1, 1}^dim (codes must be 2^dim), never
   * learned or reset. With cosine the nearest code is the sign pattern of z: finite scalar
   * quantisation with 2 levels per dimension (Mentzer et al. 2023), which cannot collapse onto a
   * few codes while the latents keep both signs on every dimension (default false).
   */
  fixed?: boolean;
}

/** Init of a fixed codebook [2^dim, dim]: row c is the cube corner whose coordinate j is +1 where bit j of c is set, else −1. */
const cubeCorners = (): Init => (out, shape) => {
  const dim = shape[1]!;
  for (let c = 0; c < shape[0]!; c++) for (let j = 0; j < dim; j++) out[c * dim + j] = (c >> j) & 1 ? 1 : -1;
};

export interface VQResult {
  /** Straight-through quantised latents [..., dim] (forward: the codes; backward: identity to z). */
  quantized: Tensor;
  /** Chosen code per vector, int32 [...]. */
  indices: Tensor;
  /** codebookLoss + β·commitLoss. */
  loss: Scalar;
  codebookLoss: Scalar;
  commitLoss: Scalar;
}

export interface VQUsageState {
  step: number;
  counts: number[];
  lastUsed: number[];
  lastChosen: number[];
}

/** L2-normalise rows: x [N, D] → x / ‖x‖. */
export function l2Normalize(x: Tensor, eps = 1e-6): Tensor {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), -1, true), eps * eps)));
}

/** mean((a − c)²) with the gradient flowing to a only (c is treated as a constant). */
function meanSqToConst(a: Tensor, c: Tensor): Scalar {
  const f = tf.customGrad(((x: Tensor, save: Save) => {
    const diff = tf.sub(x, c);
    save([diff]);
    return {
      value: tf.mean(tf.square(diff)) as Scalar,
      gradFunc: (dy: Scalar, [sd]: Tensor[]) => [tf.mul(sd!, tf.mul(dy, 2 / sd!.size))],
    };
  }) as never) as (x: Tensor) => Scalar;
  return f(a);
}

/** Forward value q, gradient passed straight to z (q gets none). */
function straightThrough(z: Tensor, q: Tensor): Tensor {
  const f = tf.customGrad(((x: Tensor, save: Save) => {
    save([]);
    return { value: tf.clone(q), gradFunc: (dy: Tensor) => [dy] };
  }) as never) as (x: Tensor) => Tensor;
  return f(z);
}

export class VectorQuantizer {
  readonly codebook: Variable; // [K, Dc]
  readonly codes: number;
  readonly dim: number;
  readonly cosine: boolean;
  readonly beta: number;
  readonly deadAfter: number;
  readonly fixed: boolean;
  #step = 0;
  #counts: Float64Array;
  #lastUsed: Int32Array; // last step chosen, or reset (grace period)
  #lastChosen: Int32Array; // last step actually chosen (0 = never)

  /** Parameter `<scope>.codebook` [codes, dim]. */
  constructor(scope: Scope, opts: VQOptions) {
    if (!Number.isInteger(opts.codes) || opts.codes < 2) {
      throw new LaraError('bad codebook size', { where: scope.full('codes'), expected: 'an integer ≥ 2', got: String(opts.codes) });
    }
    this.codes = opts.codes;
    this.dim = opts.dim;
    this.cosine = opts.cosine ?? true;
    this.beta = opts.beta ?? 0.25;
    this.fixed = opts.fixed ?? false;
    this.deadAfter = this.fixed ? 0 : (opts.deadAfter ?? 50);
    if (this.fixed && opts.codes !== 2 ** opts.dim) {
      throw new LaraError('a fixed (cube-corner) codebook has 2^dim codes', { where: scope.full('codes'), expected: `${2 ** opts.dim} codes for dimension ${opts.dim}`, got: String(opts.codes) });
    }
    const init0 = this.fixed ? cubeCorners() : this.cosine ? init.normal(1) : init.uniform(-1 / opts.codes, 1 / opts.codes);
    this.codebook = scope.param('codebook', [opts.codes, opts.dim], init0, !this.fixed);
    this.#counts = new Float64Array(opts.codes);
    this.#lastUsed = new Int32Array(opts.codes);
    this.#lastChosen = new Int32Array(opts.codes);
  }

  /** The codes used for lookup [K, Dc] (normalised in cosine mode). */
  table(): Tensor2D {
    return (this.cosine ? l2Normalize(this.codebook) : this.codebook) as Tensor2D;
  }

  /** Nearest code index for each row of z2 [N, Dc] (z2 already normalised in cosine mode). */
  #nearest(z2: Tensor2D, table: Tensor2D): Tensor {
    const sim = tf.matMul(z2, tf.transpose(table)); // [N, K]
    const score = this.cosine ? sim : tf.sub(tf.mul(sim, 2), tf.sum(tf.square(table), -1)); // −‖z−c‖² + ‖z‖²
    return tf.argMax(score, -1); // [N]
  }

  /** Quantise z [..., Dc]. Differentiable (losses and straight-through output). */
  apply(z: Tensor): VQResult {
    const lead = z.shape.slice(0, -1);
    let z2 = tf.reshape(z, [-1, this.dim]) as Tensor2D; // [N, Dc]
    if (this.cosine) z2 = l2Normalize(z2) as Tensor2D;
    const table = this.table();
    const idx = this.#nearest(z2, table); // [N]
    const q = embedLookup(table, idx) as Tensor2D; // [N, Dc]
    const codebookLoss = meanSqToConst(q, z2);
    const commitLoss = meanSqToConst(z2, q);
    const st = straightThrough(z2, q); // [N, Dc]
    return {
      quantized: tf.reshape(st, [...lead, this.dim]),
      indices: tf.reshape(idx, lead),
      loss: tf.add(codebookLoss, tf.mul(commitLoss, this.beta)) as Scalar,
      codebookLoss,
      commitLoss,
    };
  }

  /** Nearest-code indices only (inference), int32 [...]. */
  encode(z: Tensor): Tensor {
    return tf.tidy(() => {
      const lead = z.shape.slice(0, -1);
      let z2 = tf.reshape(z, [-1, this.dim]) as Tensor2D;
      if (this.cosine) z2 = l2Normalize(z2) as Tensor2D;
      return tf.reshape(this.#nearest(z2, this.table()), lead);
    });
  }

  /** Code vectors for indices [...] → [..., Dc] (normalised in cosine mode). */
  lookup(indices: Tensor): Tensor {
    return embedLookup(this.table(), indices);
  }

  /**
   * Record one training step's code usage and reset dead codes: every code not chosen in the
   * last `deadAfter` steps is replaced by a random row of `latents` [N, Dc] (this batch's
   * encoder outputs). Returns the reset code ids. Call after the optimizer step.
   */
  update(indices: Tensor | ArrayLike<number>, latents: Tensor | undefined, rng: Rng): number[] {
    const ids = indices instanceof tf.Tensor ? indices.dataSync() : indices;
    this.#step++;
    for (let i = 0; i < ids.length; i++) {
      const c = ids[i]!;
      this.#counts[c]! += 1;
      this.#lastUsed[c] = this.#step;
      this.#lastChosen[c] = this.#step;
    }
    if (this.deadAfter <= 0 || !latents) return [];
    const dead: number[] = [];
    for (let c = 0; c < this.codes; c++) if (this.#step - this.#lastUsed[c]! >= this.deadAfter) dead.push(c);
    if (dead.length === 0) return [];
    const lat = tf.tidy(() => tf.reshape(latents, [-1, this.dim]).dataSync() as Float32Array);
    const n = lat.length / this.dim;
    const cb = this.codebook.dataSync().slice() as Float32Array;
    for (const c of dead) {
      const r = rng.int(n);
      for (let j = 0; j < this.dim; j++) cb[c * this.dim + j] = lat[r * this.dim + j]! + rng.normal(0, 1e-3);
      this.#lastUsed[c] = this.#step;
    }
    tf.tidy(() => this.codebook.assign(tf.tensor2d(cb, [this.codes, this.dim])));
    return dead;
  }

  /** Times each code was chosen since construction (or loadUsage). */
  usageCounts(): number[] {
    return Array.from(this.#counts);
  }

  /** Codes chosen at least once in the last `window` steps (default deadAfter or 50). */
  activeCodes(window = this.deadAfter > 0 ? this.deadAfter : 50): number {
    let n = 0;
    for (let c = 0; c < this.codes; c++) if (this.#lastChosen[c]! > 0 && this.#step - this.#lastChosen[c]! < window) n++;
    return n;
  }

  /** Usage bookkeeping for checkpoints. */
  usageState(): VQUsageState {
    return { step: this.#step, counts: Array.from(this.#counts), lastUsed: Array.from(this.#lastUsed), lastChosen: Array.from(this.#lastChosen) };
  }

  loadUsage(s: VQUsageState): void {
    if (s.counts.length !== this.codes || s.lastUsed.length !== this.codes || s.lastChosen.length !== this.codes) {
      throw new LaraError('VQ usage state size mismatch', { expected: `${this.codes} codes`, got: String(s.counts.length) });
    }
    this.#step = s.step;
    this.#counts = Float64Array.from(s.counts);
    this.#lastUsed = Int32Array.from(s.lastUsed);
    this.#lastChosen = Int32Array.from(s.lastChosen);
  }
}
