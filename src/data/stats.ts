/** Per-dimension statistics (mean, std, min, max, 1% and 99% quantiles) of D-dim float rows. */
import type { VectorStats } from './format.ts';

export class StatsAccumulator {
  readonly dim: number;
  #cols: number[][];
  constructor(dim: number) {
    this.dim = dim;
    this.#cols = Array.from({ length: dim }, () => []);
  }
  add(row: ArrayLike<number>): void {
    for (let d = 0; d < this.dim; d++) this.#cols[d]!.push(row[d]!);
  }
  get count(): number {
    return this.#cols[0]?.length ?? 0;
  }
  result(): VectorStats {
    const s: VectorStats = { mean: [], std: [], min: [], max: [], q01: [], q99: [] };
    for (const col of this.#cols) {
      const n = col.length;
      if (n === 0) {
        for (const k of Object.keys(s) as (keyof VectorStats)[]) s[k].push(0);
        continue;
      }
      let sum = 0;
      for (const v of col) sum += v;
      const mean = sum / n;
      let sq = 0;
      for (const v of col) sq += (v - mean) * (v - mean);
      const sorted = Float64Array.from(col).sort();
      s.mean.push(mean);
      s.std.push(Math.sqrt(sq / n));
      s.min.push(sorted[0]!);
      s.max.push(sorted[n - 1]!);
      s.q01.push(quantile(sorted, 0.01));
      s.q99.push(quantile(sorted, 0.99));
    }
    return s;
  }
}

/** Linear-interpolated quantile of ascending values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
