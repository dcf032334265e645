/** Attention and ST-block: gradients against finite differences, and causality in time. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { MultiHeadAttention } from '../../src/nn/attention.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { STBlock, STStack } from '../../src/nn/st_block.ts';
import { gradCheck, maxAbsDiff, randn, Rng, tf, useWasm } from './helpers.ts';

beforeAll(useWasm);

/** Plain per-group reference attention from stock ops on [G, L, D]. */
function refAttention(att: MultiHeadAttention, x: Tensor, causal: boolean): Tensor {
  const [g, l, d] = x.shape as [number, number, number];
  const h = att.heads;
  const dh = d / h;
  const x2 = tf.reshape(x, [g * l, d]) as tf.Tensor2D;
  const proj = (w: tf.Variable, b: tf.Variable) => tf.add(tf.matMul(x2, w as tf.Tensor2D), b);
  const qkv = proj(att.qkv.w, att.qkv.b!); // [GL, 3D]
  const [q, k, v] = tf.split(qkv, 3, 1).map((t) => tf.transpose(tf.reshape(t, [g, l, h, dh]), [0, 2, 1, 3])); // [G, H, L, dh]
  let s = tf.div(tf.matMul(q!, k!, false, true), Math.sqrt(dh)); // [G, H, L, L]
  if (causal) s = tf.add(s, tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([l, l]), -1, 0)), -1e9));
  const o = tf.reshape(tf.transpose(tf.matMul(tf.softmax(s), v!), [0, 2, 1, 3]), [g * l, d]) as tf.Tensor2D;
  return tf.reshape(tf.add(tf.matMul(o, att.out.w as tf.Tensor2D), att.out.b!), [g, l, d]);
}

