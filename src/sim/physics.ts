/**
 * Deterministic quasi-static 2.5D physics for the tabletop: the gripper is kinematic; blocks do
 * not slide on their own (high friction) and move only when pushed by a finger or another block,
 * turning with off-centre pushes; a held block follows the gripper; a released block falls.
 * Fingers and blocks collide only below the block height. Plain JS arithmetic, no WASM, so the
 * same seed and actions give bit-identical states on every run.
 */
import type { TabletopConfig } from './config.ts';
import type { Block, Gripper, Scene } from './scene.ts';

const GRAVITY = 9.81;
/** Finger radius (m): each finger is a vertical cylinder. */
export const FINGER_R = 0.008;
/** Rotation per unit of off-centre push (dimensionless). */
const TORQUE_GAIN = 0.4;

/** Distance between finger centres for a closedness in [0, 1]. */
export function fingerSeparation(cfg: TabletopConfig, closedness: number): number {
  const open = cfg.blockSize * 2.2;
  const closed = 2 * FINGER_R;
  return open + (closed - open) * closedness;
}

/** Closedness at which the fingers touch a block held square between them. */
export function graspClosedness(cfg: TabletopConfig): number {
  const open = cfg.blockSize * 2.2;
  return (open - (cfg.blockSize + 2 * FINGER_R)) / (open - 2 * FINGER_R);
}

/** World xy of the two fingers. */
export function fingerPositions(g: Gripper, cfg: TabletopConfig): [[number, number], [number, number]] {
  const s = fingerSeparation(cfg, g.closedness) / 2;
  const c = Math.cos(g.yaw), n = Math.sin(g.yaw);
  return [[g.x - c * s, g.y - n * s], [g.x + c * s, g.y + n * s]];
}

/** Lowest fingertip height allowed: the table, or the grasp height while holding. */
function minGripperZ(g: Gripper): number {
  return g.held >= 0 ? g.holdZ : 0.005;
}

/**
 * Push block `b` out of a disc at (cx, cy) of radius r. Returns the penetration depth that was
 * resolved (0 when not touching).
 */
export function pushBlockFromDisc(b: Block, half: number, cx: number, cy: number, r: number): number {
  const c = Math.cos(b.yaw), s = Math.sin(b.yaw);
  const dx = cx - b.x, dy = cy - b.y;
  const lx = c * dx + s * dy; // disc centre in block frame
  const ly = -s * dx + c * dy;
  const qx = Math.max(-half, Math.min(half, lx));
  const qy = Math.max(-half, Math.min(half, ly));
  let nx = lx - qx, ny = ly - qy;
  const d = Math.hypot(nx, ny);
  if (d >= r) return 0;
  let depth: number;
  if (d > 1e-12) {
    nx /= d; ny /= d;
    depth = r - d;
  } else {
    const px = half - Math.abs(lx), py = half - Math.abs(ly);
    if (px < py) { nx = Math.sign(lx) || 1; ny = 0; depth = px + r; } else { nx = 0; ny = Math.sign(ly) || 1; depth = py + r; }
  }
  // move the block away from the disc: -n * depth (local), rotated into the world
  const mx = -nx * depth, my = -ny * depth;
  b.x += c * mx - s * my;
  b.y += s * mx + c * my;
  // off-centre push turns the block: torque ~ contact point x push
  const torque = qx * my - qy * mx;
  b.yaw += Math.max(-0.05, Math.min(0.05, (TORQUE_GAIN * torque) / (half * half)));
  return depth;
}

/** Keep block centres on the table. */
function clampToTable(b: Block, cfg: TabletopConfig): void {
  const lim = cfg.tableHalf - cfg.blockSize / 2;
  b.x = Math.max(-lim, Math.min(lim, b.x));
  b.y = Math.max(-lim, Math.min(lim, b.y));
}

/** Separate overlapping low blocks (approximated as discs). */
function separateBlocks(s: Scene, cfg: TabletopConfig): void {
  const r2 = cfg.blockSize * 1.1; // centre distance at contact
  const bl = s.blocks;
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 0; i < bl.length; i++) {
      for (let j = i + 1; j < bl.length; j++) {
        const a = bl[i]!, b = bl[j]!;
        if (a.z > cfg.blockHeight * 0.8 || b.z > cfg.blockHeight * 0.8) continue;
        let dx = b.x - a.x, dy = b.y - a.y;
        let d = Math.hypot(dx, dy);
        if (d >= r2) continue;
        if (d < 1e-9) { dx = 1; dy = 0; d = 1; }
        const push = (r2 - d) / 2;
        const aFixed = s.gripper.held === i, bFixed = s.gripper.held === j;
        const ka = aFixed ? 0 : bFixed ? 2 : 1, kb = bFixed ? 0 : aFixed ? 2 : 1;
        a.x -= (dx / d) * push * ka; a.y -= (dy / d) * push * ka;
        b.x += (dx / d) * push * kb; b.y += (dy / d) * push * kb;
        clampToTable(a, cfg);
        clampToTable(b, cfg);
      }
    }
  }
}

