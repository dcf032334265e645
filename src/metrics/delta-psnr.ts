/**
 * Controllability, Genie §3: ΔtPSNR = PSNR(x_t, x̂_t) − PSNR(x_t, x̂'_t), where x̂_t is generated
 * from latent actions inferred from the real clip and x̂'_t from latent actions drawn uniformly
 * at random. Frames are indexed from 1 as in the paper: x_1 is the prompt frame given to the
 * model and x̂_2..x̂_t are generated autoregressively, so t = 4 is the third generated frame.
 * The paper reports t = 4.
 */
import { LaraError } from '../util/errors.ts';
import { psnr, type Pixels } from './psnr.ts';

export const DELTA_T = 4;

/** PSNR of each frame t = 1..T (index t-1) of a generated clip against the real one. */
export function psnrPerFrame(real: readonly Pixels[], generated: readonly Pixels[], peak = 1): number[] {
  if (real.length !== generated.length) {
    throw new LaraError('psnr per frame: clips differ in length', { expected: `${real.length} frames`, got: `${generated.length}` });
  }
  return real.map((r, i) => psnr(r, generated[i]!, peak));
}

/**
 * ΔtPSNR at frame t (1-based, default 4) for one clip: real frames x_1..x_T, generations with
 * inferred actions and with random actions (each x̂_1..x̂_T, x̂_1 = the prompt).
 */
export function deltaTPsnr(real: readonly Pixels[], inferred: readonly Pixels[], random: readonly Pixels[], t = DELTA_T, peak = 1): number {
  if (!Number.isInteger(t) || t < 2 || t > real.length) {
    throw new LaraError('ΔtPSNR: frame index out of range', { expected: `an integer t in [2, ${real.length}] (1-based; frame 1 is the prompt)`, got: String(t) });
  }
  if (inferred.length < t || random.length < t) {
    throw new LaraError('ΔtPSNR: generated clips too short', { expected: `at least ${t} frames`, got: `${inferred.length} and ${random.length}` });
  }
  const x = real[t - 1]!;
  return psnr(x, inferred[t - 1]!, peak) - psnr(x, random[t - 1]!, peak);
}