describe('MultiHeadAttention', () => {
  it('matches a plain reference implementation (causal and not)', () => {
    const store = new ParamStore(Rng.seeded(1));
    const a = new MultiHeadAttention(store.scope('a'), 8, { heads: 2, initStd: 0.3 });
    const c = new MultiHeadAttention(store.scope('c'), 8, { heads: 2, causal: true, initStd: 0.3 });
    const x = randn(Rng.seeded(2), [3, 5, 8]);
    expect(maxAbsDiff(a.apply(x), refAttention(a, x, false))).toBeLessThan(1e-5);
    expect(maxAbsDiff(c.apply(x), refAttention(c, x, true))).toBeLessThan(1e-5);
    expect(store.names()).toEqual(['a.qkv.w', 'a.qkv.b', 'a.out.w', 'a.out.b', 'c.qkv.w', 'c.qkv.b', 'c.out.w', 'c.out.b']);
  });

  it('gradients for input and parameters equal stock autodiff of the reference', () => {
    const rng = Rng.seeded(13);
    const store = new ParamStore(rng);
    const a = new MultiHeadAttention(store.root(), 8, { heads: 2, causal: true, initStd: 0.3 });
    const x = randn(rng, [3, 4, 8]);
    const w = randn(rng, [3, 4, 8]);
    const ours = tf.variableGrads(() => tf.sum(tf.mul(a.apply(x), w)) as tf.Scalar);
    const ref = tf.variableGrads(() => tf.sum(tf.mul(refAttention(a, x, true), w)) as tf.Scalar);
    for (const k of Object.keys(ref.grads)) expect(maxAbsDiff(ours.grads[k]!, ref.grads[k]!)).toBeLessThan(1e-4);
    const gx1 = tf.grad((xx: Tensor) => tf.sum(tf.mul(a.apply(xx), w)))(x);
    const gx2 = tf.grad((xx: Tensor) => tf.sum(tf.mul(refAttention(a, xx, true), w)))(x);
    expect(maxAbsDiff(gx1, gx2)).toBeLessThan(1e-4);
  });

  it('relGrid: a zero bias changes nothing; a row-0, column −1 bias makes every query read its left neighbour', () => {
    const d = 4;
    const store = new ParamStore(Rng.seeded(3));
    const a = new MultiHeadAttention(store.scope('a'), d, { heads: 1, initStd: 0.3, relGrid: [3, 4] });
    expect(store.names()).toContain('a.rel_bias');
    expect(a.relBias!.shape).toEqual([1, 5 + 7]); // (2·3−1) row offsets + (2·4−1) column offsets
    const x = randn(Rng.seeded(4), [2, 12, d]);
    expect(maxAbsDiff(a.apply(x), refAttention(a, x, false))).toBeLessThan(1e-5); // zeros at init
    // q = k = 0 (scores come from the bias alone), v = x, out = identity
    const eye = tf.eye(d);
    a.qkv.w.assign(tf.concat([tf.zeros([d, 2 * d]), eye], 1) as tf.Tensor2D);
    a.out.w.assign(eye as tf.Tensor2D);
    const bias = new Float32Array(12);
    bias[2] = 30; // row offset 0 (index rows − 1)
    bias[5 + 3 - 1] = 30; // column offset −1 (index cols − 1 − 1)
    a.relBias!.assign(tf.tensor2d(bias, [1, 12]));
    const y = a.apply(x).arraySync() as number[][][];
    const xs = x.arraySync() as number[][][];
    for (let i = 0; i < 12; i++) {
      if (i % 4 === 0) continue; // no left neighbour
      for (let k = 0; k < d; k++) expect(y[1]![i]![k]!).toBeCloseTo(xs[1]![i - 1]![k]!, 4);
    }
  });

  it('attendOver(x [P,Q,R,D]) equals apply on the transposed layout', () => {
    const store = new ParamStore(Rng.seeded(3));
    const a = new MultiHeadAttention(store.root(), 8, { heads: 4, causal: true, initStd: 0.3 });
    const x = randn(Rng.seeded(4), [2, 4, 3, 8]); // [P, Q, R, D]
    const viaApply = tf.transpose(tf.reshape(a.apply(tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [6, 4, 8])), [2, 3, 4, 8]), [0, 2, 1, 3]);
    expect(maxAbsDiff(a.attendOver(x), viaApply)).toBeLessThan(1e-5);
  });

  it('gradients (input and every parameter, with QK-norm) agree with finite differences', () => {
    const rng = Rng.seeded(5);
    const store = new ParamStore(rng);
    const a = new MultiHeadAttention(store.root(), 8, { heads: 2, causal: true, qkNorm: true, initStd: 0.3 });
    const x = randn(rng, [2, 4, 8]);
    const w = randn(rng, [2, 4, 8]);
    const vars = store.entries().map(([, v]) => v);
    // analytic: grads wrt x via tf.grads, and wrt params via store.valueAndGrads
    const r = gradCheck((xx) => tf.sum(tf.mul(a.apply(xx!), w)) as tf.Scalar, [x], rng, 3, 3e-3);
    expect(r.maxRelErr).toBeLessThan(1e-2);
    const { grads } = store.valueAndGrads(() => tf.sum(tf.mul(a.apply(x), w)) as tf.Scalar);
    expect([...grads.keys()]).toEqual(store.names());
    for (let k = 0; k < 2; k++) {
      const dirs = vars.map((v) => randn(rng, v.shape));
      const analytic = tf.addN(vars.map((v, i) => tf.sum(tf.mul(grads.get(store.names()[i]!)!, dirs[i]!)))).dataSync()[0]!;
      const base = vars.map((v) => v.clone());
      const eval_ = (sign: number) => {
        vars.forEach((v, i) => v.assign(tf.add(base[i]!, tf.mul(dirs[i]!, sign * 3e-3))));
        const y = tf.sum(tf.mul(a.apply(x), w)).dataSync()[0]!;
        vars.forEach((v, i) => v.assign(base[i]!));
        return y;
      };
      const numeric = (eval_(1) - eval_(-1)) / 6e-3;
      expect(Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), 1e-3)).toBeLessThan(1e-2);
    }
  });
});

