import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { lamCost } from '../../src/model-info/models.ts';
import { Rng } from '../../src/util/rng.ts';
import { framesSlice, maxDiff, randomFrames, setup, tinyLam, lastFrameChanged } from './helpers.ts';

beforeAll(setup);

describe('latent action model (pixels)', () => {
  const cfg = tinyLam().model; // 16×16, patch 8 → N = 4, T = 4, 4 codes
  const build = () => {
    const store = new ParamStore(Rng.seeded(2));
    return { store, lam: new LatentActionModel(store.scope('lam'), cfg) };
  };

  it('has the parameter count model-info computes', () => {
    expect(build().store.count()).toBe(lamCost(cfg).total.params);
  });

  it('emits T-1 action codes and predicts x_2..x_T in (0, 1)', () => {
    const { lam } = build();
    const x = randomFrames(2, 4, 16, 16, 1);
    const codes = lam.encodeActions(x);
    expect(codes.shape).toEqual([2, 3]);
    expect(Math.max(...codes.dataSync())).toBeLessThan(cfg.codes);
    const out = lam.forward(x);
    expect(out.actions.shape).toEqual([2, 3, cfg.codeDim]);
    expect(out.prediction.shape).toEqual([2, 3, 16, 16, 3]);
    const p = out.prediction.dataSync();
    expect(Math.min(...p)).toBeGreaterThan(0);
    expect(Math.max(...p)).toBeLessThan(1);
    expect(Array.from(out.codes.dataSync())).toEqual(Array.from(codes.dataSync()));
    expect(lam.codebook()).toHaveLength(cfg.codes);
  });

  it('is causal: a_t and the prediction of x_{t+1} ignore frames after t+1', () => {
    const { lam } = build();
    const { a, b } = lastFrameChanged();
    const la = lam.encodeActionsDiff(a).latents; // [1, 3, Dc]
    const lb = lam.encodeActionsDiff(b).latents;
    expect(maxDiff(framesSlice(la, 0, 2), framesSlice(lb, 0, 2))).toBeLessThan(1e-5);
    expect(maxDiff(framesSlice(la, 2, 3), framesSlice(lb, 2, 3))).toBeGreaterThan(1e-4);
    // decoder: same inputs up to frame 2 and same actions → same prediction of x_2, x_3
    const acts = lam.encodeActionsDiff(a).actions;
    const pa = lam.decode(lam.inputs(a), acts);
    const pb = lam.decode(lam.inputs(b), acts);
    expect(maxDiff(framesSlice(pa, 0, 3), framesSlice(pb, 0, 3))).toBeLessThan(1e-5);
  });
});

describe('latent action model (tokens, ablation)', () => {
  const cfg = tinyLam(['model.input=tokens']).model; // 4×4 token grid, vocab 16
  it('runs on token ids with cross-entropy and matches model-info', () => {
    const store = new ParamStore(Rng.seeded(3));
    const lam = new LatentActionModel(store.scope('lam'), cfg);
    expect(store.count()).toBe(lamCost(cfg).total.params);
    const r = Rng.seeded(9);
    const ids = tf.tensor3d(Int32Array.from({ length: 2 * 4 * 16 }, () => r.int(16)), [2, 4, 16], 'int32');
    const out = lam.forward(ids);
    expect(out.prediction.shape).toEqual([2, 3, 16, 16]);
    expect(out.codes.shape).toEqual([2, 3]);
    expect(out.reconLoss.dataSync()[0]).toBeGreaterThan(1); // ≈ ln 16 at init
  });
});

describe('a 2-frame LAM over longer clips', () => {
  it('labels every transition of a 4-frame clip from its own (x_t, x_{t+1}) pair', async () => {
    const { inferCodes, forwardClip } = await import('../../src/lam/apply.ts');
    const cfg = tinyLam(['model.frames=2']).model;
    const lam = new LatentActionModel(new ParamStore(Rng.seeded(6)).scope('lam'), cfg);
    const x = randomFrames(2, 4, 16, 16, 12);
    const codes = inferCodes(lam, x);
    expect(codes.shape).toEqual([2, 3]);
    for (let t = 0; t < 3; t++) {
      const pair = tf.slice(x, [0, t, 0, 0, 0], [2, 2, 16, 16, 3]);
      const c = lam.encodeActions(pair).dataSync();
      expect([codes.dataSync()[t], codes.dataSync()[3 + t]]).toEqual([c[0], c[1]]);
    }
    const out = forwardClip(lam, x);
    expect(out.actions.shape).toEqual([2, 3, cfg.codeDim]);
    expect(Array.from(out.codes.dataSync())).toEqual(Array.from(codes.dataSync()));
  });
});

describe('latent decorrelation (model.decorrelate)', () => {
  it('offDiagonalCorrelation: 0 for uncorrelated columns, 1 for columns on one line, 0 for one column', async () => {
    const { offDiagonalCorrelation } = await import('../../src/nn/losses.ts');
    const rng = Rng.seeded(5);
    const m = 4000;
    const a = Array.from({ length: m }, () => rng.normal());
    const b = Array.from({ length: m }, () => rng.normal());
    const z = (cols: number[][]) => tf.tensor2d(Array.from({ length: m }, (_, i) => cols.map((c) => c[i]!)));
    expect(offDiagonalCorrelation(z([a, b])).dataSync()[0]).toBeLessThan(0.002);
    expect(offDiagonalCorrelation(z([a, a.map((v) => -3 * v + 1), a.map((v) => 2 * v)])).dataSync()[0]).toBeCloseTo(1, 4);
    // two of three columns equal: pairs (0,1) correlated, (0,2), (1,2) not → 2 of 6 entries are 1
    expect(offDiagonalCorrelation(z([a, a, b])).dataSync()[0]).toBeCloseTo(1 / 3, 2);
    expect(offDiagonalCorrelation(z([a])).dataSync()[0]).toBe(0);
  });

  it('adds decorrelate · corrLoss to the training loss only', () => {
    const c = { ...tinyLam().model, codeDim: 2, codes: 4, decorrelate: 0.5 };
    const lam = new LatentActionModel(new ParamStore(Rng.seeded(2)).scope('lam'), c);
    const x = randomFrames(3, 4, 16, 16, 1);
    const train = lam.forward(x, false, true);
    const corr = train.corrLoss.dataSync()[0]!;
    expect(corr).toBeGreaterThan(0);
    expect(train.loss.dataSync()[0]).toBeCloseTo(train.reconLoss.dataSync()[0]! + train.vqLoss.dataSync()[0]! + 0.5 * corr, 6);
    const infer = lam.forward(x);
    expect(infer.corrLoss.dataSync()[0]).toBe(0);
    expect(infer.loss.dataSync()[0]).toBeCloseTo(infer.reconLoss.dataSync()[0]! + infer.vqLoss.dataSync()[0]!, 6);
  });
});
