import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { VideoTokenizer } from '../../src/tokenizer/tokenizer.ts';
import { tokenizerCost } from '../../src/model-info/models.ts';
import { Rng } from '../../src/util/rng.ts';
import { framesSlice, maxDiff, randomFrames, setup, tinyTokenizer } from './helpers.ts';

beforeAll(setup);

describe('video tokenizer', () => {
  const cfg = tinyTokenizer().model; // 16×16, patch 4 → N = 16, T = 4
  const build = (seed = 1) => {
    const store = new ParamStore(Rng.seeded(seed));
    return { store, tok: new VideoTokenizer(store.scope('tokenizer'), cfg) };
  };

  it('has the parameter count model-info computes', () => {
    const { store } = build();
    expect(store.count()).toBe(tokenizerCost(cfg).total.params);
  });

  it('encodes to [B, T, N] tokens and decodes back to frames', () => {
    const { tok } = build();
    const x = randomFrames(2, 4, 16, 16, 3);
    const ids = tok.encode(x);
    expect(ids.shape).toEqual([2, 4, 16]);
    expect(ids.dtype).toBe('int32');
    const v = ids.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(cfg.codes);
    const y = tok.decode(ids);
    expect(y.shape).toEqual([2, 4, 16, 16, 3]);
    const out = tok.forward(x);
    expect(out.recon.shape).toEqual([2, 4, 16, 16, 3]);
    expect(Number.isFinite(out.loss.dataSync()[0]!)).toBe(true);
  });

  it('is causal in time: tokens and reconstructions at t do not see frames after t', () => {
    const { tok } = build();
    const a = randomFrames(1, 4, 16, 16, 5);
    const later = randomFrames(1, 2, 16, 16, 6);
    const b = tf.concat([tf.slice(a, [0, 0, 0, 0, 0], [1, 2, 16, 16, 3]), later], 1);
    const za = tok.latents(a);
    const zb = tok.latents(b);
    expect(maxDiff(framesSlice(za, 0, 2), framesSlice(zb, 0, 2))).toBeLessThan(1e-5);
    expect(maxDiff(framesSlice(za, 2, 4), framesSlice(zb, 2, 4))).toBeGreaterThan(1e-3);
    const ra = tok.forward(a).recon;
    const rb = tok.forward(b).recon;
    expect(maxDiff(framesSlice(ra, 0, 2), framesSlice(rb, 0, 2))).toBeLessThan(1e-5);
  });
});
