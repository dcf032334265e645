import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { DynamicsModel, dropActions } from '../../src/dynamics/dynamics.ts';
import { trainingMask } from '../../src/dynamics/masking.ts';
import { generate, maskedAfter } from '../../src/dynamics/sampler.ts';
import { dynamicsCost } from '../../src/model-info/models.ts';
import { Rng } from '../../src/util/rng.ts';
import { framesSlice, maxDiff, setup, tinyDynamics } from './helpers.ts';

beforeAll(setup);

const full = tinyDynamics();
const cfg = full.model; // 4×4 grid, T = 4, vocab 16, 4 actions of dim 8
const N = 16;

function build(seed = 4): DynamicsModel {
  return new DynamicsModel(new ParamStore(Rng.seeded(seed)).scope('dynamics'), cfg);
}
function randTokens(b: number, t: number, seed: number): tf.Tensor {
  const r = Rng.seeded(seed);
  return tf.tensor3d(Int32Array.from({ length: b * t * N }, () => r.int(cfg.vocab)), [b, t, N], 'int32');
}
function randActions(b: number, t: number, seed: number): tf.Tensor {
  const r = Rng.seeded(seed);
  return tf.tensor3d(Float32Array.from({ length: b * t * cfg.actionDim }, () => r.normal()), [b, t, cfg.actionDim]);
}

describe('dynamics model', () => {
  it('has the parameter count model-info computes and [B, T, N, V] logits', () => {
    const store = new ParamStore(Rng.seeded(1));
    const m = new DynamicsModel(store.scope('dynamics'), cfg);
    expect(store.count()).toBe(dynamicsCost(cfg).total.params);
    const { mask } = trainingMask(2, 4, N, Rng.seeded(1));
    const out = m.forward(randTokens(2, 4, 1), tf.tensor3d(mask, [2, 4, N], 'bool'), randActions(2, 3, 1));
    expect(out.logits.shape).toEqual([2, 4, N, cfg.vocab]);
    expect(out.loss.dataSync()[0]).toBeGreaterThan(2); // ≈ ln 16 at init
  });

  it("spatialInit sincos2d starts the spatial table from the grid's topology, with the same parameters", () => {
    const store = new ParamStore(Rng.seeded(1));
    const m = new DynamicsModel(store.scope('dynamics'), { ...cfg, spatialInit: 'sincos2d' });
    expect(store.count()).toBe(dynamicsCost(cfg).total.params);
    const table = m.pos.spatial.arraySync() as number[][]; // [N, D], 4×4 grid
    const dist = (a: number, b: number) => Math.hypot(...table[a]!.map((v, k) => v - table[b]![k]!));
    expect(dist(5, 6)).toBeLessThan(dist(5, 7)); // right neighbour closer than two to the right
    expect(dist(5, 9)).toBeLessThan(dist(5, 13)); // row below closer than two rows below
    expect(dist(5, 6)).toBeGreaterThan(0);
    const again = new DynamicsModel(new ParamStore(Rng.seeded(2)).scope('dynamics'), { ...cfg, spatialInit: 'sincos2d' });
    expect(maxDiff(again.pos.spatial.dataSync(), m.pos.spatial.dataSync())).toBe(0); // draws no randomness
  });

  it('spatialBias adds the parameters model-info counts; actionGain g on a equals gain 1 on g·a', () => {
    const store = new ParamStore(Rng.seeded(1));
    const withBias = { ...cfg, spatialBias: true };
    new DynamicsModel(store.scope('dynamics'), withBias); // registers its parameters in store
    expect(store.count()).toBe(dynamicsCost(withBias).total.params);
    expect(store.count() - dynamicsCost(cfg).total.params).toBe(cfg.body.layers * cfg.body.heads * (2 * cfg.gridH - 1 + 2 * cfg.gridW - 1));
    const loud = new DynamicsModel(new ParamStore(Rng.seeded(5)).scope('dynamics'), { ...cfg, actionGain: 4 });
    const plain = new DynamicsModel(new ParamStore(Rng.seeded(5)).scope('dynamics'), cfg);
    const t = randTokens(1, 4, 9);
    const mask = tf.zeros([1, 4, N], 'bool');
    const a = randActions(1, 3, 10);
    expect(maxDiff(loud.logits(t, mask, a).dataSync(), plain.logits(t, mask, tf.mul(a, 4)).dataSync())).toBeLessThan(1e-5);
    expect(maxDiff(loud.logits(t, mask, a).dataSync(), plain.logits(t, mask, a).dataSync())).toBeGreaterThan(1e-4);
  });

  it('is causal: logits at t ignore later frames and later actions', () => {
    const m = build();
    const ta = randTokens(1, 4, 2);
    const tb = tf.concat([tf.slice(ta, [0, 0, 0], [1, 2, N]), randTokens(1, 2, 3)], 1);
    const aa = randActions(1, 3, 4);
    const ab = tf.concat([tf.slice(aa, [0, 0, 0], [1, 1, cfg.actionDim]), randActions(1, 2, 5)], 1);
    const mask = tf.zeros([1, 4, N], 'bool');
    const la = m.logits(ta, mask, aa);
    const lb = m.logits(tb, mask, ab);
    expect(maxDiff(framesSlice(la, 0, 2), framesSlice(lb, 0, 2))).toBeLessThan(1e-5);
    expect(maxDiff(framesSlice(la, 2, 4), framesSlice(lb, 2, 4))).toBeGreaterThan(1e-4);
  });

  it('actions change the next frame only (additive, a_t onto frame t+1)', () => {
    const m = build();
    const t = randTokens(1, 4, 6);
    const mask = tf.zeros([1, 4, N], 'bool');
    const a1 = randActions(1, 3, 7);
    const a2 = tf.concat([tf.slice(a1, [0, 0, 0], [1, 1, cfg.actionDim]), randActions(1, 2, 8)], 1); // a_2, a_3 differ
    const l1 = m.logits(t, mask, a1);
    const l2 = m.logits(t, mask, a2);
    expect(maxDiff(framesSlice(l1, 0, 2), framesSlice(l2, 0, 2))).toBeLessThan(1e-5);
    expect(maxDiff(framesSlice(l1, 2, 3), framesSlice(l2, 2, 3))).toBeGreaterThan(1e-4);
  });
});

