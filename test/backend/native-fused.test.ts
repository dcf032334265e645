/**
 * lara's fused native kernels (src/backend/native-fused.ts) against the stock tfjs paths of
 * src/nn they replace: LayerNorm, GELU and softmax cross-entropy (values and gradients), the
 * in-place AdamW update (parameters and moments over several steps, with decay, a missing
 * gradient and a shared parameter buffer), and whole toy-ST training steps. Agreement: 1e-4
 * relative to the largest magnitude. Skipped (with the reason) when the addon is not built.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../src/backend/tf.ts';
import { fusedActive, loadNative, unloadNative } from '../../src/backend/native.ts';
import { addonPath } from '../../src/backend/native-addon.ts';
import { gelu } from '../../src/nn/activations.ts';
import { AdamW } from '../../src/nn/adamw.ts';
import { layerNorm } from '../../src/nn/layernorm.ts';
import { softmaxCrossEntropy } from '../../src/nn/losses.ts';
import { MultiHeadAttention } from '../../src/nn/attention.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { init } from '../../src/nn/init.ts';
import { Rng } from '../../src/util/rng.ts';
import { makeToyBench } from '../../bench/st_step.ts';

const built = existsSync(addonPath);
if (!built) console.warn(`fused kernel comparisons skipped: ${addonPath} is not built`);

function randn(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal() * scale), shape);
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(b.length).toBe(a.length);
  let scale = 1e-6;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) diff = Infinity;
  }
  return diff / scale;
}

/** f's outputs with the stock kernels, then with the native ones. */
async function both(f: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = (): Float32Array[] => {
    const out = tf.tidy(f);
    const data = out.map((t) => t.dataSync() as Float32Array);
    tf.dispose(out);
    return data;
  };
  unloadNative();
  expect(fusedActive('LaraLayerNorm')).toBe(false);
  const stock = run();
  await loadNative();
  expect(fusedActive('LaraLayerNorm') && fusedActive('LaraAttention') && fusedActive('LaraGelu') && fusedActive('LaraXent')).toBe(true);
  return [stock, run()];
}

