/**
 * The LAM's keypoint encoder (model.encoderKind = 'keypoints'): a_t is a linear map of how far
 * soft-argmax keypoints moved between x_t and x_{t+1}, so it sees only those two frames, a still
 * pair carries no motion, and the same motion at another place gives the same latent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { lamCost } from '../../src/model-info/models.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { Rng } from '../../src/util/rng.ts';
import { framesSlice, maxDiff, randomFrames, setup, tinyLam, lastFrameChanged } from './helpers.ts';
import { SQUARE_SIZE as S } from './moving-square.ts';

beforeAll(setup);

const build = (sets: string[] = []) => {
  const store = new ParamStore(Rng.seeded(5));
  const cfg = tinyLam(['model.encoderKind=keypoints', 'model.keypoints=4', ...sets]).model;
  return { store, cfg, lam: new LatentActionModel(store.scope('lam'), cfg) };
};

/** One clip [1, 2, S, S, 3]: a 4×4 square at (x, y), then at (x + dx, y + dy), on a dark background. */
function square(x: number, y: number, dx: number, dy: number): tf.Tensor {
  const v = new Float32Array(2 * S * S * 3).fill(0.1);
  for (let t = 0; t < 2; t++)
    for (let j = 0; j < 4; j++)
      for (let i = 0; i < 4; i++) {
        const o = ((t * S + y + t * dy + j) * S + x + t * dx + i) * 3;
        v[o] = 0.9;
        v[o + 1] = 0.8;
        v[o + 2] = 0.3;
      }
  return tf.tensor(v, [1, 2, S, S, 3]);
}

describe('LAM keypoint encoder', () => {
  it('has the parameter count model-info computes (no ST encoder is built)', () => {
    const { store, cfg } = build();
    expect(store.count()).toBe(lamCost(cfg).total.params);
    expect(store.names().some((n) => n.includes('action_token'))).toBe(false);
  });

  it('is causal: a_t depends on x_t and x_{t+1} only', () => {
    const { lam } = build();
    const { a, b } = lastFrameChanged();
    const la = lam.encodeActionsDiff(a).latents; // [1, 3, Dc]
    const lb = lam.encodeActionsDiff(b).latents;
    expect(maxDiff(framesSlice(la, 0, 2), framesSlice(lb, 0, 2))).toBeLessThan(1e-6);
    expect(maxDiff(framesSlice(la, 2, 3), framesSlice(lb, 2, 3))).toBeGreaterThan(1e-4);
  });

  it('a still pair has no motion: its latent is the displacement map at zero', () => {
    const { lam, cfg } = build(['model.frames=2']);
    const z = lam.encodeActionsDiff(square(5, 5, 0, 0)).latents.dataSync();
    const bias = lam.toCode.b!.dataSync();
    for (let j = 0; j < cfg.codeDim; j++) expect(z[j]!).toBeCloseTo(bias[j]!, 5);
  });

  it('the same motion at another place gives (almost) the same latent; another motion does not', () => {
    const { lam } = build(['model.frames=2']);
    const z = (clip: tf.Tensor) => lam.encodeActionsDiff(clip).latents.dataSync();
    const here = z(square(4, 4, 2, 0));
    const there = z(square(8, 7, 2, 0));
    const other = z(square(4, 4, 0, 2));
    expect(maxDiff(here, there)).toBeLessThan(0.25 * maxDiff(here, other));
  });

  it('refuses token input and a kpPatch that does not divide the frame, naming the field', () => {
    expect(() => build(['model.input=tokens'])).toThrow(/model\.encoderKind/);
    expect(() => build(['model.kpPatch=3'])).toThrow(/model\.kpPatch/);
  });
});
