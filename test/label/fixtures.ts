/** Test fixtures: a tiny tabletop dataset written by the real simulator, and a tiny LAM checkpoint. */
import { join } from 'node:path';
import { DatasetWriter } from '../../src/data/DatasetWriter.ts';
import { TabletopEnv } from '../../src/sim/tabletop.ts';
import { rolloutExpert } from '../../src/sim/rollout.ts';
import { ParamStore } from '../../src/nn/params.ts';
import { LatentActionModel } from '../../src/lam/lam.ts';
import { LamSchema } from '../../src/lam/config.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { saveCheckpoint } from '../../src/checkpoint/checkpoint.ts';
import { Rng } from '../../src/util/rng.ts';

export async function simDataset(dir: string, o: { episodes: number; size?: number; maxSteps?: number; instruction?: string; actions?: boolean }): Promise<void> {
  const size = o.size ?? 16;
  const env = new TabletopEnv({ width: size, height: size, maxSteps: o.maxSteps ?? 12 });
  const w = DatasetWriter.create(dir, {
    robot: 'tabletop-sim', fps: 10, cameras: [{ name: 'image', width: size, height: size, encoding: 'png' }],
    actionNames: o.actions === false ? null : env.spec.actionNames, stateNames: env.spec.stateNames,
    source: { generator: 'test fixture', simulator: 'tabletop', sim: { width: size, height: size, maxSteps: o.maxSteps ?? 12 } },
  });
  for (let k = 0; k < o.episodes; k++) {
    const r = rolloutExpert(env, 100 + k, { noise: 0.1 }, o.instruction ?? 'push the red block to the green zone');
    if (o.actions === false) delete r.episode.actions;
    await w.addEpisode(r.episode);
  }
  await w.finish();
}

/** A freshly initialised (untrained) pixel LAM saved as a checkpoint run directory. */
export async function lamRun(dir: string, model: Record<string, unknown> = {}): Promise<string> {
  const cfg = resolveConfig(LamSchema, [{ model: { height: 16, width: 16, frames: 4, patch: 8, codes: 4, codeDim: 8, encoder: { layers: 1, width: 16, heads: 2, ffnMult: 2 }, decoder: { layers: 1, width: 16, heads: 2, ffnMult: 2 }, ...model } }]);
  const store = new ParamStore(Rng.seeded(1));
  new LatentActionModel(store.scope('lam'), cfg.model);
  await saveCheckpoint(join(dir, 'ckpt'), { step: 1, weights: store.snapshot(), optimizer: { step: 0, tensors: {} }, rng: Rng.seeded(0).state(), data: { position: 1 }, config: cfg });
  store.dispose();
  return dir;
}