describe.skipIf(!built)('fused native kernels match src/nn stock paths', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });
  afterAll(() => unloadNative());

  it('LayerNorm: value and gradients of x, g, b', async () => {
    const rng = Rng.seeded(1);
    const x = randn(rng, [37, 24], 3);
    const g = randn(rng, [24]);
    const b = randn(rng, [24]);
    const w = randn(rng, [37, 24]);
    const f = (xv: tf.Tensor, gv: tf.Tensor, bv: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layerNorm(xv, gv, bv), w));
    const [stock, native] = await both(() => [layerNorm(x, g, b), ...tf.grads(f)([x, g, b])]);
    stock.forEach((s, i) => expect(relErr(s, native[i]!), `output ${i}`).toBeLessThan(1e-4));
  });

  it('GELU: value and gradient', async () => {
    const rng = Rng.seeded(2);
    const x = randn(rng, [5, 333], 2);
    const w = randn(rng, [5, 333]);
    const [stock, native] = await both(() => [gelu(x), ...tf.grads((xv: tf.Tensor) => tf.sum(tf.mul(gelu(xv), w)))([x])]);
    stock.forEach((s, i) => expect(relErr(s, native[i]!), `output ${i}`).toBeLessThan(1e-4));
  });

  it('softmax cross-entropy: loss and gradient, with and without weights', async () => {
    const rng = Rng.seeded(3);
    const logits = randn(rng, [6, 4, 50], 4);
    const labels = tf.tensor(Int32Array.from({ length: 24 }, () => rng.int(50)), [6, 4], 'int32');
    const weights = tf.tensor(Float32Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 0 : 1)), [6, 4]);
    const [stock, native] = await both(() => {
      return [
        softmaxCrossEntropy(logits, labels),
        tf.grad((x: tf.Tensor) => softmaxCrossEntropy(x, labels))(logits),
        softmaxCrossEntropy(logits, labels, weights),
        tf.grad((x: tf.Tensor) => softmaxCrossEntropy(x, labels, weights))(logits),
      ];
    });
    stock.forEach((s, i) => expect(relErr(s, native[i]!), `output ${i}`).toBeLessThan(1e-4));
    expect(native[0]![0]).toBeGreaterThan(0);
  });

  it('attention (spatial and causal temporal, several head sizes): output and gradients', async () => {
    for (const [causal, p, q, r, d, heads] of [[false, 3, 5, 1, 24, 3], [true, 2, 4, 3, 32, 2], [true, 1, 7, 2, 16, 1]] as const) {
      const store = new ParamStore(Rng.seeded(7));
      const mha = new MultiHeadAttention(store.root().child('a'), d, { heads, causal, initStd: 0.3 });
      const rng = Rng.seeded(8);
      const x = randn(rng, [p, q, r, d]);
      const w = randn(rng, [p, q, r, d]);
      const vars = store.names().map((n) => store.get(n));
      const [stock, native] = await both(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(mha.attendOver(x), w)) as tf.Scalar, vars);
        const dx = tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(mha.attendOver(xv), w)))(x);
        return [mha.attendOver(x), value, dx, ...vars.map((v) => grads[v.name]!)];
      });
      stock.forEach((s, i) => expect(relErr(s, native[i]!), `causal=${causal} output ${i}`).toBeLessThan(1e-4));
      x.dispose();
      w.dispose();
      store.dispose();
    }
  });

  it('AdamW: in-place update equals the stock update (decay, missing gradient, shared buffer)', async () => {
    const run = (): Float32Array[] => {
      const rng = Rng.seeded(4);
      const store = new ParamStore(rng);
      const s = store.root();
      const w = s.param('w', [13, 7], init.normal(0.5));
      const b = s.param('b', [7], init.normal(0.5));
      const unused = s.param('u', [3], init.normal(0.5));
      const opt = new AdamW(store, { lr: 0.01, beta2: 0.99, weightDecay: 0.1 });
      const x = randn(rng, [4, 13]);
      const snap = store.snapshot(); // shares buffers with the variables until they change
      for (let i = 0; i < 4; i++) {
        const { grads } = store.valueAndGrads(() => tf.sum(tf.square(tf.add(tf.matMul(x, w), b))) as tf.Scalar);
        grads.delete('u');
        opt.apply(grads);
        for (const g of grads.values()) g.dispose();
      }
      const st = opt.exportState();
      const out = [w, b, unused, snap.w!, st.tensors['m.w']!, st.tensors['v.b']!, st.tensors['m.u']!].map(
        (t) => t.dataSync().slice() as Float32Array);
      const initial = Rng.seeded(4);
      const w0 = Float32Array.from({ length: 91 }, () => initial.normal() * 0.5);
      expect(relErr(w0, out[3]!)).toBeLessThan(1e-6); // the snapshot did not move
      tf.dispose(Object.values(snap));
      tf.dispose(Object.values(st.tensors));
      x.dispose();
      opt.dispose();
      store.dispose();
      return out;
    };
    unloadNative();
    const stock = run();
    await loadNative();
    expect(fusedActive('AdamW')).toBe(true);
    const native = run();
    stock.forEach((s, i) => expect(relErr(s, native[i]!), `output ${i}`).toBeLessThan(1e-4));
  });

  it('toy ST training steps: same losses and parameters as the stock path', async () => {
    const run = (): number[] => {
      const b = makeToyBench();
      const losses = [b.step(), b.step(), b.step()];
      const head = b.model.head.w.dataSync();
      const sample = [head[0]!, head[1000]!, head[50_000]!, head[131_071]!];
      b.dispose();
      return [...losses, ...sample];
    };
    unloadNative();
    const stock = run();
    await loadNative();
    const native = run();
    expect(relErr(stock, native)).toBeLessThan(1e-4);
  }, 60_000);
});
