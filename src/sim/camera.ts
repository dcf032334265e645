/**
 * The tabletop's pinhole camera: above the table centre, looking down, optionally tilted about
 * the world x axis. Its orientation is rpyToMatrix(pi + tilt, 0, 0) (src/robot/geometry.ts; a
 * test checks they agree), computed here without mathjs so simulator workers start fast.
 */
import { rotXFlat } from '../robot/angles.ts';
import type { TabletopConfig } from './config.ts';

export class Camera {
  /** Focal length in pixels. */
  readonly f: number;
  cx: number;
  cy: number;
  /** Camera centre in the world. */
  readonly C: [number, number, number];
  /** Rows: the camera's right, down and forward axes in world coordinates. */
  readonly axes: number[];

  constructor(cfg: TabletopConfig, shake: [number, number] = [0, 0]) {
    const t = cfg.cameraTilt;
    const D = cfg.cameraHeight;
    // optical frame (x right, y down, z forward) = rotation about x by pi + tilt
    const R = rotXFlat(Math.PI + t); // row-major 3x3
    // columns of R are the camera axes in the world frame
    this.axes = [0, 1, 2].flatMap((c) => [R[c]!, R[3 + c]!, R[6 + c]!]);
    this.C = [-D * this.axes[6]!, -D * this.axes[7]!, -D * this.axes[8]!];
    const viewHalf = cfg.tableHalf + 0.03;
    this.f = (Math.min(cfg.width, cfg.height) / 2) * (D / viewHalf);
    this.cx = cfg.width / 2 + shake[0];
    this.cy = cfg.height / 2 + shake[1];
  }

  /** Offset the image centre by (du, dv) pixels from the unshaken position (camera shake). */
  setShake(du: number, dv: number, width: number, height: number): void {
    this.cx = width / 2 + du;
    this.cy = height / 2 + dv;
  }

  /** Pixel coordinates (x right, y down) of a world point. */
  project(x: number, y: number, z: number): [number, number] {
    const a = this.axes;
    const dx = x - this.C[0], dy = y - this.C[1], dz = z - this.C[2];
    const xc = a[0]! * dx + a[1]! * dy + a[2]! * dz;
    const yc = a[3]! * dx + a[4]! * dy + a[5]! * dz;
    const zc = Math.max(1e-3, a[6]! * dx + a[7]! * dy + a[8]! * dz);
    return [this.cx + (this.f * xc) / zc, this.cy + (this.f * yc) / zc];
  }
}
