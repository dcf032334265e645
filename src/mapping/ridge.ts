/**
 * Observation-conditioned linear mapping: ridge regression (mathjs) from
 * [one-hot(code) | one-hot(code) ⊗ normalised state] to the normalised native action.
 * Dimension legend: N samples, F = K*(S+1) features, A action dims.
 */
import { lup, lusolve, type Matrix } from 'mathjs';
import type { RobotDescription } from '../robot/description.ts';
import type { Rng } from '../util/rng.ts';
import { LaraError } from '../util/errors.ts';
import { mappingFeatures } from './features.ts';
import { checkTransitions, clampToRobot, computeStats, denormalise, normalise } from './stats.ts';
import type { LabelledTransition, LatentMapping, MappingHeader, MappingQuery } from './types.ts';

export interface RidgeState {
  /** L2 penalty λ on the weights (features and targets are normalised). */
  lambda: number;
  /** Weights [F][A] mapping features to normalised actions. */
  weights: number[][];
  /** Per-dim state mean/std used to normalise the state inputs (length S). */
  stateMean: number[];
  stateStd: number[];
}

export class RidgeMapping implements LatentMapping {
  readonly header: MappingHeader;
  readonly state: RidgeState;
  #robot: RobotDescription;

  constructor(header: MappingHeader, state: RidgeState, robot: RobotDescription) {
    this.header = header;
    this.state = state;
    this.#robot = robot;
  }

  static fit(samples: readonly LabelledTransition[], robot: RobotDescription, codes: number, lambda = 1e-2, useState = true): RidgeMapping {
    const s = checkTransitions(samples, robot, codes, useState);
    const stats = computeStats(samples.map((t) => t.action));
    const stStats = s > 0 ? computeStats(samples.map((t) => t.state!)) : { mean: [], std: [] };
    const f = codes * (s + 1);
    const a = robot.dof.length;
    // normal equations: (XᵀX + λI) W = XᵀY    // [F, F] W[F, A] = [F, A]
    const xtx = Array.from({ length: f }, () => new Array<number>(f).fill(0));
    const xty = Array.from({ length: f }, () => new Array<number>(a).fill(0));
    for (const t of samples) {
      const x = mappingFeatures(t.code, t.state, codes, s, stStats.mean, stStats.std); // [F]
      const y = normalise(t.action, stats); // [A]
      for (let i = 0; i < f; i++) {
        const xi = x[i]!;
        if (xi === 0) continue;
        for (let j = 0; j < f; j++) xtx[i]![j]! += xi * x[j]!;
        for (let j = 0; j < a; j++) xty[i]![j]! += xi * y[j]!;
      }
    }
    for (let i = 0; i < f; i++) xtx[i]![i]! += lambda;
    let weights: number[][];
    try {
      const lu = lup(xtx);
      const cols = Array.from({ length: a }, (_, j) => (lusolve(lu, xty.map((r) => [r[j]!])) as Matrix | number[][]));
      const colArr = cols.map((c) => (Array.isArray(c) ? c : (c.toArray() as number[][])).map((r) => Number(r[0])));
      weights = Array.from({ length: f }, (_, i) => colArr.map((c) => c[i]!));
    } catch (e) {
      throw new LaraError(`fit mapping: ridge system could not be solved (${(e as Error).message})`, { expected: 'lambda > 0' });
    }
    const header: MappingHeader = {
      format: 'lara-mapping', version: 1, kind: 'ridge', robot: robot.name, dofNames: robot.dof.map((d) => d.name),
      codes, actionDim: a, stateDim: s, fittedOn: samples.length, stats,
    };
    return new RidgeMapping(header, { lambda, weights, stateMean: stStats.mean, stateStd: stStats.std }, robot);
  }

  /** The normalised prediction for a query, before clamping. */
  predictNormalised(q: MappingQuery): Float32Array {
    const h = this.header;
    const x = mappingFeatures(q.code, q.state, h.codes, h.stateDim, this.state.stateMean, this.state.stateStd);
    const out = new Float32Array(h.actionDim);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      const w = this.state.weights[i]!;
      for (let j = 0; j < out.length; j++) out[j]! += xi * w[j]!;
    }
    return out;
  }

  map(q: MappingQuery, _rng: Rng): Float32Array {
    if (this.header.stateDim > 0 && (q.state?.length ?? 0) !== this.header.stateDim) {
      throw new LaraError('ridge mapping: query state has the wrong length', { expected: String(this.header.stateDim), got: String(q.state?.length ?? 0) });
    }
    return clampToRobot(denormalise(this.predictNormalised(q), this.header.stats), this.#robot);
  }
}
