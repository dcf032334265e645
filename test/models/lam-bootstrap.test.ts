/**
 * The LAM's anti-collapse options: the change-weighted reconstruction loss, the VQ warm-up
 * (bypass, then k-means codebook init), on pairs of frames of a square moving left / right / up /
 * down.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { LamTask } from '../../src/lam/train.ts';
import { kmeans } from '../../src/nn/kmeans.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { Rng } from '../../src/util/rng.ts';
import { setup, tinyLam } from './helpers.ts';
import { SQUARE_SIZE, squarePairs as pairs } from './moving-square.ts';

beforeAll(setup);

const S = SQUARE_SIZE;

describe('LAM reconstruction loss', () => {
  it("'change' weights moving pixels: it equals MSE when nothing moves and exceeds it when only moving pixels are wrong", () => {
    const mk = (sets: string[]) => {
      const store = new ParamStore(Rng.seeded(1));
      return new LatentActionModel(store.scope('lam'), tinyLam(['model.frames=2', ...sets]).model);
    };
    const plain = mk([]);
    const change = mk(['model.recon=change', 'model.changeWeight=4']);
    const { clip } = pairs(4, Rng.seeded(3));
    const a = plain.forward(clip);
    const b = change.forward(clip); // same seed → same weights and prediction
    expect(b.prediction.dataSync()).toEqual(a.prediction.dataSync());
    // the untrained residual decoder roughly copies x_t, so its error sits on the moving square
    expect(b.reconLoss.dataSync()[0]!).toBeGreaterThan(2 * a.reconLoss.dataSync()[0]!);
    const still = tf.concat([tf.slice(clip, [0, 0, 0, 0, 0], [4, 1, S, S, 3]), tf.slice(clip, [0, 0, 0, 0, 0], [4, 1, S, S, 3])], 1);
    expect(change.forward(still).reconLoss.dataSync()[0]!).toBeCloseTo(plain.forward(still).reconLoss.dataSync()[0]!, 6);
  });
});

describe('LAM encoder options', () => {
  const mk = (sets: string[]) => {
    const store = new ParamStore(Rng.seeded(4));
    return new LatentActionModel(store.scope('lam'), tinyLam(['model.frames=2', ...sets]).model);
  };
  const still = (clip: tf.Tensor) => tf.concat([tf.slice(clip, [0, 0, 0, 0, 0], [4, 1, S, S, 3]), tf.slice(clip, [0, 0, 0, 0, 0], [4, 1, S, S, 3])], 1);

  it('encoderMotion changes the latents only where something moves', () => {
    const { clip } = pairs(4, Rng.seeded(6));
    const raw = mk([]);
    const mot = mk(['model.encoderMotion=10']);
    const d = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
    expect(d(raw.encodeActionsDiff(still(clip)).latents, mot.encodeActionsDiff(still(clip)).latents)).toBeLessThan(1e-6);
    expect(d(raw.encodeActionsDiff(clip).latents, mot.encodeActionsDiff(clip).latents)).toBeGreaterThan(1e-3);
  });

  it('encoderDeltaOnly: the encoder sees only the change, so a static offset of the scene changes nothing', () => {
    const { clip } = pairs(4, Rng.seeded(6));
    const m = mk(['model.encoderMotion=10', 'model.encoderDeltaOnly=true']);
    const shifted = tf.add(clip, 0.05); // same motion, brighter scene
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(m.encodeActionsDiff(clip).latents, m.encodeActionsDiff(shifted).latents))).dataSync()[0]!);
    expect(d).toBeLessThan(1e-5);
    const plain = mk(['model.encoderMotion=10']);
    const dp = tf.tidy(() => tf.max(tf.abs(tf.sub(plain.encodeActionsDiff(clip).latents, plain.encodeActionsDiff(shifted).latents))).dataSync()[0]!);
    expect(dp).toBeGreaterThan(1e-4);
  });

  it("actionReadout 'delta' is toCode(token_{t+1}) − toCode(token_t): the toCode bias cancels", () => {
    const { clip } = pairs(4, Rng.seeded(7));
    const a = mk(['model.actionReadout=delta']);
    const before = a.encodeActionsDiff(clip).latents.dataSync().slice();
    a.toCode.b!.assign(tf.fill([a.cfg.codeDim], 5));
    const after = a.encodeActionsDiff(clip).latents.dataSync();
    for (let i = 0; i < after.length; i++) expect(after[i]!).toBeCloseTo(before[i]!, 4);
    const t = mk([]);
    const tb = t.encodeActionsDiff(clip).latents.dataSync().slice();
    t.toCode.b!.assign(tf.fill([t.cfg.codeDim], 5));
    expect(t.encodeActionsDiff(clip).latents.dataSync()[0]! - tb[0]!).toBeCloseTo(5, 4);
  });

  it('centerLatents: training latents have zero batch mean; LamTask tracks their mean for inference', async () => {
    const cfg = tinyLam(['model.frames=2', 'model.centerLatents=true', 'train.batch=8', 'train.lr=0']); // a fixed encoder, so the EMA converges
    const task = new LamTask(cfg);
    await task.init(Rng.seeded(0));
    const m = task.model;
    const { clip } = pairs(8, Rng.seeded(8));
    const out = m.forward(clip, false, true);
    const mean = tf.tidy(() => tf.mean(tf.reshape(out.latents, [-1, cfg.model.codeDim]), 0).dataSync());
    for (const v of mean) expect(Math.abs(v)).toBeLessThan(1e-5);
    expect(m.batchMean?.shape).toEqual([cfg.model.codeDim]);
    m.batchMean?.dispose();
    m.batchMean = undefined;
    expect(Array.from(m.zMean!.dataSync()).every((v) => v === 0)).toBe(true);
    const rng = Rng.seeded(1);
    for (let s = 0; s < 30; s++) task.step(clip, { step: s, rng });
    // after 30 EMA steps (rate 0.1) on one batch zMean is within 1 − 0.9³⁰ ≈ 96% of that batch's raw mean
    const raw = tf.tidy(() => tf.add(tf.mean(tf.reshape(m.encodeActionsDiff(clip).latents, [-1, cfg.model.codeDim]), 0), m.zMean!).dataSync());
    const zm = m.zMean!.dataSync();
    expect(Math.max(...Array.from(zm, Math.abs))).toBeGreaterThan(1e-3);
    for (let j = 0; j < zm.length; j++) expect(Math.abs(zm[j]! - raw[j]!)).toBeLessThan(0.1 * Math.max(...Array.from(raw, Math.abs)) + 1e-3);
    task.dispose();
  });
});

describe('k-means', () => {
  it('finds well-separated clusters (spherical)', () => {
    const rng = Rng.seeded(5);
    const centres = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [-1, 0, 0],
    ];
    const pts: number[] = [];
    for (let i = 0; i < 200; i++) for (const v of centres[i % 4]!) pts.push(v * 3 + rng.normal(0, 0.05));
    const c = kmeans(Float32Array.from(pts), 3, 4, Rng.seeded(1), { cosine: true });
    const rows = [0, 1, 2, 3].map((k) => Array.from(c.slice(k * 3, k * 3 + 3)));
    for (const want of centres) expect(Math.max(...rows.map((r) => r[0]! * want[0]! + r[1]! * want[1]! + r[2]! * want[2]!))).toBeGreaterThan(0.99);
  });
});

describe('LAM warm-up and bootstrap', () => {
  it('bypasses the VQ for bypassSteps, then k-means-initialises the codebook and switches the VQ on', async () => {
    const cfg = tinyLam([
      'model.frames=2',
      'model.codes=8',
      'model.codeDim=8',
      'model.recon=change',
      'model.changeWeight=2',
      'model.bypassSteps=60',
      'model.encoder.width=32',
      'model.decoder.width=32',
      'train.lr=0.003',
      'train.warmup=10',
      'train.batch=16',
    ]);
    const task = new LamTask(cfg);
    await task.init(Rng.seeded(0));
    const rng = Rng.seeded(1);
    const data = Rng.seeded(2);
    const norms = (): number[] => Array.from((tf.tidy(() => tf.norm(task.model.vq.codebook, 2, 1)).dataSync()));
    for (let s = 0; s < 70; s++) {
      const { clip } = pairs(16, data);
      const r = task.step(clip, { step: s, rng });
      clip.dispose();
      if (s < 59) expect(r.metrics?.vq).toBe(0); // VQ bypassed
      // random init rows have norm ≈ √8; spherical k-means centroids are unit rows
      if (s === 58) expect(Math.max(...norms().map((n) => Math.abs(n - 1)))).toBeGreaterThan(0.3);
      if (s === 59) for (const n of norms()) expect(n).toBeCloseTo(1, 4);
      if (s >= 60) expect(r.metrics?.vq).toBeGreaterThan(0); // VQ on
    }
    task.dispose();
  }, 60_000);
});
