import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/schema.ts';
import { PolicySchema } from '../../src/policy/config.ts';
import { actionExamples } from '../../src/policy/examples.ts';
import { gridCoords, SoftArgmax } from '../../src/nn/softargmax.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { Rng } from '../../src/util/rng.ts';
import { tf } from '../../src/backend/tf.ts';
import { Policy } from '../../src/policy/policy.ts';
import { trainPolicy } from '../../src/policy/train.ts';
import { computeStats } from '../../src/mapping/stats.ts';
import { dotFrame, dotMemory } from './synthetic.ts';
import { useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('keypoint encoder', () => {
  it('moments: a map spread over a bar keeps its centre when the bar turns, and its covariance turns', () => {
    // a 5×5 grid; the map is uniform over the bar's cells (maps() replaced: the moment arithmetic is tested)
    class OnBar extends SoftArgmax {
      constructor(readonly cells: number[]) { super(new ParamStore(Rng.seeded(0)).scope('kp'), 1, 2, 1, 5, 5); }
      override maps(): tf.Tensor { const v = new Float32Array(25); for (const i of this.cells) v[i] = 1 / this.cells.length; return tf.tensor(v, [1, 1, 25]); }
    }
    const at = (cells: number[]) => Array.from(new OnBar(cells).moments(tf.zeros([1, 25, 1])).dataSync());
    const across = at([10, 11, 12, 13, 14]); // row 2
    const down = at([2, 7, 12, 17, 22]); // column 2
    const diag = at([0, 6, 12, 18, 24]);
    for (const m of [across, down, diag]) for (const v of [m[0]!, m[1]!]) expect(v).toBeCloseTo(0, 6); // centre (0, 0)
    expect(across[2]).toBeCloseTo(0.5, 5); // var x of -1, -0.5, 0, 0.5, 1
    expect(across[3]).toBeCloseTo(0, 5);
    expect(down[3]).toBeCloseTo(0.5, 5);
    expect(down[4]).toBeCloseTo(0, 5);
    expect(diag[4]).toBeCloseTo(0.5, 5); // cov xy
  });

  it('grid-centre coordinates span [-1, 1] in raster order', () => {
    const c = gridCoords(2, 4); // a 4×8 image in 2×2 patches
    expect(c.length).toBe(4 * 2 * 2);
    expect(Array.from(c.slice(0, 2))).toEqual([-1, -1]);
    expect(Array.from(c.slice(6, 8))).toEqual([1, -1]); // end of the first row
    expect(Array.from(c.slice(-2))).toEqual([1, 1]);
  });
  it('a BC policy on keypoints learns to move the dot toward the middle from pixels alone', async () => {
    const mem = dotMemory(24);
    const stats = computeStats(mem.episodes.flatMap((e) => e.actions!));
    const cfg = resolveConfig(PolicySchema, [{ head: 'regress', encoder: { kind: 'keypoints', keypoints: 4, frames: 1, patch: 1, width: 8, vocab: 8, hidden: 16, stateDims: 0 }, train: { steps: 150, batch: 16, lr: 1e-2, warmup: 10, checkpointEvery: 1000, augment: 0 } }]);
    const r = await trainPolicy({ mem, cfg, examples: actionExamples(mem, stats), outDim: 2, robot: 'test-arm', stateMean: [], stateStd: [], actionStats: stats, out: mkdtempSync(join(tmpdir(), 'lara-kp-')), progress: false });
    const p = Policy.load(r.dir);
    expect(p.meta.config.encoder.kind).toBe('keypoints');
    p.reset('move the dot to the middle');
    // left of the middle: move right; right of it: move left
    expect(p.toAction(p.observe({ image: dotFrame(2), state: new Float32Array(0) }))[0]).toBeGreaterThan(0.3);
    p.reset('move the dot to the middle');
    expect(p.toAction(p.observe({ image: dotFrame(12), state: new Float32Array(0) }))[0]).toBeLessThan(-0.3);
    p.dispose();
  }, 60_000);
});
