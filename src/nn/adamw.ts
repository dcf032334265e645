/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter; PyTorch's update order) over a ParamStore,
 * with a learning-rate schedule, and state export/import as named tensors + step for checkpoints.
 */
import { tf, type Tensor, type Variable } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
import { fusedAddonFor } from '../backend/native.ts';
import { adamwInPlace } from '../backend/native-fused.ts';
import type { ParamStore } from './params.ts';
import type { Schedule } from './schedule.ts';

export interface AdamWOptions {
  /** Learning rate, or a schedule of the 1-based step. */
  lr: number | Schedule;
  beta1?: number; // default 0.9
  beta2?: number; // default 0.999
  eps?: number; // default 1e-8
  /** Decoupled weight decay coefficient (default 0 = plain Adam). */
  weightDecay?: number;
  /** Which parameters decay (default: rank ≥ 2, i.e. matrices, not gains/biases). */
  decays?: (name: string, shape: readonly number[]) => boolean;
}

export interface OptimizerState {
  step: number;
  /** `m.<param>` and `v.<param>` moment tensors. */
  tensors: Record<string, Tensor>;
}

interface Slot {
  name: string;
  p: Variable;
  offset: number; // into the flat moment vectors
  size: number;
  decay: boolean;
}

/**
 * The moments of all parameters live in two flat vectors and each update runs as a dozen
 * kernels over the concatenated gradients (instead of a dozen per parameter): on wasm kernel
 * launches, not arithmetic, dominate an optimizer step.
 */
export class AdamW {
  #step = 0;
  readonly #slots: Slot[] = [];
  readonly #byName = new Map<string, Slot>();
  readonly #m: Variable; // [total]
  readonly #v: Variable; // [total]
  readonly #decayMask: Tensor | undefined; // [total] 1 where decoupled decay applies
  readonly total: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly #lr: Schedule;

  constructor(
    readonly store: ParamStore,
    opts: AdamWOptions,
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    const lr = opts.lr;
    this.#lr = typeof lr === 'number' ? () => lr : lr;
    const decays = opts.decays ?? ((_n: string, shape: readonly number[]) => shape.length >= 2);
    let offset = 0;
    for (const [name, p] of store.entries()) {
      if (!p.trainable) continue;
      const slot = { name, p, offset, size: p.size, decay: decays(name, p.shape) };
      this.#slots.push(slot);
      this.#byName.set(name, slot);
      offset += p.size;
    }
    this.total = offset;
    // two separate buffers: the native update (below) writes the moments in place
    const zm = tf.zeros([Math.max(1, offset)]);
    const zv = tf.zeros([Math.max(1, offset)]);
    this.#m = tf.variable(zm, false);
    this.#v = tf.variable(zv, false);
    zm.dispose();
    zv.dispose();
    if (this.weightDecay > 0 && this.#slots.some((s) => s.decay)) {
      const mask = new Float32Array(Math.max(1, offset));
      for (const s of this.#slots) if (s.decay) mask.fill(1, s.offset, s.offset + s.size);
      this.#decayMask = tf.tensor1d(mask);
    }
  }

  /** Steps taken so far. */
  get step(): number {
    return this.#step;
  }

  /** Learning rate the next apply() will use. */
  nextLr(): number {
    return this.#lr(this.#step + 1);
  }

  /**
   * One update from gradients keyed by parameter name (not disposed). A parameter without a
   * gradient gets a zero gradient (its moments decay). Returns the lr used.
   */
  apply(grads: Map<string, Tensor>): number {
    for (const name of grads.keys()) {
      if (!this.#byName.has(name)) throw new LaraError('gradient for an unknown parameter', { where: name });
    }
    if (this.#slots.length === 0) return this.#lr(++this.#step);
    this.#step++;
    const t = this.#step;
    const lr = this.#lr(t);
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** t);
    const invBc2 = 1 / Math.sqrt(1 - b2 ** t);
    const addon = fusedAddonFor('AdamW');
    if (addon && [...grads.values()].every((g) => g.dtype === 'float32')) {
      // one native pass per parameter, in place on the wasm heap (src/backend/native-fused.ts)
      const h = { b1, b2, eps: this.eps, stepSize, invBc2, decay: 0 };
      for (const s of this.#slots) {
        h.decay = s.decay && this.#decayMask ? lr * this.weightDecay : 0;
        adamwInPlace(addon, s.p, grads.get(s.name) ?? null, this.#m, this.#v, s.offset, h);
      }
      return lr;
    }
    tf.tidy(() => {
      const flat = (x: Tensor) => tf.reshape(x, [-1]);
      const g = tf.concat(this.#slots.map((s) => flat(grads.get(s.name) ?? tf.zeros([s.size])))); // [total]
      let p: Tensor = tf.concat(this.#slots.map((s) => flat(s.p))); // [total]
      const m = tf.add(tf.mul(this.#m, b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(this.#v, b2), tf.mul(tf.square(g), 1 - b2));
      const denom = tf.add(tf.mul(tf.sqrt(v), invBc2), this.eps);
      if (this.#decayMask) p = tf.sub(p, tf.mul(p, tf.mul(this.#decayMask, lr * this.weightDecay)));
      p = tf.sub(p, tf.mul(tf.div(m, denom), stepSize));
      this.#m.assign(m);
      this.#v.assign(v);
      // one contiguous slice per parameter (wasm's SplitV of a long vector is ~50× slower)
      for (const s of this.#slots) s.p.assign(tf.reshape(tf.slice(p, [s.offset], [s.size]), s.p.shape));
    });
    return lr;
  }

  /** Moments and step for a checkpoint (new tensors; caller disposes). */
  exportState(): OptimizerState {
    const tensors: Record<string, Tensor> = {};
    for (const s of this.#slots) {
      tensors[`m.${s.name}`] = tf.tidy(() => tf.reshape(tf.slice(this.#m, [s.offset], [s.size]), s.p.shape));
      tensors[`v.${s.name}`] = tf.tidy(() => tf.reshape(tf.slice(this.#v, [s.offset], [s.size]), s.p.shape));
    }
    return { step: this.#step, tensors };
  }

  /** Restore exportState() output; every moment must be present with the parameter's shape. */
  importState(state: OptimizerState, source?: string): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new LaraError('bad optimizer step', { file: source, expected: 'an integer ≥ 0', got: String(state.step) });
    }
    const parts: Record<'m' | 'v', Tensor[]> = { m: [], v: [] };
    for (const s of this.#slots) {
      for (const k of ['m', 'v'] as const) {
        const t = state.tensors[`${k}.${s.name}`];
        if (!t) throw new LaraError('missing optimizer moment', { file: source, where: `${k}.${s.name}` });
        if (t.shape.join(',') !== s.p.shape.join(',')) {
          throw new LaraError('optimizer moment shape mismatch', {
            file: source,
            where: `${k}.${s.name}`,
            expected: `[${s.p.shape.join(', ')}]`,
            got: `[${t.shape.join(', ')}]`,
          });
        }
        parts[k].push(t);
      }
    }
    if (this.#slots.length) {
      tf.tidy(() => {
        this.#m.assign(tf.concat(parts.m.map((t) => tf.reshape(tf.cast(t, 'float32'), [-1]))));
        this.#v.assign(tf.concat(parts.v.map((t) => tf.reshape(tf.cast(t, 'float32'), [-1]))));
      });
    }
    this.#step = state.step;
  }

  dispose(): void {
    this.#m.dispose();
    this.#v.dispose();
    this.#decayMask?.dispose();
    this.#slots.length = 0;
    this.#byName.clear();
  }
}
