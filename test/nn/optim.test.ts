import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { AdamW } from '../../src/nn/adamw.ts';
import { clipByGlobalNorm } from '../../src/nn/clip.ts';
import { init } from '../../src/nn/init.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { constantLr, warmupCosine } from '../../src/nn/schedule.ts';
import { LaraError } from '../../src/util/errors.ts';
import { Rng, tf, useWasm } from './helpers.ts';

beforeAll(useWasm);

function store2(): ParamStore {
  const s = new ParamStore(Rng.seeded(1));
  s.root().param('w', [1, 2], init.constant(0));
  s.root().param('b', [2], init.constant(0));
  s.get('w').assign(tf.tensor2d([[1, -2]]));
  s.get('b').assign(tf.tensor1d([0.5, 3]));
  return s;
}

describe('AdamW', () => {
  it('matches hand-computed values (decoupled decay on matrices only, bias correction)', () => {
    const s = store2();
    const opt = new AdamW(s, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    const g1 = new Map<string, Tensor>([['w', tf.tensor2d([[0.5, -1]])], ['b', tf.tensor1d([0.5, -1])]]);
    opt.apply(g1);
    // step 1: m̂ = g, v̂ = g², update = lr·g/|g| = ±0.1; w also decays by (1 − 0.1·0.1)
    expect(Array.from(s.get('w').dataSync())).toEqual([1 * 0.99 - 0.1, -2 * 0.99 + 0.1].map(Math.fround));
    const b1 = s.get('b').dataSync();
    expect(b1[0]).toBeCloseTo(0.4, 6);
    expect(b1[1]).toBeCloseTo(3.1, 6);
    const g2 = new Map<string, Tensor>([['w', tf.tensor2d([[0.1, 2]])], ['b', tf.tensor1d([0.1, 2])]]);
    opt.apply(g2);
    // step 2 by hand: m = 0.9·m1 + 0.1·g2, v = 0.999·v1 + 0.001·g2², m̂ = m/0.19, v̂ = v/(1 − 0.999²)
    const hand = (p: number, ga: number, gb: number, decay: boolean) => {
      const m = 0.9 * (0.1 * ga) + 0.1 * gb;
      const v = 0.999 * (0.001 * ga * ga) + 0.001 * gb * gb;
      const mh = m / (1 - 0.81);
      const vh = v / (1 - 0.999 * 0.999);
      return (decay ? p * 0.99 : p) - (0.1 * mh) / (Math.sqrt(vh) + 1e-8);
    };
    const w2 = s.get('w').dataSync();
    expect(w2[0]).toBeCloseTo(hand(0.89, 0.5, 0.1, true), 5);
    expect(w2[1]).toBeCloseTo(hand(-1.88, -1, 2, true), 5);
    const b2 = s.get('b').dataSync();
    expect(b2[0]).toBeCloseTo(hand(0.4, 0.5, 0.1, false), 5);
    expect(b2[1]).toBeCloseTo(hand(3.1, -1, 2, false), 5);
    expect(opt.step).toBe(2);
  });

  it('exports and imports its state so a resumed run continues identically', () => {
    const a = store2();
    const oa = new AdamW(a, { lr: warmupCosine({ peak: 0.1, warmup: 2, total: 10 }), weightDecay: 0.01 });
    const g = () => new Map<string, Tensor>([['w', tf.tensor2d([[0.3, -0.7]])], ['b', tf.tensor1d([1, 2])]]);
    oa.apply(g());
    oa.apply(g());
    const st = oa.exportState();
    expect(Object.keys(st.tensors).sort()).toEqual(['m.b', 'm.w', 'v.b', 'v.w']);
    expect(st.step).toBe(2);
    const b = new ParamStore(Rng.seeded(9));
    b.root().param('w', [1, 2], init.zeros());
    b.root().param('b', [2], init.zeros());
    b.load(a.snapshot());
    const ob = new AdamW(b, { lr: warmupCosine({ peak: 0.1, warmup: 2, total: 10 }), weightDecay: 0.01 });
    ob.importState(st);
    expect(ob.nextLr()).toBeCloseTo(oa.nextLr(), 12);
    oa.apply(g());
    ob.apply(g());
    expect(Array.from(b.get('w').dataSync())).toEqual(Array.from(a.get('w').dataSync()));
    expect(Array.from(b.get('b').dataSync())).toEqual(Array.from(a.get('b').dataSync()));
    const bad = { step: 1, tensors: { ...st.tensors, 'm.w': tf.zeros([2, 1]) } };
    expect(() => ob.importState(bad, 'ckpt/opt.bin')).toThrow(/ckpt\/opt.bin: m.w: optimizer moment shape mismatch; expected \[1, 2\], got \[2, 1\]/);
    expect(() => ob.importState({ step: 1, tensors: {} })).toThrow(LaraError);
  });
});

describe('schedules', () => {
  it('warmupCosine: linear warmup, cosine to final, then flat', () => {
    const f = warmupCosine({ peak: 1, warmup: 10, total: 110, final: 0.1 });
    expect(f(5)).toBeCloseTo(0.5, 12);
    expect(f(10)).toBeCloseTo(1, 12);
    expect(f(60)).toBeCloseTo(0.55, 12);
    expect(f(110)).toBeCloseTo(0.1, 12);
    expect(f(500)).toBeCloseTo(0.1, 12);
    expect(f(35)).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos(Math.PI / 4)), 12);
    const constAfter = warmupCosine({ peak: 3e-4, warmup: 4, total: 100, final: 3e-4 });
    expect(constAfter(50)).toBeCloseTo(3e-4, 15);
    expect(constantLr(0.2)(7)).toBe(0.2);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by maxNorm/‖g‖ only when the norm exceeds maxNorm', () => {
    const g = new Map<string, Tensor>([['a', tf.tensor1d([3, 0])], ['b', tf.tensor2d([[0, 4]])]]);
    const c = clipByGlobalNorm(g, 1);
    expect(c.norm.dataSync()[0]).toBeCloseTo(5, 5);
    expect(Array.from(c.grads.get('a')!.dataSync())[0]).toBeCloseTo(0.6, 5);
    expect(Array.from(c.grads.get('b')!.dataSync())[1]).toBeCloseTo(0.8, 5);
    const u = clipByGlobalNorm(g, 10);
    expect(Array.from(u.grads.get('b')!.dataSync())).toEqual([0, 4]);
  });
});
