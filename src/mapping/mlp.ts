/**
 * Observation-conditioned MLP mapping (LAPO-style decoder): a small tfjs MLP from
 * [one-hot(code) | normalised state] to the normalised native action, trained with Adam and an
 * L2 penalty on the labelled set. Weights are kept as plain arrays so the mapping saves
 * as JSON and runs without tfjs at inference time.
 * Dimension legend: N samples, I = K+S inputs, H hidden units, A action dims.
 */
import { tf } from '../backend/tf.ts';
import type { RobotDescription } from '../robot/description.ts';
import { Rng } from '../util/rng.ts';
import { LaraError } from '../util/errors.ts';
import { checkTransitions, clampToRobot, computeStats, denormalise, normalise } from './stats.ts';
import type { LabelledTransition, LatentMapping, MappingHeader, MappingQuery } from './types.ts';

export interface MlpOptions {
  hidden: number;
  steps: number;
  lr: number;
  weightDecay: number;
  seed: number;
}
export const defaultMlpOptions: MlpOptions = { hidden: 64, steps: 600, lr: 3e-3, weightDecay: 1e-4, seed: 0 };

export interface MlpState {
  hidden: number;
  /** Layers as [in][out] weights and [out] biases: I->H, H->H, H->A (tanh between). */
  layers: { w: number[][]; b: number[] }[];
  stateMean: number[];
  stateStd: number[];
}

function inputRow(code: number, state: ArrayLike<number> | undefined, codes: number, s: number, mean: readonly number[], std: readonly number[]): Float32Array {
  const x = new Float32Array(codes + s); // [I]
  x[code] = 1;
  for (let j = 0; j < s; j++) x[codes + j] = ((state?.[j] ?? 0) - mean[j]!) / std[j]!;
  return x;
}

function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanIn * fanOut }, () => rng.uniform(-lim, lim));
}

export class MlpMapping implements LatentMapping {
  readonly header: MappingHeader;
  readonly state: MlpState;
  #robot: RobotDescription;

  constructor(header: MappingHeader, state: MlpState, robot: RobotDescription) {
    this.header = header;
    this.state = state;
    this.#robot = robot;
  }

  static async fit(samples: readonly LabelledTransition[], robot: RobotDescription, codes: number, opts: Partial<MlpOptions> = {}, useState = true): Promise<MlpMapping> {
    const o = { ...defaultMlpOptions, ...opts };
    const s = checkTransitions(samples, robot, codes, useState);
    const stats = computeStats(samples.map((t) => t.action));
    const st = s > 0 ? computeStats(samples.map((t) => t.state!)) : { mean: [], std: [] };
    const n = samples.length;
    const inDim = codes + s;
    const a = robot.dof.length;
    const xs = new Float32Array(n * inDim);
    const ys = new Float32Array(n * a);
    samples.forEach((t, i) => {
      xs.set(inputRow(t.code, t.state, codes, s, st.mean, st.std), i * inDim);
      ys.set(normalise(t.action, stats), i * a);
    });
    const rng = Rng.seeded(o.seed);
    const dims = [inDim, o.hidden, o.hidden, a];
    const vars = dims.slice(1).map((out, l) => ({
      w: tf.variable(tf.tensor2d(glorot(rng, dims[l]!, out), [dims[l]!, out])),
      b: tf.variable(tf.zeros([out])),
    }));
    const x = tf.tensor2d(xs, [n, inDim]); // [N, I]
    const y = tf.tensor2d(ys, [n, a]); // [N, A]
    const optimizer = tf.train.adam(o.lr);
    const forward = (inp: tf.Tensor2D): tf.Tensor2D => {
      let h: tf.Tensor2D = inp;
      vars.forEach((v, l) => {
        h = tf.add(tf.matMul(h, v.w), v.b) as tf.Tensor2D; // [N, out]
        if (l < vars.length - 1) h = tf.tanh(h);
      });
      return h;
    };
    let last = NaN;
    for (let step = 0; step < o.steps; step++) {
      const cost = optimizer.minimize(() => {
        const mse = tf.losses.meanSquaredError(y, forward(x)) as tf.Scalar;
        const l2 = vars.reduce<tf.Scalar>((acc, v) => tf.add(acc, tf.sum(tf.square(v.w))) as tf.Scalar, tf.scalar(0));
        return tf.add(mse, tf.mul(o.weightDecay, l2)) as tf.Scalar;
      }, true);
      if (step === o.steps - 1 && cost) last = (await cost.data())[0]!;
      cost?.dispose();
    }
    if (!Number.isFinite(last)) throw new LaraError('fit mapping: MLP training diverged', { expected: 'a finite loss (try a lower mapping.lr)', got: String(last) });
    const layers = await Promise.all(vars.map(async (v) => ({ w: (await v.w.array()) as number[][], b: Array.from(await v.b.data()) })));
    tf.dispose([x, y, ...vars.flatMap((v) => [v.w, v.b])]);
    optimizer.dispose();
    const header: MappingHeader = {
      format: 'lara-mapping', version: 1, kind: 'mlp', robot: robot.name, dofNames: robot.dof.map((d) => d.name),
      codes, actionDim: a, stateDim: s, fittedOn: n, stats,
    };
    return new MlpMapping(header, { hidden: o.hidden, layers, stateMean: st.mean, stateStd: st.std }, robot);
  }

  /** Forward pass in plain JS (tiny network; no tfjs needed at run time). */
  predictNormalised(q: MappingQuery): Float32Array {
    const h = this.header;
    let v: Float32Array = inputRow(q.code, q.state, h.codes, h.stateDim, this.state.stateMean, this.state.stateStd);
    this.state.layers.forEach((layer, l) => {
      const out = Float32Array.from(layer.b);
      for (let i = 0; i < v.length; i++) {
        const vi = v[i]!;
        if (vi === 0) continue;
        const row = layer.w[i]!;
        for (let j = 0; j < out.length; j++) out[j]! += vi * row[j]!;
      }
      v = l < this.state.layers.length - 1 ? out.map(Math.tanh) : out;
    });
    return v;
  }

  map(q: MappingQuery, _rng: Rng): Float32Array {
    if (this.header.stateDim > 0 && (q.state?.length ?? 0) !== this.header.stateDim) {
      throw new LaraError('mlp mapping: query state has the wrong length', { expected: String(this.header.stateDim), got: String(q.state?.length ?? 0) });
    }
    return clampToRobot(denormalise(this.predictNormalised(q), this.header.stats), this.#robot);
  }
}
