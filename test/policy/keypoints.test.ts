import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/schema.ts';
import { PolicySchema } from '../../src/policy/config.ts';
import { actionExamples } from '../../src/policy/examples.ts';
import { gridCoords } from '../../src/nn/softargmax.ts';
import { Policy } from '../../src/policy/policy.ts';
import { trainPolicy } from '../../src/policy/train.ts';
import { computeStats } from '../../src/mapping/stats.ts';
import { dotFrame, dotMemory } from './synthetic.ts';
import { useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('keypoint encoder', () => {
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
