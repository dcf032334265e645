/**
 * Draw a tabletop scene to RGB bytes [H, W, 3]: table, target zones, visual distractors, soft
 * shadows (a lifted object's shadow separates from it), then blocks and the gripper sorted by
 * height, each as a projected 3D box (darker sides, lit top). Perspective makes lifted objects
 * larger; the finger gap shows open / closed. With `gantry`, the robot's body is drawn too: the
 * rails and column of a Cartesian robot, each moving exactly with the gripper (without rails:
 * the column and the carriage it hangs from).
 */
import type { Camera } from './camera.ts';
import type { TabletopConfig } from './config.ts';
import { FINGER_R, fingerSeparation } from './physics.ts';
import { Raster, convexHull } from './raster.ts';
import type { Rgb, Scene } from './scene.ts';

const FLOOR: Rgb = [58, 60, 68];
const TABLE: Rgb = [200, 176, 138];
const TABLE_EDGE: Rgb = [150, 126, 92];
const FINGER: Rgb = [46, 48, 56];
const PALM: Rgb = [170, 172, 182];
/** Shadow offset on the table per metre of height (light from the upper left). */
const SHADOW: [number, number] = [0.35, -0.45];
const FINGER_LEN = 0.05;
const PALM_T = 0.015;

interface BoxShape {
  x: number; y: number; yaw: number;
  hx: number; hy: number;
  z0: number; z1: number;
  rgb: Rgb;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const scale = (a: Rgb, k: number): Rgb => [a[0] * k, a[1] * k, a[2] * k];

function corners(b: BoxShape, z: number): [number, number, number][] {
  const c = Math.cos(b.yaw), s = Math.sin(b.yaw);
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([u, v]) => [b.x + c * u! * b.hx - s * v! * b.hy, b.y + s * u! * b.hx + c * v! * b.hy, z]);
}

function projectAll(cam: Camera, pts: [number, number, number][]): number[] {
  return pts.flatMap(([x, y, z]) => cam.project(x, y, z));
}

function drawShadow(r: Raster, cam: Camera, b: BoxShape): void {
  const pts = [...corners(b, b.z0), ...corners(b, b.z1)].map(([x, y, z]): [number, number, number] => [x + SHADOW[0] * z, y + SHADOW[1] * z, 0]);
  r.fillPolygon(convexHull(projectAll(cam, pts)), [0, 0, 0], 0.28);
}

function drawBox(r: Raster, cam: Camera, b: BoxShape): void {
  r.fillPolygon(convexHull(projectAll(cam, [...corners(b, b.z0), ...corners(b, b.z1)])), scale(b.rgb, 0.62));
  r.fillPolygon(projectAll(cam, corners(b, b.z1)), b.rgb);
}

function disc(cam: Camera, x: number, y: number, rad: number, n = 20): number[] {
  const pts: [number, number, number][] = [];
  for (let i = 0; i < n; i++) pts.push([x + rad * Math.cos((2 * Math.PI * i) / n), y + rad * Math.sin((2 * Math.PI * i) / n), 0]);
  return projectAll(cam, pts);
}

/** Boxes of the gripper: two fingers and the palm bar joining them. */
export function gripperBoxes(s: Scene, cfg: TabletopConfig): BoxShape[] {
  const g = s.gripper;
  const sep = fingerSeparation(cfg, g.closedness);
  const c = Math.cos(g.yaw), n = Math.sin(g.yaw);
  const fingers = [-1, 1].map((k): BoxShape => ({
    x: g.x + k * c * (sep / 2), y: g.y + k * n * (sep / 2), yaw: g.yaw,
    hx: FINGER_R, hy: FINGER_R * 1.8, z0: g.z, z1: g.z + FINGER_LEN, rgb: FINGER,
  }));
  const palm: BoxShape = { x: g.x, y: g.y, yaw: g.yaw, hx: sep / 2 + FINGER_R, hy: FINGER_R * 0.9, z0: g.z + FINGER_LEN, z1: g.z + FINGER_LEN + PALM_T, rgb: PALM };
  return [...fingers, palm];
}

/** Gantry parts (m): rails' half-width and heights (above the highest fingertip), column half-size. */
const RAIL_HW = 0.011;
const RAIL_X_Z = 0.24;
const RAIL_Y_Z = 0.27;
const RAIL_T = 0.02;
const COLUMN_HW = 0.012;
/** Without rails: the carriage at the column's top (half-size, height) that the column hangs from. */
const CARRIAGE_HW = 0.025;
const CARRIAGE_T = 0.04;
/** With `gantryTurns`: the carriage bar's half-length (along the fingers' axis) and half-width. */
const BAR_HL = 0.08;
const BAR_HW = 0.015;

