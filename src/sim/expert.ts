/**
 * A scripted expert for the tabletop tasks. It reads the privileged scene (not the image) and
 * returns native tabletop-sim actions; it is closed-loop and stateless, so it recovers from its
 * own noise: every step it re-decides what to do from where the gripper and blocks are now.
 */
import type { Rng } from '../util/rng.ts';
import { wrapAngle } from '../robot/angles.ts';
import type { TabletopConfig } from './config.ts';
import { FINGER_R } from './physics.ts';
import { blockIndex, zoneIndex, type Scene } from './scene.ts';
import type { Task } from './tasks.ts';

export interface ExpertOptions {
  /** Std of Gaussian noise added to world_vector and yaw (action units). */
  noise?: number;
  /** Probability per step of a uniformly random motion instead of the expert's. */
  randomProb?: number;
}

/** What the expert needs to see: the env's scene, task and config (TabletopEnv provides them). */
export interface ExpertView {
  readonly scene: Scene;
  readonly task: Task;
  readonly config: TabletopConfig;
  readonly success: boolean;
}

const clamp1 = (v: number) => Math.max(-1, Math.min(1, v));
const clampYaw = (v: number) => Math.max(-Math.PI / 2, Math.min(Math.PI / 2, v));
/** Fraction of full speed the expert moves at (leaves headroom for noise). */
const SPEED = 0.8;

export class ScriptedExpert {
  readonly noise: number;
  readonly randomProb: number;
  #rng: Rng;

  constructor(rng: Rng, opts: ExpertOptions = {}) {
    this.#rng = rng;
    this.noise = opts.noise ?? 0;
    this.randomProb = opts.randomProb ?? 0;
  }

