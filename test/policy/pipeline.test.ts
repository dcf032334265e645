/**
 * The observation a policy sees at run time (Policy.observe on live TabletopEnv observations)
 * must be exactly what it was trained on (trainingSample on the recorded episode): same frame
 * order and stacking, same instruction, same state normalisation, for both encoders.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/schema.ts';
import { PolicySchema } from '../../src/policy/config.ts';
import { EpisodeMemory } from '../../src/policy/data.ts';
import { actionExamples } from '../../src/policy/examples.ts';
import { Policy } from '../../src/policy/policy.ts';
import { trainingSample } from '../../src/policy/task.ts';
import { trainPolicy } from '../../src/policy/train.ts';
import { stateScale } from '../../src/policy/from-dataset.ts';
import { computeStats } from '../../src/mapping/stats.ts';
import { rolloutExpert } from '../../src/sim/rollout.ts';
import { TabletopEnv } from '../../src/sim/tabletop.ts';
import { useWasm } from './helpers.ts';

beforeAll(useWasm);

describe('train/eval observation pipeline', () => {
  for (const kind of ['st', 'keypoints'] as const) {
    it(`Policy.observe on the live env equals the training sample at every step (${kind} encoder)`, async () => {
      const env = new TabletopEnv({ width: 16, height: 16, blocks: 2, zones: 1, tasks: ['reach'], supersample: 1 });
      const ep = rolloutExpert(env, 7).episode;
      const mem = new EpisodeMemory([{ instruction: ep.instruction, frames: ep.cameras.image!.frames, actions: ep.actions!, states: ep.states! }], 16, 16, [0]);
      const stats = computeStats(ep.actions!);
      const st = computeStats(ep.states!);
      const cfg = resolveConfig(PolicySchema, [{ head: 'regress', encoder: { kind, keypoints: 4, frames: 3, patch: kind === 'st' ? 4 : 1, width: 8, layers: 1, heads: 2, vocab: 16, hidden: 8, stateDims: 6 }, train: { steps: 2, batch: 2, checkpointEvery: 2, augment: 0 } }]);
      const r = await trainPolicy({ mem, cfg, examples: actionExamples(mem, stats), outDim: 8, robot: 'tabletop-sim', stateMean: st.mean, stateStd: st.std, actionStats: stats, out: mkdtempSync(join(tmpdir(), 'lara-pipe-')), progress: false });
      const p = Policy.load(r.dir);
      // replay the recorded actions in the env and feed the live observations
      let obs = env.reset(7);
      p.reset(env.instruction);
      expect(env.instruction).toBe(ep.instruction);
      const T = ep.actions!.length;
      expect(T).toBeGreaterThan(3); // frame stacking crosses the episode start
      for (let t = 0; t < T - 1; t++) {
        const live = p.observe(obs);
        const trained = p.outputs([trainingSample(mem, 0, t, 3)])[0]!;
        expect(Array.from(live)).toEqual(Array.from(trained));
        obs = env.step(ep.actions![t]!).obs;
      }
      // the instruction is an input: another one changes the output for the same frames and state
      const s = trainingSample(mem, 0, T - 1, 3);
      expect(Array.from(p.outputs([{ ...s, instruction: 'reach the purple block' }])[0]!)).not.toEqual(Array.from(p.outputs([s])[0]!));
      p.dispose();
    }, 60_000);
  }
});

describe('state scaling', () => {
  it('a state dim that never varied in the data is scaled by 1, not by a floored std', () => {
    expect(stateScale([0.08, 0, 1e-6, 0.35])).toEqual([0.08, 1, 1, 0.35]);
  });
});