describe('STBlock / STStack', () => {
  it('names its parameters as documented and keeps the shape', () => {
    const store = new ParamStore(Rng.seeded(6));
    const s = new STStack(store.scope('enc'), 8, { heads: 2, layers: 2 });
    const y = s.apply(randn(Rng.seeded(7), [2, 3, 4, 8]));
    expect(y.shape).toEqual([2, 3, 4, 8]);
    expect(store.names().slice(0, 16)).toEqual([
      'enc.blocks.0.ln1.g', 'enc.blocks.0.ln1.b',
      'enc.blocks.0.spatial.qkv.w', 'enc.blocks.0.spatial.qkv.b', 'enc.blocks.0.spatial.out.w', 'enc.blocks.0.spatial.out.b',
      'enc.blocks.0.ln2.g', 'enc.blocks.0.ln2.b',
      'enc.blocks.0.temporal.qkv.w', 'enc.blocks.0.temporal.qkv.b', 'enc.blocks.0.temporal.out.w', 'enc.blocks.0.temporal.out.b',
      'enc.blocks.0.ln3.g', 'enc.blocks.0.ln3.b',
      'enc.blocks.0.mlp.fc1.w', 'enc.blocks.0.mlp.fc1.b',
    ]);
    // one block of width D: 3 LN (2D each) + 2 attn (4D²+4D) + FFN (8D²+5D)
    const d = 8;
    expect(store.count()).toBe(2 * (6 * d + 2 * (4 * d * d + 4 * d) + 8 * d * d + 5 * d));
  });

  it('is causal in time: output at t is unchanged when frames after t change; earlier frames matter', () => {
    const store = new ParamStore(Rng.seeded(8));
    const s = new STStack(store.root(), 8, { heads: 2, layers: 2, initStd: 0.3 });
    const rng = Rng.seeded(9);
    const x = randn(rng, [2, 5, 3, 8]); // [B, T, S, D]
    const y = s.apply(x);
    for (const t of [0, 2]) {
      // change every frame after t
      const keep = tf.slice(x, [0, 0, 0, 0], [2, t + 1, 3, 8]);
      const x2 = tf.concat([keep, randn(rng, [2, 4 - t, 3, 8], 3)], 1);
      const y2 = s.apply(x2);
      expect(maxAbsDiff(tf.slice(y, [0, 0, 0, 0], [2, t + 1, 3, 8]), tf.slice(y2, [0, 0, 0, 0], [2, t + 1, 3, 8]))).toBeLessThan(1e-5);
      expect(maxAbsDiff(tf.slice(y, [0, t + 1, 0, 0], [2, 4 - t, 3, 8]), tf.slice(y2, [0, t + 1, 0, 0], [2, 4 - t, 3, 8]))).toBeGreaterThan(1e-3);
    }
    // changing frame 0 changes later outputs (temporal attention is not a no-op) and all tokens of frame 0 (spatial mixing)
    const x3 = tf.concat([randn(rng, [2, 1, 3, 8], 3), tf.slice(x, [0, 1, 0, 0], [2, 4, 3, 8])], 1);
    const y3 = s.apply(x3);
    expect(maxAbsDiff(tf.slice(y, [0, 4, 0, 0], [2, 1, 3, 8]), tf.slice(y3, [0, 4, 0, 0], [2, 1, 3, 8]))).toBeGreaterThan(1e-3);
  });

  it('non-causal temporal option lets the future leak in', () => {
    const store = new ParamStore(Rng.seeded(10));
    const b = new STBlock(store.root(), 8, { heads: 2, temporalCausal: false, initStd: 0.3 });
    const rng = Rng.seeded(11);
    const x = randn(rng, [1, 3, 2, 8]);
    const x2 = tf.concat([tf.slice(x, [0, 0, 0, 0], [1, 2, 2, 8]), randn(rng, [1, 1, 2, 8], 3)], 1);
    expect(maxAbsDiff(tf.slice(b.apply(x), [0, 0, 0, 0], [1, 1, 2, 8]), tf.slice(b.apply(x2), [0, 0, 0, 0], [1, 1, 2, 8]))).toBeGreaterThan(1e-4);
  });

  it('block gradient with respect to its input agrees with finite differences', () => {
    const rng = Rng.seeded(12);
    const store = new ParamStore(rng);
    const b = new STBlock(store.root(), 8, { heads: 2, qkNorm: true, initStd: 0.3 });
    const x = randn(rng, [2, 3, 2, 8]);
    const w = randn(rng, [2, 3, 2, 8]);
    const r = gradCheck((xx) => tf.sum(tf.mul(b.apply(xx!), w)) as tf.Scalar, [x], rng, 3, 3e-3);
    expect(r.maxRelErr).toBeLessThan(1e-2);
  });
});
