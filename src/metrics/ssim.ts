/**
 * Structural similarity (Wang et al. 2004) with the standard 11×11 Gaussian window (σ = 1.5),
 * K1 = 0.01, K2 = 0.03, computed per channel over the 'valid' region (window fully inside the
 * image) and averaged over positions and channels. Images are HWC row-major in [0, peak].
 */
import { LaraError } from '../util/errors.ts';
import type { Pixels } from './psnr.ts';

export interface SsimOptions {
  /** Dynamic range of the pixel values (1 for [0,1] floats, 255 for bytes). */
  peak?: number;
  /** Gaussian window size (odd). Shrunk to the image size when the image is smaller. */
  window?: number;
  /** Gaussian standard deviation. */
  sigma?: number;
}

/** Normalised 1-D Gaussian kernel of odd length `n`. */
export function gaussianKernel(n: number, sigma: number): Float64Array {
  const k = new Float64Array(n);
  const c = (n - 1) / 2;
  let s = 0;
  for (let i = 0; i < n; i++) {
    k[i] = Math.exp(-((i - c) * (i - c)) / (2 * sigma * sigma));
    s += k[i]!;
  }
  for (let i = 0; i < n; i++) k[i]! /= s;
  return k;
}

/** Separable 'valid' filtering of one channel plane [H, W] → [H-n+1, W-n+1]. */
function filter(plane: Float64Array, h: number, w: number, k: Float64Array): Float64Array {
  const n = k.length;
  const ow = w - n + 1;
  const oh = h - n + 1;
  const tmp = new Float64Array(h * ow); // [H, W']
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i]! * plane[y * w + x + i]!;
      tmp[y * ow + x] = s;
    }
  }
  const out = new Float64Array(oh * ow); // [H', W']
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i]! * tmp[(y + i) * ow + x]!;
      out[y * ow + x] = s;
    }
  }
  return out;
}

/** SSIM of two HWC images of size h×w×c. */
export function ssim(a: Pixels, b: Pixels, h: number, w: number, c: number, opts: SsimOptions = {}): number {
  const size = h * w * c;
  if (a.length !== size || b.length !== size) {
    throw new LaraError('ssim: image size mismatch', { expected: `${h}x${w}x${c} = ${size} values`, got: `${a.length} and ${b.length}` });
  }
  const peak = opts.peak ?? 1;
  let n = Math.min(opts.window ?? 11, h, w);
  if (n % 2 === 0) n -= 1;
  const k = gaussianKernel(n, opts.sigma ?? 1.5);
  const c1 = (0.01 * peak) ** 2;
  const c2 = (0.03 * peak) ** 2;
  let total = 0;
  for (let ch = 0; ch < c; ch++) {
    const pa = new Float64Array(h * w);
    const pb = new Float64Array(h * w);
    for (let i = 0; i < h * w; i++) {
      pa[i] = a[i * c + ch]!;
      pb[i] = b[i * c + ch]!;
    }
    const prod = (p: Float64Array, q: Float64Array): Float64Array => p.map((v, i) => v * q[i]!);
    const mua = filter(pa, h, w, k);
    const mub = filter(pb, h, w, k);
    const saa = filter(prod(pa, pa), h, w, k);
    const sbb = filter(prod(pb, pb), h, w, k);
    const sab = filter(prod(pa, pb), h, w, k);
    let s = 0;
    for (let i = 0; i < mua.length; i++) {
      const ma = mua[i]!;
      const mb = mub[i]!;
      const va = saa[i]! - ma * ma;
      const vb = sbb[i]! - mb * mb;
      const cov = sab[i]! - ma * mb;
      s += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
    }
    total += s / mua.length;
  }
  return total / c;
}
