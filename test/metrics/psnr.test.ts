import { describe, expect, it } from 'vitest';
import { mse, psnr, meanPsnr } from '../../src/metrics/psnr.ts';
import { LaraError } from '../../src/util/errors.ts';

describe('psnr', () => {
  it('matches 10·log10(1/MSE) on a known difference', () => {
    const a = new Float32Array([0, 0, 0, 0]);
    const b = new Float32Array([0.1, 0.1, 0.1, 0.1]);
    expect(mse(a, b)).toBeCloseTo(0.01, 7);
    expect(psnr(a, b)).toBeCloseTo(20, 4);
    expect(psnr([0, 255], [0, 0], 255)).toBeCloseTo(10 * Math.log10(2), 6);
  });
  it('caps identical inputs and averages frames', () => {
    expect(psnr([0.3, 0.4], [0.3, 0.4])).toBe(100);
    expect(meanPsnr([[0], [0]], [[0.1], [0.01]])).toBeCloseTo((20 + 40) / 2, 4);
  });
  it('rejects mismatched lengths with a LaraError', () => {
    expect(() => psnr([0, 1], [0])).toThrow(LaraError);
  });
});
