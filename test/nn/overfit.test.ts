/** A tiny ST model built from the blocks overfits a fixed batch (end-to-end: blocks + AdamW + clipping). */
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../../src/nn/adamw.ts';
import { Embedding } from '../../src/nn/embedding.ts';
import { LayerNorm } from '../../src/nn/layernorm.ts';
import { Linear } from '../../src/nn/linear.ts';
import { softmaxCrossEntropy } from '../../src/nn/losses.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { warmupCosine } from '../../src/nn/schedule.ts';
import { STStack } from '../../src/nn/st_block.ts';
import { trainStep } from '../../src/nn/train.ts';
import { Rng, tf, useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('tiny model', () => {
  it('overfits a fixed batch of random tokens', () => {
    const rng = Rng.seeded(1);
    const [B, T, S, V, D] = [2, 3, 4, 16, 32];
    const store = new ParamStore(rng);
    const r = store.root();
    const emb = new Embedding(r.child('emb'), V, D);
    const stack = new STStack(r, D, { heads: 4, layers: 1 });
    const ln = new LayerNorm(r.child('ln'), D);
    const head = new Linear(r.child('head'), D, V);
    const ids = (n: number) => Int32Array.from({ length: n }, () => rng.int(V));
    const x = tf.tensor(ids(B * T * S), [B, T, S], 'int32');
    const y = tf.tensor(ids(B * T * S), [B, T, S], 'int32');
    const loss = () => softmaxCrossEntropy(head.apply(ln.apply(stack.apply(emb.apply(x)))), y);
    const opt = new AdamW(store, { lr: warmupCosine({ peak: 1e-2, warmup: 5, total: 80, final: 1e-3 }), weightDecay: 1e-4 });
    const first = trainStep(store, opt, loss, { clipNorm: 1 });
    const before = tf.memory().numTensors; // after step 1 (which caches the causal mask)
    let last = first;
    for (let i = 0; i < 79; i++) last = trainStep(store, opt, loss, { clipNorm: 1 });
    expect(first.loss).toBeGreaterThan(2.5); // ≈ ln 16
    expect(last.loss).toBeLessThan(0.3);
    expect(first.gradNorm).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before); // no tensor leaks per step
  });
});

describe('toy ST benchmark model (bench/st_step.ts)', () => {
  it('has exactly the 531,072 parameters of the PyTorch reference and learns', async () => {
    const { makeToyBench, TOY_PARAMS } = await import('../../bench/st_step.ts');
    const b = makeToyBench();
    expect(b.model.store.count()).toBe(TOY_PARAMS);
    const l0 = b.step();
    expect(l0).toBeGreaterThan(6.8); // ≈ ln 1024
    expect(l0).toBeLessThan(7.1);
    let l = l0;
    for (let i = 0; i < 3; i++) l = b.step();
    expect(l).toBeLessThan(l0 - 0.2);
    expect(Number.isFinite(b.forward())).toBe(true);
    b.dispose();
  });
});
