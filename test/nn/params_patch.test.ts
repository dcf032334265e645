import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/nn/init.ts';
import { Linear } from '../../src/nn/linear.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { patchify, unpatchify } from '../../src/nn/patch.ts';
import { LaraError } from '../../src/util/errors.ts';
import { maxAbsDiff, randn, Rng, tf, useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('ParamStore', () => {
  it('declares hierarchical names, counts, and draws the same weights from the same seed', () => {
    const make = (seed: number) => {
      const s = new ParamStore(Rng.seeded(seed));
      new Linear(s.scope('encoder').child('blocks').child(0).child('attn').child('wq'), 4, 3);
      s.root().param('pos', [2, 3], init.normal(1));
      return s;
    };
    const a = make(7);
    expect(a.names()).toEqual(['encoder.blocks.0.attn.wq.w', 'encoder.blocks.0.attn.wq.b', 'pos']);
    expect(a.list()[0]).toEqual({ name: 'encoder.blocks.0.attn.wq.w', shape: [4, 3], size: 12 });
    expect(a.count()).toBe(12 + 3 + 6);
    expect(Array.from(a.get('pos').dataSync())).toEqual(Array.from(make(7).get('pos').dataSync()));
    expect(Array.from(a.get('pos').dataSync())).not.toEqual(Array.from(make(8).get('pos').dataSync()));
    expect(Array.from(a.get('encoder.blocks.0.attn.wq.b').dataSync())).toEqual([0, 0, 0]);
  });

  it('loads a snapshot, and names the parameter on missing, extra or mis-shaped tensors', () => {
    const a = new ParamStore(Rng.seeded(1));
    a.root().param('x.w', [2, 2], init.normal());
    a.root().param('x.b', [2], init.normal());
    const b = new ParamStore(Rng.seeded(2));
    b.root().param('x.w', [2, 2], init.zeros());
    b.root().param('x.b', [2], init.zeros());
    b.load(a.snapshot());
    expect(maxAbsDiff(a.get('x.w'), b.get('x.w'))).toBe(0);
    expect(() => b.load({ 'x.w': tf.zeros([2, 2]) }, { source: 'm.ckpt' })).toThrow(/m.ckpt: x.b: missing parameter; expected a tensor of shape \[2\]/);
    b.load({ 'x.w': tf.ones([2, 2]) }, { partial: true });
    expect(Array.from(b.get('x.w').dataSync())).toEqual([1, 1, 1, 1]);
    expect(() => b.load({ 'x.w': tf.zeros([4]), 'x.b': tf.zeros([2]) })).toThrow(/x.w: parameter shape mismatch; expected \[2, 2\], got \[4\]/);
    expect(() => b.load({ ...a.snapshot(), 'y.w': tf.zeros([1]) })).toThrow(/y.w: unknown parameter/);
    b.load({ ...a.snapshot(), 'y.w': tf.zeros([1]) }, { ignoreExtra: true });
    expect(() => b.root().param('x.w', [1], init.zeros())).toThrow(LaraError);
    expect(() => b.root().param('bad name', [1], init.zeros())).toThrow(/bad parameter name/);
  });
});

describe('lifetime', () => {
  it('a store and its optimizer free every tensor on dispose', async () => {
    const { AdamW } = await import('../../src/nn/adamw.ts');
    const before = tf.memory().numTensors;
    const s = new ParamStore(Rng.seeded(4));
    new Linear(s.root(), 8, 4);
    const opt = new AdamW(s, { lr: 1e-3, weightDecay: 0.1 });
    opt.apply(new Map([['w', tf.ones([8, 4])]]));
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    opt.dispose();
    s.dispose();
    expect(tf.memory().numTensors).toBe(before + 1); // + the gradient tensor made above
  });
});

describe('patchify / unpatchify', () => {
  it('cuts frames into row-major patches of (row, col, channel) pixels and back', () => {
    const x = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]); // [B, H, W, C]
    const p = patchify(x, 2);
    expect(p.shape).toEqual([1, 4, 4]);
    expect(p.arraySync()).toEqual([[[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]]);
    const v = randn(Rng.seeded(3), [2, 3, 8, 12, 3]); // [B, T, H, W, C]
    const pv = patchify(v, 4);
    expect(pv.shape).toEqual([2, 3, 6, 48]);
    expect(maxAbsDiff(unpatchify(pv, 4, 8, 12, 3), v)).toBe(0);
    expect(() => patchify(v, 5)).toThrow(/multiple of the patch size/);
  });
});