describe('dynamics loss weights', () => {
  it('changeWeight w weighs a masked token that changed since the previous frame w, an unchanged one 1', () => {
    // one clip of 3 frames × 2 tokens: token 0 changes at frame 2, token 1 at frame 3
    const tokens = tf.tensor3d([1, 2, 5, 2, 5, 7], [1, 3, 2], 'int32');
    const mask = tf.tensor3d([0, 0, 1, 1, 1, 0], [1, 3, 2], 'bool');
    const small = { ...cfg, gridH: 1, gridW: 2, frames: 3 };
    const plain = new DynamicsModel(new ParamStore(Rng.seeded(1)).scope('dynamics'), small);
    expect(Array.from(plain.lossWeights(tokens, mask).dataSync())).toEqual([0, 0, 1, 1, 1, 0]);
    const heavy = new DynamicsModel(new ParamStore(Rng.seeded(1)).scope('dynamics'), { ...small, changeWeight: 4 });
    expect(Array.from(heavy.lossWeights(tokens, mask).dataSync())).toEqual([0, 0, 4, 1, 1, 0]);
    const a = randActions(1, 2, 3);
    expect(heavy.forward(tokens, mask, a).loss.dataSync()[0]).not.toBeCloseTo(plain.forward(tokens, mask, a).loss.dataSync()[0]!, 4);
  });
});

describe('action dropout (classifier-free guidance training)', () => {
  it('zeroes whole clips with probability p and draws nothing at p = 0', () => {
    const a = tf.add(randActions(64, 3, 20), 5); // no zero entries
    const rng = Rng.seeded(3);
    expect(dropActions(a, 0, rng)).toBe(a);
    expect(rng.next()).toBe(Rng.seeded(3).next()); // the stream is untouched
    const d = dropActions(a, 0.5, Rng.seeded(4)).arraySync() as number[][][];
    const src = a.arraySync() as number[][][];
    const dropped = d.filter((clip) => clip.every((row) => row.every((v) => v === 0))).length;
    const kept = d.filter((clip, i) => JSON.stringify(clip) === JSON.stringify(src[i])).length;
    expect(dropped + kept).toBe(64); // each clip is either all null or untouched
    expect(dropped).toBeGreaterThan(16);
    expect(dropped).toBeLessThan(48);
  });
});

describe('MaskGIT training mask', () => {
  it('never masks frame 1 and masks frames 2..T at a per-sequence rate ~ U(0.5, 1)', () => {
    const b = 400;
    const t = 4;
    const n = 64;
    const { mask, rates } = trainingMask(b, t, n, Rng.seeded(11));
    let first = 0;
    let masked = 0;
    let rateErr = 0;
    for (let i = 0; i < b; i++) {
      let mi = 0;
      for (let j = 0; j < n; j++) first += mask[(i * t) * n + j]!;
      for (let f = 1; f < t; f++) for (let j = 0; j < n; j++) mi += mask[(i * t + f) * n + j]!;
      masked += mi;
      rateErr = Math.max(rateErr, Math.abs(mi / ((t - 1) * n) - rates[i]!));
    }
    expect(first).toBe(0);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...rates)).toBeLessThan(1);
    const mean = rates.reduce((s, r) => s + r, 0) / b;
    expect(mean).toBeGreaterThan(0.72);
    expect(mean).toBeLessThan(0.78);
    expect(masked / (b * (t - 1) * n)).toBeCloseTo(mean, 1);
    expect(rateErr).toBeLessThan(0.15); // per-sequence fraction follows its own rate
  });
});

