/** Test helpers: a tabletop env with a hand-made layout, and action builders. */
import { TabletopEnv, type TabletopOptions } from '../../src/sim/tabletop.ts';

/** Action in the tabletop-sim layout: [x, y, z, roll, pitch, yaw, gripper, terminate]. */
export function act(x = 0, y = 0, z = 0, gripper = 0, yaw = 0, terminate = 0): Float32Array {
  return Float32Array.from([x, y, z, 0, 0, yaw, gripper, terminate]);
}

/**
 * Reset with an instruction, then lay the scene out by hand: the task's block at `block`, the
 * task's zone (if any) at `zone`, other blocks and zones parked in far corners, gripper at `grip`.
 */
export function layout(
  instruction: string,
  o: { block: [number, number]; zone?: [number, number]; grip: [number, number, number]; yaw?: number; closedness?: number },
  opts: TabletopOptions = {},
): TabletopEnv {
  const env = new TabletopEnv({ endOnSuccess: true, ...opts });
  env.reset(1, instruction);
  const s = env.scene;
  const task = env.task;
  const corners: [number, number][] = [[-0.19, 0.19], [0.19, 0.19], [-0.19, -0.19], [0.19, -0.19]];
  let k = 0;
  for (const b of s.blocks) {
    const [x, y] = b.color === task.block ? o.block : corners[k++]!;
    Object.assign(b, { x, y, z: 0, yaw: 0, vz: 0 });
  }
  let zk = 0;
  const zoneSpots: [number, number][] = [[-0.17, -0.02], [0.0, -0.17]];
  for (const z of s.zones) {
    const [x, y] = task.zone === z.color && o.zone ? o.zone : zoneSpots[zk++]!;
    Object.assign(z, { x, y });
  }
  Object.assign(s.gripper, { x: o.grip[0], y: o.grip[1], z: o.grip[2], yaw: o.yaw ?? 0, closedness: o.closedness ?? 0, held: -1 });
  return env;
}

/** Step `n` times with the same action (stops early when the episode ends). */
export function repeat(env: TabletopEnv, a: Float32Array, n: number): { success: boolean; done: boolean } {
  let last = { success: false, done: false };
  for (let i = 0; i < n && !env.done; i++) last = env.step(a);
  return last;
}
