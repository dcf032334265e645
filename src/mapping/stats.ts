/** Action statistics, normalisation, and clamping to a robot's DoF limits. */
import { LaraError } from '../util/errors.ts';
import type { RobotDescription } from '../robot/description.ts';
import { clampAction, stopAction } from '../robot/limits.ts';
import type { ActionStats, LabelledTransition } from './types.ts';

/** Mean/std/min/max over the rows (each of length A). std is floored at 1e-6. */
export function computeStats(rows: readonly Float32Array[]): ActionStats {
  if (rows.length === 0) throw new LaraError('action statistics: no actions', { expected: 'at least one labelled transition' });
  const a = rows[0]!.length;
  const mean = new Array<number>(a).fill(0);
  const sq = new Array<number>(a).fill(0);
  const min = new Array<number>(a).fill(Infinity);
  const max = new Array<number>(a).fill(-Infinity);
  for (const r of rows) {
    for (let j = 0; j < a; j++) {
      const v = r[j]!;
      mean[j]! += v;
      sq[j]! += v * v;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  const n = rows.length;
  const std = mean.map((s, j) => Math.max(1e-6, Math.sqrt(Math.max(0, sq[j]! / n - (s / n) ** 2))));
  return { mean: mean.map((s) => s / n), std, min, max };
}

export function normalise(u: ArrayLike<number>, s: ActionStats): Float32Array {
  const out = new Float32Array(u.length);
  for (let j = 0; j < u.length; j++) out[j] = (u[j]! - s.mean[j]!) / s.std[j]!;
  return out;
}

export function denormalise(z: ArrayLike<number>, s: ActionStats): Float32Array {
  const out = new Float32Array(z.length);
  for (let j = 0; j < z.length; j++) out[j] = z[j]! * s.std[j]! + s.mean[j]!;
  return out;
}

/** Clamp to the robot's [min, max] (robot/limits.ts; non-finite values become the stop value). */
export function clampToRobot(u: Float32Array, robot: RobotDescription): Float32Array {
  return clampAction(robot, u).action;
}

export { stopAction };

/** Check labelled transitions against a robot and code count; returns S (state dim, 0 if none). */
export function checkTransitions(samples: readonly LabelledTransition[], robot: RobotDescription, codes: number, needState: boolean): number {
  if (samples.length === 0) throw new LaraError('fit mapping: no labelled transitions', { expected: 'at least one (x_t, u_t, code) sample' });
  const a = robot.dof.length;
  const s0 = samples[0]!.state?.length ?? 0;
  samples.forEach((t, i) => {
    if (!Number.isInteger(t.code) || t.code < 0 || t.code >= codes) throw new LaraError('fit mapping: code out of range', { where: `transition ${i}`, expected: `an integer in [0, ${codes})`, got: String(t.code) });
    if (t.action.length !== a) throw new LaraError(`fit mapping: action length does not match robot '${robot.name}'`, { where: `transition ${i}`, expected: `${a} DoF (${robot.dof.map((d) => d.name).join(', ')})`, got: `${t.action.length}` });
    if (needState && (t.state?.length ?? 0) !== s0) throw new LaraError('fit mapping: state length differs between transitions', { where: `transition ${i}`, expected: String(s0), got: String(t.state?.length ?? 0) });
  });
  if (needState && s0 === 0) throw new LaraError('fit mapping: this mapping kind is conditioned on proprioception but the transitions carry no state', { expected: 'transitions with state (or use --kind dictionary)' });
  return needState ? s0 : 0;
}
