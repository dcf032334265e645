/**
 * The tabletop scene: a parallel gripper, coloured blocks and target zones on a square table,
 * plus optional visual-only distractors. Sampling a scene is deterministic given an Rng.
 */
import { LaraError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import type { TabletopConfig } from './config.ts';

export const COLOR_NAMES = ['red', 'green', 'blue', 'yellow'] as const;
export type ColorName = (typeof COLOR_NAMES)[number];
export type Rgb = [number, number, number];

export const PALETTE: Record<ColorName, Rgb> = {
  red: [214, 48, 49],
  green: [40, 170, 72],
  blue: [46, 92, 222],
  yellow: [238, 196, 28],
};

export interface Block {
  color: ColorName;
  /** Centre of the base on the table plane (m). */
  x: number;
  y: number;
  /** Height of the block's bottom above the table (m); 0 when resting. */
  z: number;
  yaw: number;
  /** Vertical speed while falling (m/s). */
  vz: number;
}

export interface Zone {
  color: ColorName;
  x: number;
  y: number;
}

export interface Gripper {
  /** Fingertip centre (m); z is the fingertips' height above the table. */
  x: number;
  y: number;
  z: number;
  yaw: number;
  /** 0 = fully open, 1 = fully closed. */
  closedness: number;
  /** Index of the held block, -1 when empty. */
  held: number;
  /** Held block's offset in the gripper frame (along the fingers' normal) and its height below the fingertips. */
  holdY: number;
  holdZ: number;
}

export interface Distractor {
  x: number;
  y: number;
  vx: number;
  vy: number;
  r: number;
  rgb: Rgb;
}

export interface Scene {
  blocks: Block[];
  zones: Zone[];
  gripper: Gripper;
  distractors: Distractor[];
  /** Per block: was it ever held above 2 cm (for "pick up" success). */
  lifted: boolean[];
  /** Per-episode colour and light jitter, applied by the renderer. */
  colors: Rgb[];
  zoneColors: Rgb[];
  light: Rgb;
  /** Actions taken so far. */
  t: number;
}

/** Colours that must appear in the scene (from the task). */
export interface SceneRequirements {
  block?: ColorName;
  zone?: ColorName;
}

function pickColors(rng: Rng, n: number, required: ColorName | undefined): ColorName[] {
  const rest = rng.shuffle(COLOR_NAMES.filter((c) => c !== required));
  return (required ? [required, ...rest] : rest).slice(0, n).sort((a, b) => COLOR_NAMES.indexOf(a) - COLOR_NAMES.indexOf(b));
}

/** Place `n` points in the table square with rejection sampling. */
function placeAll(rng: Rng, n: number, half: number, ok: (x: number, y: number, placed: [number, number][]) => boolean, what: string): [number, number][] {
  for (let attempt = 0; attempt < 200; attempt++) {
    const placed: [number, number][] = [];
    for (let tries = 0; placed.length < n && tries < 400; tries++) {
      const x = rng.uniform(-half, half);
      const y = rng.uniform(-half, half);
      if (ok(x, y, placed)) placed.push([x, y]);
    }
    if (placed.length === n) return placed;
  }
  throw new LaraError(`tabletop: cannot place ${n} ${what} on the table`, { expected: 'fewer or smaller objects, or a larger tableHalf' });
}

const jitter = (rng: Rng, c: Rgb, amount: number): Rgb => c.map((v) => Math.max(0, Math.min(255, v + amount * rng.uniform(-60, 60)))) as Rgb;

/** A random scene for `cfg`, containing the required colours. */
export function sampleScene(cfg: TabletopConfig, rng: Rng, req: SceneRequirements = {}): Scene {
  const layout = rng.fork();
  const looks = rng.fork();
  const blockColors = pickColors(layout, cfg.blocks, req.block);
  const zoneColors = pickColors(layout, cfg.zones, req.zone);
  const h = cfg.tableHalf;
  const zr = cfg.zoneRadius;
  const zones = placeAll(layout, cfg.zones, h - zr - 0.01, (x, y, p) => p.every(([a, b]) => Math.hypot(x - a, y - b) > 2 * zr + 0.04), 'zones');
  const bs = cfg.blockSize;
  const blocks = placeAll(
    layout,
    cfg.blocks,
    h - 0.04 - bs / 2,
    (x, y, p) => p.every(([a, b]) => Math.hypot(x - a, y - b) > bs * 2.2) && zones.every(([a, b]) => Math.hypot(x - a, y - b) > zr + bs * 1.2),
    'blocks',
  );
  const gripper: Gripper = {
    x: layout.uniform(-0.6 * h, 0.6 * h),
    y: layout.uniform(-0.6 * h, 0.6 * h),
    z: layout.uniform(0.07, 0.12),
    yaw: layout.uniform(-0.6, 0.6),
    closedness: 0,
    held: -1,
    holdY: 0,
    holdZ: 0,
  };
  const distractors: Distractor[] = [];
  for (let i = 0; i < cfg.distractors; i++) {
    const ang = looks.uniform(0, 2 * Math.PI);
    const speed = looks.uniform(0.01, 0.04); // m/s
    const grey = looks.uniform(70, 200);
    distractors.push({
      x: looks.uniform(-h, h),
      y: looks.uniform(-h, h),
      vx: speed * Math.cos(ang),
      vy: speed * Math.sin(ang),
      r: looks.uniform(0.015, 0.035),
      rgb: [grey, grey * looks.uniform(0.7, 1.0), grey * looks.uniform(0.8, 1.2)].map((v) => Math.min(255, v)) as Rgb,
    });
  }
  const light: Rgb = cfg.lightJitter > 0
    ? (() => {
        const b = 1 + cfg.lightJitter * looks.uniform(-0.3, 0.3);
        return [0, 1, 2].map(() => b * (1 + cfg.lightJitter * looks.uniform(-0.1, 0.1))) as Rgb;
      })()
    : [1, 1, 1];
  return {
    blocks: blocks.map(([x, y], i) => ({ color: blockColors[i]!, x, y, z: 0, yaw: layout.uniform(-Math.PI / 4, Math.PI / 4), vz: 0 })),
    zones: zones.map(([x, y], i) => ({ color: zoneColors[i]!, x, y })),
    gripper,
    distractors,
    lifted: blocks.map(() => false),
    colors: blockColors.map((c) => (cfg.colorJitter > 0 ? jitter(looks, PALETTE[c], cfg.colorJitter) : PALETTE[c])),
    zoneColors: zoneColors.map((c) => (cfg.colorJitter > 0 ? jitter(looks, PALETTE[c], cfg.colorJitter) : PALETTE[c])),
    light,
    t: 0,
  };
}

/** A deep copy (scenes are plain data). */
export function cloneScene(s: Scene): Scene {
  return structuredClone(s);
}

/** Index of the block of a colour, or throws. */
export function blockIndex(s: Scene, color: ColorName): number {
  const i = s.blocks.findIndex((b) => b.color === color);
  if (i < 0) throw new LaraError(`tabletop: no ${color} block in the scene`, { expected: s.blocks.map((b) => b.color).join(', ') });
  return i;
}

export function zoneIndex(s: Scene, color: ColorName): number {
  const i = s.zones.findIndex((z) => z.color === color);
  if (i < 0) throw new LaraError(`tabletop: no ${color} zone in the scene`, { expected: s.zones.map((z) => z.color).join(', ') });
  return i;
}
