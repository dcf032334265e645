/**
 * A tiny software rasteriser: filled convex polygons and discs with anti-aliasing by coverage
 * (ss x ss sub-samples per pixel), alpha-blended into a float RGB buffer. Pixel (i, j) covers
 * [i, i+1] x [j, j+1] in image coordinates (x right, y down).
 */
import type { Rgb } from './scene.ts';

export class Raster {
  readonly width: number;
  readonly height: number;
  readonly ss: number;
  /** [H, W, 3] float RGB in 0..255. */
  readonly buf: Float32Array;
  #offs: Float64Array;

  constructor(width: number, height: number, ss = 3) {
    this.width = width;
    this.height = height;
    this.ss = ss;
    this.buf = new Float32Array(width * height * 3);
    this.#offs = Float64Array.from({ length: ss }, (_, a) => (a + 0.5) / ss);
  }

  clear(rgb: Rgb): void {
    for (let i = 0; i < this.buf.length; i += 3) {
      this.buf[i] = rgb[0];
      this.buf[i + 1] = rgb[1];
      this.buf[i + 2] = rgb[2];
    }
  }

  #blend(px: number, rgb: Rgb, a: number): void {
    const b = this.buf;
    const k = px * 3;
    b[k] = b[k]! + (rgb[0] - b[k]!) * a;
    b[k + 1] = b[k + 1]! + (rgb[1] - b[k + 1]!) * a;
    b[k + 2] = b[k + 2]! + (rgb[2] - b[k + 2]!) * a;
  }

  /** Fill the convex polygon with vertices pts = [x0, y0, x1, y1, ...] (either winding). */
  fillPolygon(pts: ArrayLike<number>, rgb: Rgb, alpha = 1): void {
    const n = pts.length / 2;
    if (n < 3) return;
    let area = 0;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const ax = pts[2 * i]!, ay = pts[2 * i + 1]!;
      const bx = pts[(2 * i + 2) % (2 * n)]!, by = pts[(2 * i + 3) % (2 * n)]!;
      area += ax * by - bx * ay;
      x0 = Math.min(x0, ax); x1 = Math.max(x1, ax); y0 = Math.min(y0, ay); y1 = Math.max(y1, ay);
    }
    if (Math.abs(area) < 1e-12) return;
    const sgn = area > 0 ? 1 : -1;
    // edge functions e(x, y) = A x + B y + C >= 0 inside, normalised so e is a distance in pixels
    const A = new Float64Array(n), B = new Float64Array(n), C = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ax = pts[2 * i]!, ay = pts[2 * i + 1]!;
      const bx = pts[(2 * i + 2) % (2 * n)]!, by = pts[(2 * i + 3) % (2 * n)]!;
      const len = Math.hypot(bx - ax, by - ay) || 1;
      A[i] = (-(by - ay) * sgn) / len;
      B[i] = ((bx - ax) * sgn) / len;
      C[i] = -(A[i]! * ax + B[i]! * ay);
    }
    const i0 = Math.max(0, Math.floor(x0)), i1 = Math.min(this.width - 1, Math.floor(x1));
    const j0 = Math.max(0, Math.floor(y0)), j1 = Math.min(this.height - 1, Math.floor(y1));
    const ss = this.ss, offs = this.#offs, total = ss * ss;
    const H = Math.SQRT1_2; // half the pixel diagonal
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        // classify the pixel by its centre: fully inside, fully outside, or on an edge
        const px = i + 0.5, py = j + 0.5;
        let inside = true, outside = false;
        for (let e = 0; e < n; e++) {
          const d = A[e]! * px + B[e]! * py + C[e]!;
          if (d < -H) { outside = true; break; }
          if (d < H) inside = false;
        }
        if (outside) continue;
        let hit = total;
        if (!inside) {
          hit = 0;
          for (let b = 0; b < ss; b++) {
            const y = j + offs[b]!;
            for (let a = 0; a < ss; a++) {
              const x = i + offs[a]!;
              let ok = true;
              for (let e = 0; e < n; e++) if (A[e]! * x + B[e]! * y + C[e]! < 0) { ok = false; break; }
              if (ok) hit++;
            }
          }
        }
        if (hit > 0) this.#blend(j * this.width + i, rgb, (alpha * hit) / total);
      }
    }
  }

  /** Fill a disc. */
  fillCircle(cx: number, cy: number, r: number, rgb: Rgb, alpha = 1): void {
    const r2 = r * r;
    const rin = Math.max(0, r - Math.SQRT1_2), rout = r + Math.SQRT1_2;
    const i0 = Math.max(0, Math.floor(cx - r)), i1 = Math.min(this.width - 1, Math.floor(cx + r));
    const j0 = Math.max(0, Math.floor(cy - r)), j1 = Math.min(this.height - 1, Math.floor(cy + r));
    const ss = this.ss, offs = this.#offs, total = ss * ss;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const dc = Math.hypot(i + 0.5 - cx, j + 0.5 - cy);
        if (dc >= rout) continue;
        let hit = total;
        if (dc > rin) {
          hit = 0;
          for (let b = 0; b < ss; b++) {
            const dy = j + offs[b]! - cy;
            for (let a = 0; a < ss; a++) {
              const dx = i + offs[a]! - cx;
              if (dx * dx + dy * dy <= r2) hit++;
            }
          }
        }
        if (hit > 0) this.#blend(j * this.width + i, rgb, (alpha * hit) / total);
      }
    }
  }

  /** Bytes [H, W, 3], each channel multiplied by `gain`, rounded and clamped. */
  toUint8(gain: Rgb = [1, 1, 1]): Uint8Array {
    const out = new Uint8Array(this.buf.length);
    for (let i = 0; i < this.buf.length; i += 3) {
      out[i] = Math.max(0, Math.min(255, Math.round(this.buf[i]! * gain[0])));
      out[i + 1] = Math.max(0, Math.min(255, Math.round(this.buf[i + 1]! * gain[1])));
      out[i + 2] = Math.max(0, Math.min(255, Math.round(this.buf[i + 2]! * gain[2])));
    }
    return out;
  }
}

/** Convex hull (counter-clockwise, monotone chain) of points [x0, y0, ...]; returns flat coords. */
export function convexHull(pts: ArrayLike<number>): number[] {
  const p: [number, number][] = [];
  for (let i = 0; i < pts.length; i += 2) p.push([pts[i]!, pts[i + 1]!]);
  p.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p.flat();
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)].flat();
}
