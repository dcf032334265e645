/**
 * Safety: clamp a native action to a robot's limits and rate limits before it is sent, and the
 * action that means "stop / hold". Like lerobot's send_action, callers get back the action
 * actually sent plus which dimensions were changed.
 */
import { LaraError } from '../util/errors.ts';
import type { RobotDescription } from './description.ts';

export interface ClampResult {
  /** The action to send: within [min, max] and within maxDelta of `prev` for each DoF. */
  action: Float32Array;
  /** Per DoF: true where the requested value was changed (out of range, rate-limited or not finite). */
  clamped: boolean[];
}

/**
 * Clamp `action` to the limits of `desc`. With `prev` (the action sent last period), DoF with a
 * maxDelta move at most maxDelta from their previous value. Non-finite values become the DoF's
 * stop value (or prev's value when rate-limited) and count as clamped.
 */
export function clampAction(desc: RobotDescription, action: ArrayLike<number>, prev?: ArrayLike<number>): ClampResult {
  const n = desc.dof.length;
  if (action.length !== n) {
    throw new LaraError(`action for robot '${desc.name}' has the wrong length`, { expected: `${n} values (${desc.dof.map((d) => d.name).join(', ')})`, got: String(action.length) });
  }
  if (prev && prev.length !== n) {
    throw new LaraError(`previous action for robot '${desc.name}' has the wrong length`, { expected: `${n} values`, got: String(prev.length) });
  }
  const out = new Float32Array(n);
  const clamped: boolean[] = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const d = desc.dof[i]!;
    const req = action[i]!;
    let v = Number.isFinite(req) ? req : (d.stop ?? 0);
    let lo = d.min;
    let hi = d.max;
    const p = prev?.[i];
    if (d.maxDelta !== undefined && p !== undefined && Number.isFinite(p)) {
      lo = Math.max(lo, p - d.maxDelta);
      hi = Math.min(hi, p + d.maxDelta);
      if (lo > hi) lo = hi = Math.min(d.max, Math.max(d.min, p)); // prev itself was out of range
    }
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    out[i] = f32Within(v, lo, hi);
    // compare in float32 so that representable requests are not reported as clamped
    clamped[i] = !Number.isFinite(req) || Math.fround(req) !== out[i];
  }
  return { action: out, clamped };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** v rounded to float32 without leaving [lo, hi] (e.g. fround(pi/2) > pi/2: step one ulp inward). */
function f32Within(v: number, lo: number, hi: number): number {
  f32[0] = v;
  const f = f32[0]!;
  if (f > hi || f < lo) {
    // step the float32 toward zero-magnitude side that re-enters the range
    const up = f < lo;
    u32[0] = f >= 0 === up ? u32[0]! + 1 : u32[0]! - 1;
  }
  return f32[0]!;
}

/** The action that stops the robot: each DoF's stop value (default 0). */
export function stopAction(desc: RobotDescription): Float32Array {
  return Float32Array.from(desc.dof, (d) => d.stop ?? 0);
}

/**
 * A stop that respects rate limits: from `prev`, move every DoF toward its stop value by at most
 * its maxDelta. Call once per period until it equals stopAction(desc).
 */
export function rampToStop(desc: RobotDescription, prev: ArrayLike<number>): Float32Array {
  return clampAction(desc, stopAction(desc), prev).action;
}
