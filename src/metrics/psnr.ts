/**
 * Peak signal-to-noise ratio between images (or whole clips) with values in [0, peak].
 * Inputs are flat arrays of equal length (any layout, e.g. [T, H, W, C] row-major).
 */
import { LaraError } from '../util/errors.ts';

export type Pixels = ArrayLike<number>;

/** Mean squared error of two equally long arrays. */
export function mse(a: Pixels, b: Pixels): number {
  if (a.length !== b.length) throw new LaraError('mse: inputs differ in length', { expected: `${a.length} values`, got: `${b.length}` });
  if (a.length === 0) throw new LaraError('mse: empty input', { expected: 'at least one value', got: '0' });
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return s / a.length;
}

/**
 * PSNR in dB: 10·log10(peak² / MSE). Identical inputs give +Infinity; `maxDb` (default 100)
 * caps it so averages over many frames stay finite.
 */
export function psnr(a: Pixels, b: Pixels, peak = 1, maxDb = 100): number {
  const m = mse(a, b);
  if (m === 0) return maxDb;
  return Math.min(maxDb, 10 * Math.log10((peak * peak) / m));
}

/** Mean PSNR over frames: `frames` pairs of equally sized images. */
export function meanPsnr(real: readonly Pixels[], fake: readonly Pixels[], peak = 1): number {
  if (real.length !== fake.length || real.length === 0) {
    throw new LaraError('meanPsnr: expected the same non-zero number of real and generated frames', { got: `${real.length} and ${fake.length}` });
  }
  let s = 0;
  for (let i = 0; i < real.length; i++) s += psnr(real[i]!, fake[i]!, peak);
  return s / real.length;
}
