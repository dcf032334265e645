import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { DynamicsModel } from '../../src/dynamics/dynamics.ts';
import { trainingMask } from '../../src/dynamics/masking.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { Rng } from '../../src/util/rng.ts';
import { randomFrames, setup, tinyDynamics, tinyLam } from './helpers.ts';

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
