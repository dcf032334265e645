import { describe, expect, it } from 'vitest';
import { ssim, gaussianKernel } from '../../src/metrics/ssim.ts';

function pattern(h: number, w: number, c: number): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(h * w * c);
  const b = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const i = (y * w + x) * c + ch;
        a[i] = 0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y + ch);
        b[i] = Math.min(1, Math.max(0, a[i]! + 0.1 * Math.cos(0.7 * x * y + ch * 1.3)));
      }
  return { a, b };
}

describe('ssim', () => {
  it('uses a normalised Gaussian window', () => {
    const k = gaussianKernel(11, 1.5);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(k[5]).toBeGreaterThan(k[4]!);
  });
  it('is 1 for identical images', () => {
    const { a } = pattern(16, 16, 3);
    expect(ssim(a, a, 16, 16, 3)).toBeCloseTo(1, 10);
  });
  it('is the luminance ratio for two constant images', () => {
    const a = new Float32Array(16 * 16).fill(0.5);
    const b = new Float32Array(16 * 16).fill(0.25);
    const c1 = 1e-4;
    expect(ssim(a, b, 16, 16, 1)).toBeCloseTo((2 * 0.5 * 0.25 + c1) / (0.25 + 0.0625 + c1), 6);
  });
  it('matches an independent scipy reference (gaussian_filter σ=1.5, valid region)', () => {
    const { a, b } = pattern(20, 24, 3);
    // numpy/scipy: see docs/models.md (metrics) for the reference script
    expect(ssim(a, b, 20, 24, 3)).toBeCloseTo(0.8589713468404847, 5);
  });
});