  /** The next action for the env's current state, [8] in the tabletop-sim layout. */
  act(env: ExpertView): Float32Array {
    const a = new Float32Array(8);
    if (env.success) {
      a[7] = 1; // terminate
      return a;
    }
    const plan = this.#plan(env);
    const c = env.config;
    const g = env.scene.gripper;
    // proportional control, decelerating within ~1.5 steps of the target, at most SPEED of full speed
    for (let k = 0; k < 3; k++) a[k] = SPEED * clamp1((plan.to[k]! - [g.x, g.y, g.z][k]!) / (1.5 * SPEED * c.maxMove));
    // move up before travelling sideways when low (avoid sweeping other blocks)
    if (plan.liftFirst && g.z < plan.to[2] - 0.01) {
      a[0] = a[0]! * 0.2;
      a[1] = a[1]! * 0.2;
    }
    if (plan.yaw !== undefined && c.yawScale > 0) a[5] = clampYaw((SPEED * wrapAngle(plan.yaw - g.yaw)) / c.yawScale);
    a[6] = plan.grip;
    if (this.randomProb > 0 && this.#rng.next() < this.randomProb) {
      for (const k of [0, 1, 2]) a[k] = this.#rng.uniform(-1, 1);
      a[5] = this.#rng.uniform(-1, 1);
    }
    if (this.noise > 0) {
      for (const k of [0, 1, 2]) a[k] = clamp1(a[k]! + this.#rng.normal(0, this.noise));
      a[5] = clampYaw(a[5]! + this.#rng.normal(0, this.noise));
    }
    return a;
  }

  #plan(env: ExpertView): { to: [number, number, number]; yaw?: number; grip: number; liftFirst?: boolean } {
    const { scene: s, task, config: c } = env;
    const g = s.gripper;
    const bi = blockIndex(s, task.block);
    const b = s.blocks[bi]!;
    const top = c.blockHeight;
    const safeZ = top + 0.035;
    if (task.kind === 'reach') return { to: [b.x, b.y, b.z + top + 0.012], grip: 0, liftFirst: true };

    const zone = s.zones[zoneIndex(s, task.zone!)]!;
    const dxy = (x: number, y: number) => Math.hypot(g.x - x, g.y - y);

    if (task.kind === 'push') {
      const ex = zone.x - b.x, ey = zone.y - b.y;
      const dist = Math.hypot(ex, ey);
      const dx = ex / (dist || 1), dy = ey / (dist || 1);
      // the block's extent along d, plus the finger and a small gap
      const ext = (c.blockSize / 2) * (Math.abs(Math.cos(b.yaw) * dx + Math.sin(b.yaw) * dy) + Math.abs(-Math.sin(b.yaw) * dx + Math.cos(b.yaw) * dy));
      const stand = ext + FINGER_R + 0.006;
      const pre: [number, number] = [b.x - dx * (stand + 0.01), b.y - dy * (stand + 0.01)];
      const rx = g.x - b.x, ry = g.y - b.y;
      const along = rx * dx + ry * dy;
      const lateral = -dy * rx + dx * ry;
      const pushZ = 0.012;
      const low = g.z < top;
      const behind = along < -(ext + FINGER_R - 0.006) && along > -(stand + 0.03) && Math.abs(lateral) < 0.013;
      // fingers closed and across the push direction make a flat pusher
      const yaw = Math.atan2(dy, dx) + Math.PI / 2;
      const yawNear = g.yaw + wrapAngle(2 * (yaw - g.yaw)) / 2; // either finger order
      if (low && behind) {
        const speed = Math.min(1, Math.max(0.35, dist / 0.05)) * c.maxMove;
        // drive through the block toward the zone, correcting the lateral offset
        return { to: [g.x + dx * speed - (-dy) * lateral * 0.5, g.y + dy * speed - dx * lateral * 0.5, pushZ], yaw: yawNear, grip: 1 };
      }
      if (low && dxy(pre[0], pre[1]) > 0.012) return { to: [g.x, g.y, safeZ], yaw: yawNear, grip: 1 }; // retreat upward
      if (dxy(pre[0], pre[1]) > 0.008) return { to: [pre[0], pre[1], safeZ], yaw: yawNear, grip: 1, liftFirst: true };
      return { to: [pre[0], pre[1], pushZ], yaw: yawNear, grip: 1 };
    }

    // pick-place
    const graspZ = 0.012;
    const carryZ = top + 0.06;
    if (g.held === bi) {
      // carry high to the zone, then lower while centring (hysteresis: once low, stay low)
      const d = dxy(zone.x, zone.y);
      const placeZ = g.holdZ + 0.008;
      if (d > (g.z < carryZ - 0.02 ? 0.025 : 0.01)) return { to: [zone.x, zone.y, carryZ], grip: 1, liftFirst: true };
      if (g.z > placeZ + 0.004 || d > 0.012) return { to: [zone.x, zone.y, placeZ], grip: 1 };
      return { to: [zone.x, zone.y, g.z], grip: -1 };
    }
    if (g.held >= 0) return { to: [g.x, g.y, g.z], grip: -1 }; // holding the wrong block: drop it
    // block released in the zone and falling / landed: back off upward
    if (s.lifted[bi] && b.z > 0) return { to: [g.x, g.y, carryZ], grip: -1 };
    const q = Math.PI / 2;
    const yaw = b.yaw + q * Math.round((g.yaw - b.yaw) / q); // nearest grasp orientation
    const d = dxy(b.x, b.y);
    const open = g.closedness > 0.02 ? -1 : 0;
    // travel above the blocks; once low over the block, keep descending while centring
    if (d > (g.z < safeZ - 0.01 ? 0.02 : 0.008)) {
      if (g.z < top + 0.005) return { to: [g.x, g.y, safeZ], yaw, grip: open };
      return { to: [b.x, b.y, safeZ], yaw, grip: open, liftFirst: true };
    }
    if (g.z > graspZ + 0.004 || d > 0.007 || open < 0 || Math.abs(wrapAngle(yaw - g.yaw)) > 0.25) return { to: [b.x, b.y, graspZ], yaw, grip: open };
    return { to: [b.x, b.y, graspZ], yaw, grip: 1 };
  }
}
