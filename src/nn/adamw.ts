/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter; PyTorch's update order) over a ParamStore,
 * with a learning-rate schedule, and state export/import as named tensors + step for checkpoints.
 */
import { tf, type Tensor, type Variable } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
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
  p: Variable;
  m: Variable;
  v: Variable;
  decay: boolean;
}

export class AdamW {
  #step = 0;
  readonly #slots = new Map<string, Slot>();
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
    for (const [name, p] of store.entries()) {
      if (!p.trainable) continue;
      this.#slots.set(name, {
        p,
        m: tf.variable(tf.zerosLike(p), false),
        v: tf.variable(tf.zerosLike(p), false),
        decay: decays(name, p.shape),
      });
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

  /** One update from gradients keyed by parameter name (the grads are not disposed). Returns the lr used. */
  apply(grads: Map<string, Tensor>): number {
    this.#step++;
    const t = this.#step;
    const lr = this.#lr(t);
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** t);
    const invBc2 = 1 / Math.sqrt(1 - b2 ** t);
    tf.tidy(() => {
      for (const [name, g] of grads) {
        const s = this.#slots.get(name);
        if (!s) throw new LaraError('gradient for an unknown parameter', { where: name });
        const m = tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), 1 - b2));
        const denom = tf.add(tf.mul(tf.sqrt(v), invBc2), this.eps);
        let p: Tensor = s.p;
        if (s.decay && this.weightDecay > 0) p = tf.mul(p, 1 - lr * this.weightDecay);
        p = tf.sub(p, tf.mul(tf.div(m, denom), stepSize));
        s.m.assign(m);
        s.v.assign(v);
        s.p.assign(p);
      }
    });
    return lr;
  }

  /** Moments and step for a checkpoint (clones; caller disposes). */
  exportState(): OptimizerState {
    const tensors: Record<string, Tensor> = {};
    for (const [name, s] of this.#slots) {
      tensors[`m.${name}`] = s.m.clone();
      tensors[`v.${name}`] = s.v.clone();
    }
    return { step: this.#step, tensors };
  }

  /** Restore exportState() output; every moment must be present with the parameter's shape. */
  importState(state: OptimizerState, source?: string): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new LaraError('bad optimizer step', { file: source, expected: 'an integer ≥ 0', got: String(state.step) });
    }
    for (const [name, s] of this.#slots) {
      for (const k of ['m', 'v'] as const) {
        const t = state.tensors[`${k}.${name}`];
        if (!t) throw new LaraError('missing optimizer moment', { file: source, where: `${k}.${name}` });
        if (t.shape.join(',') !== s.p.shape.join(',')) {
          throw new LaraError('optimizer moment shape mismatch', {
            file: source,
            where: `${k}.${name}`,
            expected: `[${s.p.shape.join(', ')}]`,
            got: `[${t.shape.join(', ')}]`,
          });
        }
        s[k].assign(t);
      }
    }
    this.#step = state.step;
  }

  dispose(): void {
    for (const s of this.#slots.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.#slots.clear();
  }
}
