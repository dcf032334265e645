import { beforeAll, describe, expect, it } from 'vitest';
import { bmm, bmmT, dense2d, matMul2d } from '../../src/nn/matmul.ts';
import { gradCheck, maxAbsDiff, randn, Rng, tf, useWasm } from './helpers.ts';
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';

beforeAll(useWasm);

/** Gradients of sum(w ⊙ f(...)) from our op and from stock tfjs autodiff agree. */
function sameGrads(ours: (...x: Tensor[]) => Tensor, stock: (...x: Tensor[]) => Tensor, xs: Tensor[], rng: Rng): number {
  const w = randn(rng, ours(...xs).shape);
  const g1 = tf.grads((...a: Tensor[]) => tf.sum(tf.mul(ours(...a), w)))(xs);
  const g2 = tf.grads((...a: Tensor[]) => tf.sum(tf.mul(stock(...a), w)))(xs);
  return Math.max(...g1.map((g, i) => maxAbsDiff(g, g2[i]!)));
}

describe('matmul fast-path gradients', () => {
  it('matMul2d matches tf.matMul values and gradients, and finite differences', () => {
    const rng = Rng.seeded(1);
    const a = randn(rng, [5, 7]) as Tensor2D;
    const b = randn(rng, [7, 3]) as Tensor2D;
    expect(maxAbsDiff(matMul2d(a, b), tf.matMul(a, b))).toBeLessThan(1e-5);
    expect(sameGrads((x, y) => matMul2d(x as Tensor2D, y as Tensor2D), (x, y) => tf.matMul(x as Tensor2D, y as Tensor2D), [a, b], rng)).toBeLessThan(1e-4);
    const w = randn(rng, [5, 3]);
    const r = gradCheck((x, y) => tf.sum(tf.mul(matMul2d(x as Tensor2D, y as Tensor2D), w)), [a, b], rng);
    expect(r.maxRelErr).toBeLessThan(1e-2);
  });

  it('dense2d with bias matches x·w + b, with and without the input gradient', () => {
    const rng = Rng.seeded(2);
    const x = randn(rng, [6, 4]) as Tensor2D;
    const w = randn(rng, [4, 5]) as Tensor2D;
    const b = randn(rng, [5]);
    const stock = (xx: Tensor, ww: Tensor, bb: Tensor) => tf.add(tf.matMul(xx as Tensor2D, ww as Tensor2D), bb);
    expect(maxAbsDiff(dense2d(x, w, b), stock(x, w, b))).toBeLessThan(1e-5);
    expect(sameGrads((xx, ww, bb) => dense2d(xx as Tensor2D, ww as Tensor2D, bb), stock, [x, w, b], rng)).toBeLessThan(1e-4);
    // inputGrad: false — gradients for w and b only, same values
    const m = randn(rng, [6, 5]);
    const g1 = tf.grads((ww: Tensor, bb: Tensor) => tf.sum(tf.mul(dense2d(x, ww as Tensor2D, bb, { inputGrad: false }), m)))([w, b]);
    const g2 = tf.grads((ww: Tensor, bb: Tensor) => tf.sum(tf.mul(stock(x, ww, bb), m)))([w, b]);
    expect(maxAbsDiff(g1[0]!, g2[0]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(g1[1]!, g2[1]!)).toBeLessThan(1e-4);
  });

  it('bmm and bmmT match batched tf.matMul values and gradients', () => {
    const rng = Rng.seeded(3);
    const a = randn(rng, [3, 4, 5]) as Tensor3D;
    const b = randn(rng, [3, 5, 2]) as Tensor3D;
    const bt = randn(rng, [3, 6, 5]) as Tensor3D;
    expect(maxAbsDiff(bmm(a, b), tf.matMul(a, b))).toBeLessThan(1e-5);
    expect(maxAbsDiff(bmmT(a, bt), tf.matMul(a, bt, false, true))).toBeLessThan(1e-5);
    expect(sameGrads((x, y) => bmm(x as Tensor3D, y as Tensor3D), (x, y) => tf.matMul(x as Tensor3D, y as Tensor3D), [a, b], rng)).toBeLessThan(1e-4);
    expect(
      sameGrads((x, y) => bmmT(x as Tensor3D, y as Tensor3D), (x, y) => tf.matMul(x as Tensor3D, y as Tensor3D, false, true), [a, bt], rng),
    ).toBeLessThan(1e-4);
  });
});
