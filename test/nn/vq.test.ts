import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { ParamStore } from '../../src/nn/params.ts';
import { VectorQuantizer } from '../../src/nn/vq.ts';
import { maxAbsDiff, randn, Rng, tf, useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('VectorQuantizer', () => {
  it('plain mode: forward gives the nearest codes, backward passes straight through to z', () => {
    const store = new ParamStore(Rng.seeded(1));
    const vq = new VectorQuantizer(store.root(), { codes: 4, dim: 2, cosine: false, deadAfter: 0 });
    vq.codebook.assign(tf.tensor2d([[0, 0], [1, 0], [0, 1], [5, 5]]));
    const z = tf.tensor2d([[0.9, 0.1], [0.1, 0.2], [4, 6], [0.2, 0.7]]);
    const r = vq.apply(z);
    expect(Array.from(r.indices.dataSync())).toEqual([1, 0, 3, 2]);
    expect(Array.from(r.quantized.dataSync())).toEqual([1, 0, 0, 0, 5, 5, 0, 1]);
    const w = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const gz = tf.grad((zz: Tensor) => tf.sum(tf.mul(vq.apply(zz).quantized, w)))(z);
    expect(maxAbsDiff(gz, w)).toBeLessThan(1e-6); // straight-through: identity
    // codebook loss moves only codes, commitment only z
    const gzCb = tf.grad((zz: Tensor) => tf.add(vq.apply(zz).codebookLoss, tf.mul(tf.sum(zz), 0)))(z);
    expect(tf.max(tf.abs(gzCb)).dataSync()[0]).toBe(0);
    const gzCommit = tf.grad((zz: Tensor) => vq.apply(zz).commitLoss)(z);
    // d/dz mean((z − q)²) = 2(z − q)/numel
    const q = r.quantized;
    expect(maxAbsDiff(gzCommit, tf.mul(tf.sub(z, q), 2 / 8))).toBeLessThan(1e-6);
    const { grads } = store.valueAndGrads(() => vq.apply(z).codebookLoss);
    // d/dc_k = Σ_{i: idx=k} 2(c_k − z_i)/numel; code 3 chosen by z=[4,6]: 2·([5,5]−[4,6])/8
    expect(Array.from(grads.get('codebook')!.dataSync().slice(6, 8))).toEqual([0.25, -0.25]);
    expect(r.loss.dataSync()[0]).toBeCloseTo(r.codebookLoss.dataSync()[0]! * 1.25, 6);
  });

  it('cosine mode: unit-norm codes chosen by cosine similarity', () => {
    const store = new ParamStore(Rng.seeded(2));
    const vq = new VectorQuantizer(store.root(), { codes: 3, dim: 2, cosine: true });
    vq.codebook.assign(tf.tensor2d([[10, 0], [0, 0.1], [-3, -3]]));
    const r = vq.apply(tf.tensor2d([[0.1, 5], [7, 1], [-0.1, -0.2]]));
    expect(Array.from(r.indices.dataSync())).toEqual([1, 0, 2]);
    const qn = tf.norm(r.quantized, 2, -1).dataSync();
    for (const n of qn) expect(n).toBeCloseTo(1, 5);
    expect(maxAbsDiff(tf.slice(r.quantized, [0, 0], [1, 2]), tf.tensor2d([[0, 1]]))).toBeLessThan(1e-5);
  });

  it('resets codes unused for deadAfter steps to batch latents and counts usage', () => {
    const store = new ParamStore(Rng.seeded(3));
    const vq = new VectorQuantizer(store.root(), { codes: 8, dim: 2, cosine: false, deadAfter: 3 });
    vq.codebook.assign(tf.tensor2d([[0, 0], [1, 1], [50, 50], [60, 60], [70, 70], [80, 80], [90, 90], [99, 99]]));
    const z = tf.tensor2d([[0.1, 0], [0.9, 1], [1.1, 1], [0, 0.1]]);
    const rng = Rng.seeded(4);
    for (let s = 1; s <= 2; s++) {
      const idx = vq.encode(z);
      expect(vq.update(idx, z, rng)).toEqual([]);
    }
    const before = vq.codebook.dataSync().slice();
    const reset = vq.update(vq.encode(z), z, rng);
    expect(reset).toEqual([2, 3, 4, 5, 6, 7]);
    const after = vq.codebook.dataSync();
    expect(Array.from(after.slice(0, 4))).toEqual(Array.from(before.slice(0, 4))); // used codes untouched
    const zs = z.arraySync() as number[][];
    for (const c of reset) {
      const row = [after[2 * c]!, after[2 * c + 1]!];
      const d = Math.min(...zs.map((zr) => Math.hypot(zr[0]! - row[0]!, zr[1]! - row[1]!)));
      expect(d).toBeLessThan(1e-2); // moved onto a latent of the batch
    }
    expect(vq.usageCounts()).toEqual([6, 6, 0, 0, 0, 0, 0, 0]);
    expect(vq.activeCodes()).toBe(2);
    // the reset codes get a grace period: no reset on the next step
    expect(vq.update(vq.encode(z), z, rng)).toEqual([]);
    const st = vq.usageState();
    const vq2 = new VectorQuantizer(new ParamStore(Rng.seeded(5)).root(), { codes: 8, dim: 2, cosine: false, deadAfter: 3 });
    vq2.loadUsage(st);
    expect(vq2.usageState()).toEqual(st);
  });

  it('works as the 8-code LAM and the 1024-code tokenizer bottleneck', () => {
    for (const codes of [8, 1024]) {
      const store = new ParamStore(Rng.seeded(codes));
      const vq = new VectorQuantizer(store.root(), { codes, dim: 32 });
      const z = randn(Rng.seeded(7), [2, 3, 16, 32]);
      const r = vq.apply(z);
      expect(r.quantized.shape).toEqual([2, 3, 16, 32]);
      expect(r.indices.shape).toEqual([2, 3, 16]);
      const ids = r.indices.dataSync();
      expect(Math.min(...ids)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...ids)).toBeLessThan(codes);
      expect(Number.isFinite(r.loss.dataSync()[0])).toBe(true);
      expect(Array.from(vq.lookup(r.indices).dataSync())).toEqual(Array.from(r.quantized.dataSync()));
    }
  });

  it('fixed cube-corner codebook: the code is the sign pattern of z, it gets no gradient and no code is ever reset', () => {
    const store = new ParamStore(Rng.seeded(3));
    const vq = new VectorQuantizer(store.root(), { codes: 8, dim: 3, fixed: true, deadAfter: 1 });
    const z = randn(Rng.seeded(4), [64, 3]);
    const signs = Array.from({ length: 64 }, (_, i) => [0, 1, 2].reduce((c, j) => c + (z.dataSync()[i * 3 + j]! > 0 ? 1 << j : 0), 0));
    expect(Array.from(vq.encode(z).dataSync())).toEqual(signs);
    expect(vq.codebook.trainable).toBe(false);
    const before = Array.from(vq.codebook.dataSync());
    for (let s = 0; s < 5; s++) expect(vq.update([0, 0, 0], z, Rng.seeded(s))).toEqual([]);
    expect(Array.from(vq.codebook.dataSync())).toEqual(before);
    expect(() => new VectorQuantizer(new ParamStore(Rng.seeded(0)).root(), { codes: 6, dim: 3, fixed: true })).toThrow(/2\^dim/);
  });
});
