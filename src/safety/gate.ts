/**
 * Command gating: the one place an outgoing command is decided. A requested action passes
 * through the robot's limits and rate limits (src/robot/limits.ts clampAction, against the last
 * applied command); a stop request (watchdog, e-stop, shutdown) yields the robot's stop action
 * immediately, without rate limiting. While the e-stop latch is engaged every request becomes a
 * stop. After a stop, motion resumes rate-limited from the stop values.
 */
import type { RobotDescription } from '../robot/description.ts';
import { clampAction, stopAction } from '../robot/limits.ts';
import type { EStopLatch } from './estop.ts';
import type { StopReason } from './watchdog.ts';

export interface GateResult {
  /** The command to send. */
  action: Float32Array;
  /** Set when this is a stop, and why. */
  stop?: StopReason;
  /** Per DoF, whether the request was changed by clamping (all false for stops). */
  clamped: boolean[];
}

export class CommandGate {
  readonly desc: RobotDescription;
  readonly #estop: EStopLatch;
  readonly #stop: Float32Array;
  #prev: Float32Array | undefined;

  constructor(desc: RobotDescription, estop: EStopLatch) {
    this.desc = desc;
    this.#estop = estop;
    this.#stop = stopAction(desc);
  }

  /** The last command decided (undefined before the first). */
  get last(): Float32Array | undefined {
    return this.#prev;
  }

  /** Gate an agent's requested action. */
  request(action: ArrayLike<number>): GateResult {
    if (this.#estop.engaged) return this.stop('estop');
    const r = clampAction(this.desc, action, this.#prev);
    // clampAction works in float32; a limit such as pi/2 rounds *up* in float32, so step such
    // values down to the nearest float32 inside the float64 limits published on the wire.
    this.desc.dof.forEach((d, i) => (r.action[i] = f32Within(r.action[i]!, d.min, d.max)));
    this.#prev = r.action;
    return { action: r.action, clamped: r.clamped };
  }

  /** A stop command. */
  stop(reason: StopReason): GateResult {
    this.#prev = Float32Array.from(this.#stop);
    return { action: Float32Array.from(this.#stop), stop: reason, clamped: new Array<boolean>(this.#stop.length).fill(false) };
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 value nearest to v that lies within [lo, hi] as a float64 comparison. */
export function f32Within(v: number, lo: number, hi: number): number {
  f32[0] = v;
  while (f32[0]! > hi) u32[0] = f32[0]! > 0 ? u32[0]! - 1 : u32[0]! + 1;
  while (f32[0]! < lo) u32[0] = f32[0]! < 0 ? u32[0]! - 1 : u32[0]! + 1;
  return f32[0]!;
}
