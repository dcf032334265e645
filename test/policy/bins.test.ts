import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/schema.ts';
import { binCentre, binIndex, binsFor, decodeBins } from '../../src/policy/bins.ts';
import { PolicySchema } from '../../src/policy/config.ts';
import { EpisodeMemory } from '../../src/policy/data.ts';
import { actionExamples } from '../../src/policy/examples.ts';
import { Policy } from '../../src/policy/policy.ts';
import { trainPolicy } from '../../src/policy/train.ts';
import { computeStats } from '../../src/mapping/stats.ts';
import { Rng } from '../../src/util/rng.ts';
import { dotFrame } from './synthetic.ts';
import { useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('binned BC head', () => {
  const stats = { mean: [0, 0.5], std: [0.5, 1], min: [-1, 0.5], max: [1, 0.5] };
  it('bins the data range uniformly; a dim that never varied decodes to its value', () => {
    const b = binsFor(stats, 4); // dim 0: normalised [-2, 2]
    expect(b.lo).toEqual([-2, 0]);
    expect([-2, -1.01, -0.99, 0, 1.99, 2, 9].map((z) => binIndex(b, 0, z))).toEqual([0, 0, 1, 2, 3, 3, 3]);
    expect(binCentre(b, 0, 0)).toBeCloseTo(-1.5);
    expect(binIndex(b, 1, 0.3)).toBe(0);
    expect(Array.from(decodeBins(b, [0, 5, 1, 0, 9, 0, 0, 0]))).toEqual([-0.5, 0]);
  });
  it('keeps one mode of a bimodal expert where MSE averages the two', async () => {
    // the same dot image maps to +1 or -1 at random: MSE predicts ~0, the binned head ±1
    const rng = Rng.seeded(3);
    const frames = Array.from({ length: 40 }, () => dotFrame(7));
    const actions = frames.map(() => Float32Array.of(rng.next() < 0.55 ? 1 : -1));
    const mem = new EpisodeMemory([{ instruction: 'go', frames: [...frames, dotFrame(7)], actions: [...actions, Float32Array.of(1)] }], 16, 16, [0]);
    const st = computeStats(actions);
    const cfg = (bins: number) => resolveConfig(PolicySchema, [{ head: 'regress', bins, encoder: { kind: 'keypoints', keypoints: 2, frames: 1, patch: 1, width: 8, vocab: 8, hidden: 16, stateDims: 0 }, train: { steps: 80, batch: 16, lr: 1e-2, warmup: 5, checkpointEvery: 1000, augment: 0 } }]);
    const act = async (bins: number): Promise<number> => {
      const r = await trainPolicy({ mem, cfg: cfg(bins), examples: actionExamples(mem, st), outDim: 1, robot: 'test-arm', stateMean: [], stateStd: [], actionStats: st, out: mkdtempSync(join(tmpdir(), 'lara-bins-')), progress: false });
      const p = Policy.load(r.dir);
      p.reset('go');
      const u = p.toAction(p.observe({ image: dotFrame(7), state: new Float32Array(0) }))[0]!;
      expect(p.net.outWidth).toBe(bins > 0 ? bins : 1);
      p.dispose();
      return u;
    };
    expect(Math.abs(await act(0))).toBeLessThan(0.5);
    expect(Math.abs(await act(8))).toBeGreaterThan(0.8);
  }, 60_000);
});
