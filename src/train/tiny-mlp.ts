/**
 * The smallest real training task: a 2-layer MLP classifying points inside/outside a circle, with
 * a plain Adam written out by hand. It exercises the loop, checkpoints and exact resume in a
 * fraction of a second per hundred steps on any backend, so tests and `lara` smoke runs use it.
 *
 * Dimensions: B batch, I=2 inputs, H hidden units, C=2 classes.
 */
import { tf } from '../backend/tf.ts';
import type { Rng } from '../util/rng.ts';
import type { OptimizerState } from '../checkpoint/checkpoint.ts';
import type { NamedTensors } from '../checkpoint/tf-tensors.ts';
import { assignNamed, stepRng, type BatchSource, type StepContext, type StepResult, type TrainTask } from './task.ts';

export interface CircleBatch {
  x: tf.Tensor2D; // [B, 2]
  y: tf.Tensor2D; // [B, 2] one-hot: inside the circle of radius 0.6 or not
}

/** Points uniform in [-1, 1]^2 labelled by the circle; batch k depends only on (seed, k). */
export class CircleBatches implements BatchSource<CircleBatch> {
  constructor(
    readonly seed: number,
    readonly batchSize = 32,
  ) {}
  batch(step: number): CircleBatch {
    const r = stepRng(this.seed, step);
    const x = new Float32Array(this.batchSize * 2);
    const y = new Float32Array(this.batchSize * 2);
    for (let i = 0; i < this.batchSize; i++) {
      const a = r.uniform(-1, 1);
      const b = r.uniform(-1, 1);
      x[2 * i] = a;
      x[2 * i + 1] = b;
      y[2 * i + (a * a + b * b < 0.36 ? 1 : 0)] = 1;
    }
    return { x: tf.tensor2d(x, [this.batchSize, 2]), y: tf.tensor2d(y, [this.batchSize, 2]) };
  }
  dispose(b: CircleBatch): void {
    tf.dispose([b.x, b.y]);
  }
}

export interface TinyMlpOptions {
  hidden?: number;
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class TinyMlpTask implements TrainTask<CircleBatch> {
  readonly #o: Required<TinyMlpOptions>;
  #w: Record<string, tf.Variable> = {};
  #m: Record<string, tf.Variable> = {};
  #v: Record<string, tf.Variable> = {};
  #t = 0;

  constructor(o: TinyMlpOptions = {}) {
    this.#o = { hidden: 16, lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, ...o };
  }

  init(rng: Rng): void {
    const H = this.#o.hidden;
    const normal = (shape: number[], std: number): tf.Tensor => {
      const n = shape.reduce((a, b) => a * b, 1);
      return tf.tensor(Float32Array.from({ length: n }, () => rng.normal(0, std)), shape);
    };
    this.#w = {
      w1: tf.variable(normal([2, H], 1), true), // [I, H]
      b1: tf.variable(tf.zeros([H]), true), // [H]
      w2: tf.variable(normal([H, 2], 1 / Math.sqrt(H)), true), // [H, C]
      b2: tf.variable(tf.zeros([2]), true), // [C]
    };
    for (const [k, w] of Object.entries(this.#w)) {
      this.#m[k] = tf.variable(tf.zerosLike(w), false);
      this.#v[k] = tf.variable(tf.zerosLike(w), false);
    }
    this.#t = 0;
  }

  /** Logits [B, C] for points [B, I]. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    const w = this.#w as Record<'w1' | 'b1' | 'w2' | 'b2', tf.Variable>;
    const h = tf.tanh(tf.add(tf.matMul(x, w.w1), w.b1)); // [B, H]
    return tf.add(tf.matMul(h, w.w2), w.b2) as tf.Tensor2D; // [B, C]
  }

  step(b: CircleBatch, _ctx: StepContext): StepResult {
    const { lr, beta1, beta2, eps } = this.#o;
    this.#t += 1;
    const t = this.#t;
    let acc = 0;
    const loss = tf.tidy(() => {
      // explicit var list: other models' variables in this process must not be trained
      const { value, grads: byVarName } = tf.variableGrads(() => {
        const logits = this.forward(b.x);
        return tf.losses.softmaxCrossEntropy(b.y, logits) as tf.Scalar;
      }, Object.values(this.#w));
      const grads = Object.fromEntries(Object.entries(this.#w).map(([k, w]) => [k, byVarName[w.name]!]));
      acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(this.forward(b.x), 1), tf.argMax(b.y, 1)), 'float32')).dataSync()[0]!);
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (const [k, g] of Object.entries(grads)) {
        const m = this.#m[k]!;
        const v = this.#v[k]!;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const upd = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        this.#w[k]!.assign(tf.sub(this.#w[k]!, tf.mul(upd, lr)));
      }
      return value.dataSync()[0]!;
    });
    return { loss, metrics: { acc } };
  }

  weights(): NamedTensors {
    return Object.fromEntries(Object.entries(this.#w).map(([k, v]) => [k, v.clone()]));
  }
  loadWeights(w: NamedTensors): void {
    assignNamed(this.#w, w, 'weights');
  }
  optimizerState(): OptimizerState {
    const tensors: NamedTensors = {};
    for (const k of Object.keys(this.#w)) {
      tensors[`${k}/m`] = this.#m[k]!.clone();
      tensors[`${k}/v`] = this.#v[k]!.clone();
    }
    return { step: this.#t, tensors };
  }
  loadOptimizerState(s: OptimizerState): void {
    const vars: Record<string, tf.Variable> = {};
    for (const k of Object.keys(this.#w)) {
      vars[`${k}/m`] = this.#m[k]!;
      vars[`${k}/v`] = this.#v[k]!;
    }
    assignNamed(vars, s.tensors, 'optimizer state');
    this.#t = s.step;
  }
  dispose(): void {
    tf.dispose([...Object.values(this.#w), ...Object.values(this.#m), ...Object.values(this.#v)]);
  }
}
