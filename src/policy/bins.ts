/**
 * Binned (classification) action head for BC, as RT-1 / LAPA tokenise actions: every action dim
 * is split into n uniform bins over the data's [min, max] (in normalised units) and classified
 * with cross-entropy; the argmax bin's centre is the action. Unlike MSE regression it keeps one
 * mode when the expert is bimodal (tabletop push turns the fingers to either of two equivalent
 * yaws: MSE averaged them to ~0, |yaw error| 1.27 on average).
 */
import type { ActionStats } from '../mapping/types.ts';

export interface BinSpec {
  n: number;
  /** Per action dim, normalised lower / upper edge. */
  lo: number[];
  hi: number[];
}

export function binsFor(stats: ActionStats, n: number): BinSpec {
  return { n, lo: stats.min.map((v, j) => (v - stats.mean[j]!) / stats.std[j]!), hi: stats.max.map((v, j) => (v - stats.mean[j]!) / stats.std[j]!) };
}

/** Bin of a normalised value z in dim j. */
export function binIndex(b: BinSpec, j: number, z: number): number {
  const lo = b.lo[j]!, hi = b.hi[j]!;
  if (!(hi > lo)) return 0;
  return Math.min(b.n - 1, Math.max(0, Math.floor(((z - lo) / (hi - lo)) * b.n)));
}

/** Normalised centre of bin k in dim j (the edge value when the dim never varied). */
export function binCentre(b: BinSpec, j: number, k: number): number {
  const lo = b.lo[j]!, hi = b.hi[j]!;
  return hi > lo ? lo + ((k + 0.5) * (hi - lo)) / b.n : lo;
}

/** Normalised action from [A·n] logits: the argmax bin's centre in every dim. */
export function decodeBins(b: BinSpec, logits: ArrayLike<number>): Float32Array {
  const a = b.lo.length;
  const out = new Float32Array(a);
  for (let j = 0; j < a; j++) {
    let best = 0;
    for (let k = 1; k < b.n; k++) if (logits[j * b.n + k]! > logits[j * b.n + best]!) best = k;
    out[j] = binCentre(b, j, best);
  }
  return out;
}
