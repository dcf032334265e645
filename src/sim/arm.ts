/**
 * The visual robot arm of the tabletop (config `arm`): a shoulder fixed beyond the far table edge
 * (+y), an upper arm and a forearm of equal length meeting at an elbow that swings out sideways
 * (two-link inverse kinematics in the horizontal direction, so from the top-down camera the arm
 * does not cover the gripper), the wrist on top of the gripper's palm. Like the arm in RT-1 video it fills much of the image and moves with every
 * command; it has no physics (it never touches the blocks).
 */
import type { Camera } from './camera.ts';
import { Raster, convexHull } from './raster.ts';
import type { Rgb } from './scene.ts';

type Vec3 = [number, number, number];

/** Shoulder position relative to the table: y beyond the far edge, z above the table (m). */
export const SHOULDER_OUT = 0.12;
export const SHOULDER_Z = 0.16;
/** Length of each of the two links (m); together they reach every table corner from the shoulder. */
export const LINK = 0.4;
/** Link radius (m). */
export const LINK_R = 0.013;

const UPPER: Rgb = [96, 100, 112];
const FORE: Rgb = [128, 132, 146];

/** Shoulder, elbow and wrist of the arm whose wrist is at `wrist`, for a table of half-size `tableHalf`. */
export function armJoints(wrist: Vec3, tableHalf: number): [Vec3, Vec3, Vec3] {
  const s: Vec3 = [0, tableHalf + SHOULDER_OUT, SHOULDER_Z];
  const d: Vec3 = [wrist[0] - s[0], wrist[1] - s[1], wrist[2] - s[2]];
  const dist = Math.hypot(d[0], d[1], d[2]);
  // the elbow sits beside the segment's midpoint, along the horizontal unit vector ⟂ d (robot's right)
  const h = Math.sqrt(Math.max(0, LINK * LINK - (dist / 2) ** 2));
  const horiz = Math.hypot(d[0], d[1]) || 1e-9;
  const side: Vec3 = [d[1] / horiz, -d[0] / horiz, 0];
  const e: Vec3 = [s[0] + d[0] / 2 + h * side[0], s[1] + d[1] / 2 + h * side[1], s[2] + d[2] / 2];
  return [s, e, wrist];
}

/** The 8 corners of a square prism of radius r around the segment a → b. */
function prism(a: Vec3, b: Vec3, r: number): Vec3[] {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const n = Math.hypot(d[0], d[1], d[2]) || 1e-9;
  const u: Vec3 = [d[0] / n, d[1] / n, d[2] / n];
  // e1 ⟂ u (horizontal when possible), e2 = u × e1
  let e1: Vec3 = [-u[1], u[0], 0];
  const m = Math.hypot(e1[0], e1[1]);
  e1 = m > 1e-6 ? [e1[0] / m, e1[1] / m, 0] : [1, 0, 0];
  const e2: Vec3 = [u[1] * e1[2] - u[2] * e1[1], u[2] * e1[0] - u[0] * e1[2], u[0] * e1[1] - u[1] * e1[0]];
  const out: Vec3[] = [];
  for (const p of [a, b]) {
    for (const [i, j] of [[1, 1], [1, -1], [-1, -1], [-1, 1]] as const) {
      out.push([p[0] + r * (i * e1[0] + j * e2[0]), p[1] + r * (i * e1[1] + j * e2[1]), p[2] + r * (i * e1[2] + j * e2[2])]);
    }
  }
  return out;
}

function hull(cam: Camera, pts: Vec3[]): number[] {
  return convexHull(pts.flatMap(([x, y, z]) => cam.project(x, y, z)));
}

/** The arm's shadow on the table: each link's prism moved along the light by shadow·z and flattened. */
export function drawArmShadow(r: Raster, cam: Camera, wrist: Vec3, tableHalf: number, shadow: [number, number]): void {
  const [s, e, w] = armJoints(wrist, tableHalf);
  for (const [a, b] of [[s, e], [e, w]] as const) {
    const flat = prism(a, b, LINK_R).map(([x, y, z]): Vec3 => [x + shadow[0] * z, y + shadow[1] * z, 0]);
    r.fillPolygon(hull(cam, flat), [0, 0, 0], 0.28);
  }
}

/** Draw the two links (forearm first: the upper arm lies over it at the elbow). */
export function drawArm(r: Raster, cam: Camera, wrist: Vec3, tableHalf: number): void {
  const [s, e, w] = armJoints(wrist, tableHalf);
  r.fillPolygon(hull(cam, prism(e, w, LINK_R)), FORE);
  r.fillPolygon(hull(cam, prism(s, e, LINK_R * 1.2)), UPPER);
}
