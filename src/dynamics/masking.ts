/**
 * MaskGIT training masks (Genie App. C.3): per sequence a rate r ~ U(maskMin, 1); every token of
 * frames 2..T is masked with probability r; frame 1 is never masked. Drawn from an injected Rng
 * so a seed fixes the masks.
 */
import type { Rng } from '../util/rng.ts';

/** Mask [B, T, N] as 0/1 bytes (1 = masked), row-major, and the per-sequence rates. */
export function trainingMask(b: number, t: number, n: number, rng: Rng, maskMin = 0.5): { mask: Uint8Array; rates: number[] } {
  const mask = new Uint8Array(b * t * n);
  const rates: number[] = [];
  for (let i = 0; i < b; i++) {
    const r = rng.uniform(maskMin, 1);
    rates.push(r);
    for (let f = 1; f < t; f++) {
      const o = (i * t + f) * n;
      for (let j = 0; j < n; j++) mask[o + j] = rng.next() < r ? 1 : 0;
    }
  }
  return { mask, rates };
}
