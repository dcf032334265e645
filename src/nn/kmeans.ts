/**
 * k-means (Lloyd's algorithm with k-means++ seeding) over plain Float32 rows, for initialising a
 * VQ codebook from encoder outputs. Cosine mode L2-normalises the points and keeps the
 * centroids unit-norm (spherical k-means), matching a cosine codebook. All draws from `rng`.
 */
import type { Rng } from '../util/rng.ts';

export interface KMeansOptions {
  /** Lloyd iterations (default 20). */
  iters?: number;
  /** Spherical k-means on L2-normalised rows (default false). */
  cosine?: boolean;
}

function normalizeRows(x: Float32Array, dim: number): void {
  for (let i = 0; i < x.length; i += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i + j]! * x[i + j]!;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-6);
    for (let j = 0; j < dim; j++) x[i + j]! *= inv;
  }
}

function dist2(a: Float32Array, i: number, b: Float32Array, k: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const d = a[i * dim + j]! - b[k * dim + j]!;
    s += d * d;
  }
  return s;
}

/**
 * Cluster `points` ([n, dim] row-major) into `k` centroids ([k, dim] row-major). With fewer
 * distinct points than k, the extra centroids are copies of points plus tiny noise.
 */
export function kmeans(points: Float32Array, dim: number, k: number, rng: Rng, opts: KMeansOptions = {}): Float32Array {
  const n = points.length / dim;
  if (!Number.isInteger(n) || n < 1) throw new Error(`kmeans: ${points.length} values is not a positive multiple of dim ${dim}`);
  const x = Float32Array.from(points);
  if (opts.cosine) normalizeRows(x, dim);
  const c = new Float32Array(k * dim);
  // k-means++ seeding: each next centroid drawn with probability ∝ squared distance to the nearest chosen one
  const near = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let m = 0; m < k; m++) {
    for (let j = 0; j < dim; j++) c[m * dim + j] = x[pick * dim + j]! + rng.normal(0, 1e-4);
    let total = 0;
    for (let i = 0; i < n; i++) {
      near[i] = Math.min(near[i]!, dist2(x, i, c, m, dim));
      total += near[i]!;
    }
    if (total <= 0) {
      pick = rng.int(n);
      continue;
    }
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= near[i]!;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
  }
  const assign = new Int32Array(n);
  for (let it = 0; it < (opts.iters ?? 20); it++) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bd = Infinity;
      for (let m = 0; m < k; m++) {
        const d = dist2(x, i, c, m, dim);
        if (d < bd) {
          bd = d;
          best = m;
        }
      }
      assign[i] = best;
    }
    const sum = new Float64Array(k * dim);
    const cnt = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const m = assign[i]!;
      cnt[m]!++;
      for (let j = 0; j < dim; j++) sum[m * dim + j]! += x[i * dim + j]!;
    }
    for (let m = 0; m < k; m++) {
      if (cnt[m] === 0) continue; // empty cluster keeps its centroid
      for (let j = 0; j < dim; j++) c[m * dim + j] = sum[m * dim + j]! / cnt[m]!;
    }
    if (opts.cosine) normalizeRows(c, dim);
  }
  return c;
}
