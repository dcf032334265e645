/**
 * The LAM's motion-warp head (model.head = 'warp', src/lam/warp.ts): the shift stack and the
 * composite do what they say, the model keeps the paper's shapes, range and causality, and on a
 * square moving in four directions its codes come to mean the motion.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { shiftStack, warpComposite } from '../../src/lam/warp.ts';
import { lamCost } from '../../src/model-info/models.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { Rng } from '../../src/util/rng.ts';
import { framesSlice, maxDiff, randomFrames, setup, tinyLam, lastFrameChanged } from './helpers.ts';
import { trainOnSquares } from './moving-square.ts';

beforeAll(setup);

/** One bright pixel at (y, x) of a [1, h, w, 1] image. */
function dot(h: number, w: number, y: number, x: number): tf.Tensor {
  const v = new Float32Array(h * w);
  v[y * w + x] = 1;
  return tf.tensor(v, [1, h, w, 1]);
}

describe('warp primitives', () => {
  it('shiftStack: shift (dy, dx) reads the pixel dy rows and dx columns away, zero outside', () => {
    const s = shiftStack(dot(5, 5, 2, 2), 3); // [1, 9, 25]
    expect(s.shape).toEqual([1, 9, 25]);
    const rows = s.arraySync() as number[][][];
    // shift index 0 is (dy, dx) = (−1, −1): output (3, 3) reads input (2, 2)
    expect(rows[0]![0]![3 * 5 + 3]).toBe(1);
    expect(rows[0]![4]![2 * 5 + 2]).toBe(1); // the centre tap is the identity
    expect(rows[0]![8]![1 * 5 + 1]).toBe(1); // (+1, +1)
    expect(rows[0]!.map((r) => r.reduce((a, b) => a + b, 0))).toEqual(new Array(9).fill(1));
    const edge = shiftStack(dot(3, 3, 0, 0), 3).arraySync() as number[][][];
    expect(edge[0]![8]!.reduce((a, b) => a + b, 0)).toBe(0); // (+1, +1) reads from outside the frame
  });

  it('warpComposite: a one-hot kernel under a full mask moves the frame; a full painted mask gives the painted frame', () => {
    const x = dot(5, 5, 2, 2);
    const kern = tf.tensor3d([[[0, 0, 0, 0, 0, 1, 0, 0, 0]]]); // [1, K=1, 9]: shift (0, +1)
    const painted = tf.fill([1, 5, 5, 1], 0.5);
    const toWarp = tf.tensor(new Float32Array(25 * 2).map((_, i) => (i % 2 === 0 ? 50 : 0)), [1, 5, 5, 2]);
    const moved = warpComposite(x, kern, painted, toWarp).dataSync();
    expect(moved[2 * 5 + 1]).toBeCloseTo(1, 5); // output (2, 1) reads input (2, 2)
    expect(moved[2 * 5 + 2]).toBeCloseTo(0, 5);
    const toPaint = tf.tensor(new Float32Array(25 * 2).map((_, i) => (i % 2 === 1 ? 50 : 0)), [1, 5, 5, 2]);
    for (const v of warpComposite(x, kern, painted, toPaint).dataSync()) expect(v).toBeCloseTo(0.5, 5);
  });
});

describe("LAM with head 'warp'", () => {
  const cfg = tinyLam(['model.head=warp', 'model.warpSize=5']).model;
  const build = () => {
    const store = new ParamStore(Rng.seeded(2));
    return { store, lam: new LatentActionModel(store.scope('lam'), cfg) };
  };

  it('has the parameter count model-info computes, and predicts x_2..x_T in [0, 1]', () => {
    const { store, lam } = build();
    expect(store.count()).toBe(lamCost(cfg).total.params);
    const out = lam.forward(randomFrames(2, 4, 16, 16, 1));
    expect(out.prediction.shape).toEqual([2, 3, 16, 16, 3]);
    const p = out.prediction.dataSync();
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
  });

  it('is causal: the prediction of x_{t+1} ignores frames after t', () => {
    const { lam } = build();
    const { a, b } = lastFrameChanged();
    const acts = lam.encodeActionsDiff(a).actions;
    expect(maxDiff(framesSlice(lam.decode(lam.inputs(a), acts), 0, 3), framesSlice(lam.decode(lam.inputs(b), acts), 0, 3))).toBeLessThan(1e-5);
  });

  it('refuses token input and an even kernel size, naming the field', () => {
    const mk = (sets: string[]) => () => new LatentActionModel(new ParamStore(Rng.seeded(0)).scope('lam'), tinyLam(sets).model);
    expect(mk(['model.head=warp', 'model.input=tokens'])).toThrow(/model\.head/);
    expect(mk(['model.head=warp', 'model.warpSize=4'])).toThrow(/model\.warpSize/);
  });
});

describe('warp head learning', () => {
  it('keypoint encoder + warp head: the four codes come to mean left / right / up / down on a moving square', async () => {
    const warp = await trainOnSquares(['model.centerLatents=true', 'model.encoderKind=keypoints', 'model.keypoints=4', 'model.head=warp', 'model.warpSize=5'], 200);
    expect(warp.used).toBe(4);
    expect(warp.purity).toBeGreaterThan(0.95); // chance is 0.25–0.4; the paper's ST encoder + pixel head stays there (docs/models.md)
  }, 240_000);
});
