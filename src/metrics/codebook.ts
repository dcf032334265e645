/**
 * Codebook statistics of a vector quantizer: how many codes are used and the perplexity
 * exp(H(p)) of the empirical code distribution (K when all codes are equally used, 1 when one
 * code takes everything).
 */
import { LaraError } from '../util/errors.ts';

export interface CodebookStats {
  /** Codebook size K. */
  codes: number;
  /** Number of codes seen at least once. */
  used: number;
  /** used / codes. */
  usage: number;
  /** exp of the entropy (nats) of the code histogram. */
  perplexity: number;
  /** Histogram of length K. */
  counts: number[];
}

/** Histogram of code indices in [0, K). */
export function codeHistogram(indices: ArrayLike<number>, codes: number): number[] {
  const counts = new Array<number>(codes).fill(0);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= codes) {
      throw new LaraError('codebook statistics: code index out of range', { where: `index ${i}`, expected: `an integer in [0, ${codes})`, got: String(v) });
    }
    counts[v]! += 1;
  }
  return counts;
}

/** Usage and perplexity from a histogram. */
export function statsFromCounts(counts: readonly number[]): CodebookStats {
  const total = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  let used = 0;
  for (const c of counts) {
    if (c > 0) {
      used++;
      const p = c / total;
      h -= p * Math.log(p);
    }
  }
  return { codes: counts.length, used, usage: used / counts.length, perplexity: total > 0 ? Math.exp(h) : 0, counts: [...counts] };
}

export function codebookStats(indices: ArrayLike<number>, codes: number): CodebookStats {
  return statsFromCounts(codeHistogram(indices, codes));
}