/** Which block, if any, sits between the open fingers low enough to be grasped. */
function graspCandidate(s: Scene, cfg: TabletopConfig): number {
  const g = s.gripper;
  if (g.z > cfg.blockHeight * 0.75) return -1;
  const c = Math.cos(g.yaw), n = Math.sin(g.yaw);
  const half = fingerSeparation(cfg, g.closedness) / 2 - FINGER_R;
  let best = -1, bestD = Infinity;
  s.blocks.forEach((b, i) => {
    if (b.z > 0.001) return;
    const dx = b.x - g.x, dy = b.y - g.y;
    const along = c * dx + n * dy; // along the finger axis
    const across = -n * dx + c * dy;
    if (Math.abs(along) < Math.max(0.004, half - cfg.blockSize / 2 + 0.01) && Math.abs(across) < cfg.blockSize * 0.4 && Math.hypot(dx, dy) < bestD) {
      best = i;
      bestD = Math.hypot(dx, dy);
    }
  });
  return best;
}

/** Snap yaw a to the nearest of b + k*pi/2. */
function alignedYaw(blockYaw: number, gripperYaw: number): number {
  const q = Math.PI / 2;
  return gripperYaw + q * Math.round((blockYaw - gripperYaw) / q) ;
}

/** Place the held block under the gripper. */
function carryHeld(s: Scene, cfg: TabletopConfig, dyaw: number): void {
  const g = s.gripper;
  const b = s.blocks[g.held]!;
  b.x = g.x - Math.sin(g.yaw) * g.holdY;
  b.y = g.y + Math.cos(g.yaw) * g.holdY;
  b.z = Math.max(0, g.z - g.holdZ);
  b.yaw += dyaw;
  b.vz = 0;
  if (b.z > 0.02) s.lifted[g.held] = true;
  clampToTable(b, cfg);
}

/**
 * Advance the scene by one action: gripper velocity (m per step), yaw change (rad per step) and
 * closedness change per step, spread evenly over cfg.substeps physics sub-steps.
 */
export function stepPhysics(s: Scene, cfg: TabletopConfig, move: [number, number, number], dyaw: number, dclose: number): void {
  const n = cfg.substeps;
  const dt = 1 / (cfg.rateHz * n);
  const g = s.gripper;
  const half = cfg.blockSize / 2;
  const reach = cfg.tableHalf + 0.04;
  const gc = graspClosedness(cfg);
  for (let k = 0; k < n; k++) {
    g.x = Math.max(-reach, Math.min(reach, g.x + move[0] / n));
    g.y = Math.max(-reach, Math.min(reach, g.y + move[1] / n));
    g.z = Math.max(minGripperZ(g), Math.min(cfg.maxHeight, g.z + move[2] / n));
    g.yaw += dyaw / n;

    // gripper: closing may grasp; opening past the grasp point releases
    let c = Math.max(0, Math.min(1, g.closedness + dclose / n));
    if (g.held >= 0) {
      if (c < gc - 0.05) {
        g.held = -1;
      } else {
        c = Math.min(c, gc);
      }
    } else if (dclose > 0 && c >= gc && g.closedness < gc + 1e-9) {
      const i = graspCandidate(s, cfg);
      if (i >= 0) {
        const b = s.blocks[i]!;
        const cs = Math.cos(g.yaw), sn = Math.sin(g.yaw);
        g.held = i;
        g.holdY = -sn * (b.x - g.x) + cs * (b.y - g.y);
        g.holdZ = g.z - b.z;
        b.yaw = alignedYaw(b.yaw, g.yaw);
        c = gc;
      }
    }
    g.closedness = c;
    if (g.held >= 0) carryHeld(s, cfg, dyaw / n);

    // fingers (and a carried block) push the low blocks they touch
    if (g.z < cfg.blockHeight) {
      for (const [fx, fy] of fingerPositions(g, cfg)) {
        s.blocks.forEach((b, i) => {
          if (i !== g.held && b.z < cfg.blockHeight * 0.8) pushBlockFromDisc(b, half, fx, fy, FINGER_R);
        });
      }
    }
    for (const b of s.blocks) clampToTable(b, cfg);
    separateBlocks(s, cfg);
    // a block stuck against the wall pushes the fingers back out
    if (g.z < cfg.blockHeight) {
      for (const [fx, fy] of fingerPositions(g, cfg)) {
        s.blocks.forEach((b, i) => {
          if (i === g.held || b.z >= cfg.blockHeight * 0.8) return;
          const probe: Block = { ...b };
          const depth = pushBlockFromDisc(probe, half, fx, fy, FINGER_R);
          if (depth > 1e-6) {
            // move the gripper by the opposite of the block's would-be motion
            g.x -= probe.x - b.x;
            g.y -= probe.y - b.y;
          }
        });
      }
    }

    // falling blocks
    s.blocks.forEach((b, i) => {
      if (i === g.held || b.z <= 0) return;
      b.vz -= GRAVITY * dt;
      b.z += b.vz * dt;
      if (b.z <= 0) { b.z = 0; b.vz = 0; }
    });

    for (const d of s.distractors) {
      d.x += d.vx * dt;
      d.y += d.vy * dt;
      if (Math.abs(d.x) > cfg.tableHalf) { d.vx = -d.vx; d.x = Math.sign(d.x) * cfg.tableHalf; }
      if (Math.abs(d.y) > cfg.tableHalf) { d.vy = -d.vy; d.y = Math.sign(d.y) * cfg.tableHalf; }
    }
  }
}
