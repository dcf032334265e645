/**
 * Fit a latent -> DoF mapping from N labelled transitions of a LAM-labelled dataset that also
 * has native actions (what `lara fit-mapping` runs). The N transitions are labelledSubset(...)
 * of the dataset's training episodes, the same ones `lara train policy --labelled N` uses.
 */
import { Dataset } from '../data/Dataset.ts';
import type { RobotDescription } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';
import { trainEpisodes } from '../policy/from-dataset.ts';
import type { MappingConfig } from './config.ts';
import { fitMapping } from './fit.ts';
import { labelledSubset, type TransitionRef } from './subset.ts';
import type { DictionaryMapping } from './dictionary.ts';
import type { MlpMapping } from './mlp.ts';
import type { RidgeMapping } from './ridge.ts';
import type { LabelledTransition } from './types.ts';

/** The labelled transitions (code, action, state) of a dataset at `refs`. */
export async function readLabelled(ds: Dataset, refs: readonly TransitionRef[]): Promise<LabelledTransition[]> {
  const byEp = new Map<number, number[]>();
  for (const r of refs) byEp.set(r.episode, [...(byEp.get(r.episode) ?? []), r.step]);
  const out = new Map<string, LabelledTransition>();
  for (const [k, steps] of byEp) {
    const e = await ds.readEpisode(k);
    for (const t of steps) {
      const x: LabelledTransition = { code: e.latents![t]!, action: e.actions![t]! };
      if (e.states) x.state = e.states[t]!;
      out.set(`${k}:${t}`, x);
    }
  }
  return refs.map((r) => out.get(`${r.episode}:${r.step}`)!);
}

export interface FitFromDatasetResult {
  mapping: DictionaryMapping | RidgeMapping | MlpMapping;
  refs: TransitionRef[];
  samples: LabelledTransition[];
}

export async function fitMappingFromDataset(data: string, robot: RobotDescription, n: number, cfg: MappingConfig): Promise<FitFromDatasetResult> {
  const ds = Dataset.open(data);
  try {
    const info = ds.info;
    if (!info.action) {
      throw new LaraError('fit-mapping needs native actions, but this dataset has none', { file: data, where: 'info.json action', expected: 'a (small) dataset recorded with the robot\'s actions, labelled with lara label', got: 'a video-only dataset' });
    }
    if (!info.has_latents || !info.latent_codes) throw new LaraError('dataset is not labelled with latent actions', { file: data, expected: `latent codes (run: lara label ${data} --lam <LAM run>)` });
    if (info.robot !== robot.name) {
      throw new LaraError(`dataset actions are robot '${info.robot}' actions, not robot '${robot.name}' actions`, { file: data, where: 'info.json robot', expected: JSON.stringify(robot.name), got: JSON.stringify(info.robot) });
    }
    const names = robot.dof.map((d) => d.name);
    if (info.action.names.join(',') !== names.join(',')) throw new LaraError(`dataset action names do not match robot '${robot.name}'`, { file: data, where: 'info.json action.names', expected: names.join(', '), got: info.action.names.join(', ') });
    const refs = labelledSubset(ds.index.episodes.map((e) => e.length), n, cfg.seed, trainEpisodes(ds));
    const samples = await readLabelled(ds, refs);
    return { mapping: await fitMapping(samples, robot, info.latent_codes, cfg), refs, samples };
  } finally {
    await ds.close();
  }
}