describe('MaskGIT sampler', () => {
  it('cosine schedule unmasks everything by the last step', () => {
    expect(maskedAfter(0, 25, 256, 'cosine')).toBe(256);
    expect(maskedAfter(25, 25, 256, 'cosine')).toBe(0);
    expect(maskedAfter(12, 25, 256, 'cosine')).toBeGreaterThan(maskedAfter(13, 25, 256, 'cosine'));
  });

  it('is deterministic under a seed and differs across seeds', () => {
    const m = build(5);
    const prompt = randTokens(2, 1, 9).dataSync() as Int32Array;
    const acts = randActions(2, 3, 10);
    const o = full.sampler;
    const g1 = generate(m, prompt, 2, 1, 4, acts, o, Rng.seeded(42));
    const g2 = generate(m, prompt, 2, 1, 4, acts, o, Rng.seeded(42));
    const g3 = generate(m, prompt, 2, 1, 4, acts, o, Rng.seeded(43));
    expect(g1.length).toBe(2 * 4 * N);
    expect(Array.from(g1)).toEqual(Array.from(g2));
    expect(Array.from(g1)).not.toEqual(Array.from(g3));
    expect(Array.from(g1.subarray(0, N))).toEqual(Array.from(prompt.subarray(0, N))); // prompt kept
    expect(Math.max(...g1)).toBeLessThan(cfg.vocab);
  });

  it('topP keeps draws inside the nucleus: a tiny nucleus is argmax decoding, the full one is not', () => {
    const m = build(6);
    const prompt = randTokens(2, 1, 11).dataSync() as Int32Array;
    const acts = randActions(2, 3, 12);
    const o = { ...full.sampler, temperature: 1, anneal: 'none' as const };
    const argmax = generate(m, prompt, 2, 1, 4, acts, { ...o, temperature: 0 }, Rng.seeded(1));
    expect(Array.from(generate(m, prompt, 2, 1, 4, acts, { ...o, topP: 1e-6 }, Rng.seeded(2)))).toEqual(Array.from(argmax));
    expect(Array.from(generate(m, prompt, 2, 1, 4, acts, { ...o, topP: 1 }, Rng.seeded(2)))).not.toEqual(Array.from(argmax));
  });

  it('guidance w decodes argmax of cond + w·(cond − null-action logits); w = 0 is the plain sampler', () => {
    const m = build(7);
    const prompt = randTokens(2, 1, 13).dataSync() as Int32Array;
    const acts = randActions(2, 3, 14);
    const o = { ...full.sampler, steps: 1, temperature: 0 };
    // one step at temperature 0 fills frame 2 with the argmax of the (guided) logits
    const frame2 = (g: Int32Array): number[] => [0, 1].flatMap((i) => Array.from(g.subarray((i * 4 + 1) * N, (i * 4 + 2) * N))); // [B, N]
    const tok = tf.concat([tf.tensor3d(prompt, [2, 1, N], 'int32'), tf.zeros([2, 1, N], 'int32')], 1); // [2, 2, N]
    const mask = tf.concat([tf.zeros([2, 1, N], 'bool'), tf.ones([2, 1, N], 'bool')], 1);
    const a = tf.slice(acts, [0, 0, 0], [2, 1, cfg.actionDim]);
    const cond = tf.slice(m.logits(tok, mask, a), [0, 1, 0, 0], [2, 1, N, cfg.vocab]);
    const nul = tf.slice(m.logits(tok, mask, tf.zerosLike(a)), [0, 1, 0, 0], [2, 1, N, cfg.vocab]);
    const w = 3;
    const want = Array.from(tf.argMax(tf.add(cond, tf.mul(tf.sub(cond, nul), w)), -1).dataSync());
    expect(frame2(generate(m, prompt, 2, 1, 4, acts, { ...o, guidance: w }, Rng.seeded(1)))).toEqual(want);
    expect(want).not.toEqual(Array.from(tf.argMax(cond, -1).dataSync())); // guidance changed something
    expect(frame2(generate(m, prompt, 2, 1, 4, acts, { ...o, guidance: 0 }, Rng.seeded(1)))).toEqual(Array.from(tf.argMax(cond, -1).dataSync()));
  });
});
