import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { DynamicsModel } from '../../src/dynamics/dynamics.ts';
import { trainingMask } from '../../src/dynamics/masking.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { Rng } from '../../src/util/rng.ts';
import { loadConfig } from '../../src/config/presets.ts';
import { VideoTokenizer } from '../../src/tokenizer/tokenizer.ts';
import { WorldModelSchema } from '../../src/world/config.ts';
import { WorldModelTask } from '../../src/world/train.ts';
import { randomFrames, setup, tinyDynamics, tinyLam, tinyTokenizer } from './helpers.ts';

beforeAll(setup);

describe('world-model co-training', () => {
  it('the dynamics loss sends no gradient into the LAM (stop-gradient actions)', () => {
    const store = new ParamStore(Rng.seeded(1));
    const lam = new LatentActionModel(store.scope('lam'), tinyLam().model);
    const dyn = new DynamicsModel(store.scope('dynamics'), tinyDynamics().model);
    const x = randomFrames(2, 4, 16, 16, 2);
    const r = Rng.seeded(3);
    const tokens = tf.tensor3d(Int32Array.from({ length: 2 * 4 * 16 }, () => r.int(16)), [2, 4, 16], 'int32');
    const mask = tf.tensor3d(trainingMask(2, 4, 16, r).mask, [2, 4, 16], 'bool');
    const { grads } = store.valueAndGrads(() => dyn.forward(tokens, mask, lam.encodeActionsDiff(x).actions).loss);
    let lamNorm = 0;
    let dynNorm = 0;
    for (const [name, g] of grads) {
      const s = tf.sum(tf.abs(g)).dataSync()[0]!;
      if (name.startsWith('lam.')) lamNorm += s;
      else dynNorm += s;
    }
    expect(dynNorm).toBeGreaterThan(0);
    expect(lamNorm).toBe(0);
  });
});

describe('world-model co-training with the LAM options', () => {
  it('centres the LAM latents (tracking their mean) and warms the VQ up with a k-means codebook, as lara train lam does', async () => {
    const cfg = loadConfig(WorldModelSchema, 'world-model', 'tiny', ['lam.frames=2', 'lam.centerLatents=true', 'lam.bypassSteps=3', 'train.batch=2', 'train.lr=0.001']);
    const tok = new VideoTokenizer(new ParamStore(Rng.seeded(0)).scope('tokenizer'), tinyTokenizer().model);
    const task = new WorldModelTask(cfg, tok);
    await task.init(Rng.seeded(0));
    const rng = Rng.seeded(1);
    const norms = () => Array.from(tf.tidy(() => tf.norm(task.lam.vq.codebook, 2, 1)).dataSync());
    for (let s = 0; s < 4; s++) {
      const x = randomFrames(2, 4, 16, 16, 10 + s);
      const r = task.step(x, { step: s, rng });
      x.dispose();
      if (s < 3) expect(r.metrics?.['lam.active']).toBeUndefined(); // VQ bypassed: no usage counted
      if (s === 2) for (const n of norms()) expect(n).toBeCloseTo(1, 4); // spherical k-means centroids
      if (s === 3) expect(r.metrics?.['lam.active']).toBeGreaterThan(0);
    }
    expect(Math.max(...Array.from(task.lam.zMean!.dataSync(), Math.abs))).toBeGreaterThan(0);
    task.dispose();
  });
});
