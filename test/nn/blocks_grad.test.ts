/** Gradients of every block: against stock tfjs autodiff of the textbook formula and central finite differences. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { gelu } from '../../src/nn/activations.ts';
import { embedLookup } from '../../src/nn/embedding.ts';
import { layerNorm } from '../../src/nn/layernorm.ts';
import { softmaxCrossEntropy } from '../../src/nn/losses.ts';
import { oneHotF32 } from '../../src/nn/onehot.ts';
import { gradCheck, maxAbsDiff, randn, Rng, tf, useWasm } from './helpers.ts';

beforeAll(useWasm);

function stockLayerNorm(x: Tensor, g: Tensor, b: Tensor, eps = 1e-5): Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
}

function stockGelu(x: Tensor): Tensor {
  const k = Math.sqrt(2 / Math.PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(k, tf.add(x, tf.mul(0.044715, tf.mul(tf.square(x), x)))))));
}

/** Σ y⊙w (wasm's Sum of a rank-0 tensor returns 0, so scalars are only multiplied). */
const dot = (y: Tensor, w: Tensor): Tensor => (y.rank === 0 ? tf.mul(y, w) : tf.sum(tf.mul(y, w)));

function compare(ours: (...x: Tensor[]) => Tensor, stock: (...x: Tensor[]) => Tensor, xs: Tensor[], rng: Rng, tol = 1e-4): void {
  expect(maxAbsDiff(ours(...xs), stock(...xs))).toBeLessThan(tol);
  const w = randn(rng, ours(...xs).shape);
  const g1 = tf.grads((...a: Tensor[]) => dot(ours(...a), w))(xs);
  const g2 = tf.grads((...a: Tensor[]) => dot(stock(...a), w))(xs);
  g1.forEach((g, i) => expect(maxAbsDiff(g, g2[i]!)).toBeLessThan(tol * 10));
  const r = gradCheck((...a: Tensor[]) => dot(ours(...a), w) as tf.Scalar, xs, rng);
  expect(r.maxRelErr, JSON.stringify(r)).toBeLessThan(1e-2);
}

describe('block gradients', () => {
  it('layerNorm (any rank) matches the textbook formula and its autodiff', () => {
    const rng = Rng.seeded(10);
    const x = randn(rng, [2, 3, 8], 2);
    const g = randn(rng, [8]);
    const b = randn(rng, [8]);
    compare((a, c, d) => layerNorm(a!, c!, d!), (a, c, d) => stockLayerNorm(a!, c!, d!), [x, g, b], rng);
  });

  it('gelu (tanh) matches the textbook formula and its autodiff', () => {
    const rng = Rng.seeded(11);
    compare((a) => gelu(a!), (a) => stockGelu(a!), [randn(rng, [4, 9], 2)], rng);
  });

  it('embedLookup forward is row selection and the table gradient is a scatter-add', () => {
    const rng = Rng.seeded(12);
    const table = randn(rng, [6, 4]) as Tensor2D;
    const ids = tf.tensor([[0, 5, 5], [2, 0, 1]], [2, 3], 'int32');
    const stock = (t: Tensor) => tf.matMul(oneHotF32(tf.reshape(ids, [-1]), 6) as Tensor2D, t as Tensor2D).reshape([2, 3, 4]);
    compare((t) => embedLookup(t as Tensor2D, ids), stock, [table], rng);
  });

  it('softmaxCrossEntropy (plain and weighted) matches log-softmax autodiff', () => {
    const rng = Rng.seeded(13);
    const logits = randn(rng, [2, 5, 7], 3);
    const labels = tf.tensor([[0, 6, 3, 3, 1], [2, 2, 5, 4, 0]], [2, 5], 'int32');
    const oh = oneHotF32(tf.reshape(labels, [-1]), 7).reshape([2, 5, 7]);
    const stock = (l: Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(l), oh), -1)));
    compare((l) => softmaxCrossEntropy(l!, labels), stock, [logits], rng);
    const w = tf.tensor([[1, 0, 1, 1, 0], [0, 0, 1, 0, 1]], [2, 5]);
    const stockW = (l: Tensor) => tf.div(tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(tf.logSoftmax(l), oh), -1), w))), tf.sum(w));
    compare((l) => softmaxCrossEntropy(l!, labels, w), stockW, [logits], rng);
  });
});
