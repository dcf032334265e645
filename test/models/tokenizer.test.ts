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

describe('video tokenizer with localEncoder', () => {
  const cfg = tinyTokenizer(['model.localEncoder=true']).model; // 16×16, patch 4 → N = 16, T = 4
  const build = (c = cfg) => {
    const store = new ParamStore(Rng.seeded(1));
    return { store, tok: new VideoTokenizer(store.scope('tokenizer'), c) };
  };
  /** A clip whose 4 frames are one random frame, except the top-left 4×4 patch, new in every frame. */
  const oneMovingPatch = (): tf.Tensor => {
    const still = randomFrames(1, 1, 16, 16, 7).dataSync();
    const moving = randomFrames(1, 4, 4, 4, 8).dataSync();
    const v = new Float32Array(4 * 16 * 16 * 3);
    for (let t = 0; t < 4; t++) {
      v.set(still, t * 768);
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) v[t * 768 + (y * 16 + x) * 3 + c] = moving[((t * 4 + y) * 4 + x) * 3 + c]!;
    }
    return tf.tensor(v, [1, 4, 16, 16, 3]);
  };

  it('has the parameter count model-info computes, with no encoder positions or attention', () => {
    const { store, tok } = build();
    expect(store.count()).toBe(tokenizerCost(cfg).total.params);
    expect(tok.encPos).toBeUndefined();
    expect(store.count()).toBeLessThan(build(tinyTokenizer().model).store.count());
  });

  it('gives an unchanged patch the same latent in every frame; the ST encoder does not', () => {
    const x = oneMovingPatch();
    const perFrame = (z: tf.Tensor) => [0, 1, 2, 3].map((t) => framesSlice(z, t, t + 1)); // [1, 1, N, Dc] each
    const still = (f: Float32Array, dc: number) => f.slice(dc); // every token but the moving patch 0
    const local = perFrame(build().tok.latents(x));
    const st = perFrame(build(tinyTokenizer().model).tok.latents(x));
    for (let t = 1; t < 4; t++) {
      expect(maxDiff(still(local[t]!, cfg.codeDim), still(local[0]!, cfg.codeDim))).toBeLessThan(1e-6);
      expect(maxDiff(local[t]!.slice(0, cfg.codeDim), local[0]!.slice(0, cfg.codeDim))).toBeGreaterThan(1e-4);
      expect(maxDiff(still(st[t]!, cfg.codeDim), still(st[0]!, cfg.codeDim))).toBeGreaterThan(1e-4);
    }
    const ids = build().tok.encode(x).arraySync() as number[][][];
    for (let t = 1; t < 4; t++) expect(ids[0]![t]!.slice(1)).toEqual(ids[0]![0]!.slice(1));
  });
});
