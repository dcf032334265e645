import { describe, expect, it } from 'vitest';
import { deltaTPsnr, psnrPerFrame } from '../../src/metrics/delta-psnr.ts';
import { LaraError } from '../../src/util/errors.ts';

describe('ΔtPSNR', () => {
  const real = [[0], [0], [0], [0], [0]];
  const inferred = [[0], [0.01], [0.01], [0.01], [0.5]];
  const random = [[0], [0.1], [0.1], [0.1], [0.5]];
  it('is PSNR(x_t, x̂_t) − PSNR(x_t, x̂′_t) at 1-based t = 4', () => {
    // frame 4: 40 dB vs 20 dB
    expect(deltaTPsnr(real, inferred, random)).toBeCloseTo(20, 4);
    // frame 5 differs only in later frames: 0
    expect(deltaTPsnr(real, inferred, random, 5)).toBeCloseTo(0, 6);
    expect(psnrPerFrame(real, inferred)[3]).toBeCloseTo(40, 4);
  });
  it('rejects t outside [2, T]', () => {
    expect(() => deltaTPsnr(real, inferred, random, 1)).toThrow(LaraError);
    expect(() => deltaTPsnr(real, inferred, random, 6)).toThrow(LaraError);
  });
});