/**
 * Boxes of a Cartesian (gantry) robot carrying the gripper: a bridge along x across the table at
 * the gripper's y, a rail along y at its x riding above the bridge, and the vertical column from
 * the palm up to the rails. Every part translates exactly with the gripper's x, y (the column
 * also with z), so a command changes the image the same way anywhere on the table (up to perspective).
 * With `gantryRails` off, the column and a carriage at its top instead of the rails; with
 * `gantryTurns` as well, both turn with the gripper's yaw and the carriage is a long bar, so a turn
 * of the wrist moves the bar's ends by 8 cm per radian.
 */
export function gantryBoxes(s: Scene, cfg: TabletopConfig): BoxShape[] {
  const g = s.gripper;
  const span = cfg.tableHalf + 0.08;
  const grey = (v: number): Rgb => [v, v + 3, v + 12];
  const turns = !cfg.gantryRails && cfg.gantryTurns;
  const column: BoxShape = { x: g.x, y: g.y, yaw: turns ? g.yaw : 0, hx: COLUMN_HW, hy: COLUMN_HW, z0: g.z + FINGER_LEN + PALM_T, z1: RAIL_X_Z, rgb: grey(150) };
  if (!cfg.gantryRails) {
    const [hx, hy] = turns ? [BAR_HL, BAR_HW] : [CARRIAGE_HW, CARRIAGE_HW];
    const carriage: BoxShape = { x: g.x, y: g.y, yaw: turns ? g.yaw : 0, hx, hy, z0: RAIL_X_Z - CARRIAGE_T, z1: RAIL_X_Z, rgb: grey(124) };
    return [column, carriage];
  }
  return [
    column,
    { x: 0, y: g.y, yaw: 0, hx: span, hy: RAIL_HW, z0: RAIL_X_Z, z1: RAIL_X_Z + RAIL_T, rgb: grey(92) },
    { x: g.x, y: 0, yaw: 0, hx: RAIL_HW, hy: span, z0: RAIL_Y_Z, z1: RAIL_Y_Z + RAIL_T, rgb: grey(124) },
  ];
}

/**
 * Holds the static part of a frame (floor, table, zones) between renders of one episode. Call
 * invalidate() when the camera or the zones change; camera shake makes every frame different.
 */
export class BackgroundCache {
  buf: Float32Array | null = null;
  /** Zone positions the cached image was drawn with (a moved zone redraws). */
  key: number[] = [];
  invalidate(): void {
    this.buf = null;
  }
  valid(s: Scene): boolean {
    if (!this.buf || this.key.length !== s.zones.length * 2) return false;
    return s.zones.every((z, i) => this.key[2 * i] === z.x && this.key[2 * i + 1] === z.y);
  }
  store(s: Scene, buf: Float32Array): void {
    this.buf = buf.slice();
    this.key = s.zones.flatMap((z) => [z.x, z.y]);
  }
}

function drawBackground(s: Scene, cfg: TabletopConfig, cam: Camera, r: Raster): void {
  r.clear(FLOOR);
  const th = cfg.tableHalf;
  const table = (h: number) => projectAll(cam, [[-h, -h, 0], [h, -h, 0], [h, h, 0], [-h, h, 0]]);
  r.fillPolygon(table(th + 0.012), TABLE_EDGE);
  r.fillPolygon(table(th), TABLE);
  s.zones.forEach((z, i) => {
    const rgb = s.zoneColors[i]!;
    r.fillPolygon(disc(cam, z.x, z.y, cfg.zoneRadius, 24), mix(TABLE, rgb, 0.85));
    r.fillPolygon(disc(cam, z.x, z.y, cfg.zoneRadius * 0.78, 24), mix(TABLE, rgb, 0.35));
  });
}

/** Render the scene into a reusable raster; returns bytes [H, W, 3]. */
export function renderScene(
  s: Scene,
  cfg: TabletopConfig,
  cam: Camera,
  r: Raster = new Raster(cfg.width, cfg.height, cfg.supersample),
  bg?: BackgroundCache,
): Uint8Array {
  if (bg && cfg.cameraShake === 0 && bg.valid(s)) {
    r.buf.set(bg.buf!);
  } else {
    drawBackground(s, cfg, cam, r);
    if (bg && cfg.cameraShake === 0) bg.store(s, r.buf);
  }
  for (const d of s.distractors) r.fillPolygon(disc(cam, d.x, d.y, d.r, 16), d.rgb);

  const hb = cfg.blockSize / 2;
  const shapes: BoxShape[] = s.blocks.map((b, i) => ({ x: b.x, y: b.y, yaw: b.yaw, hx: hb, hy: hb, z0: b.z, z1: b.z + cfg.blockHeight, rgb: s.colors[i]! }));
  shapes.push(...gripperBoxes(s, cfg));
  if (cfg.gantry) shapes.push(...gantryBoxes(s, cfg));
  for (const b of shapes) drawShadow(r, cam, b);
  // painter's order: lower tops first (stable for equal heights)
  const order = shapes.map((b, i) => [b.z1, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [, i] of order) drawBox(r, cam, shapes[i]!);
  return r.toUint8(s.light);
}
