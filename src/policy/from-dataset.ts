/**
 * Train a policy from a lara dataset (what `lara train policy` runs): the latent policy on every
 * LAM-labelled transition, BC on every native action (the oracle), or BC on the same N labelled
 * transitions the mapping sees (`labelled` = N, chosen by labelledSubset with `labelledSeed`).
 * Episodes: the dataset's train split when it has one, else all.
 */
import { Dataset } from '../data/Dataset.ts';
import type { DatasetInfo } from '../data/format.ts';
import { labelledSubset } from '../mapping/subset.ts';
import type { ActionStats } from '../mapping/types.ts';
import { LaraError } from '../util/errors.ts';
import type { ProgressStream } from '../util/progress.ts';
import type { PolicyConfig } from './config.ts';
import { EpisodeMemory } from './data.ts';
import { actionExamples, latentExamples } from './examples.ts';
import { trainPolicy, type TrainedPolicy } from './train.ts';

export interface TrainOnDatasetOptions {
  data: string;
  cfg: PolicyConfig;
  out: string;
  resume?: boolean;
  overwrite?: boolean;
  /** Seed of the labelled subset (the same as fit-mapping's --labelled-seed). */
  labelledSeed?: number;
  progress?: ProgressStream | false;
  /** Start from this policy's encoder and hidden layer (trainPolicy's init). */
  init?: string;
  log?: (s: string) => void;
}

/** The dataset's training episodes: its train split, or every episode. */
export function trainEpisodes(ds: Dataset): number[] {
  return ds.splits()?.train ?? Array.from({ length: ds.numEpisodes }, (_, i) => i);
}

export function actionStatsOf(info: DatasetInfo, file: string): ActionStats {
  if (!info.action) throw new LaraError('dataset has no native actions', { file, expected: 'a dataset recorded with actions (info.json "action")', got: 'a video-only dataset' });
  const s = info.action.stats;
  return { mean: s.mean, std: s.std.map((v) => Math.max(v, 1e-6)), min: s.min, max: s.max };
}

/**
 * Scales of the state inputs: the dataset's std, but 1 for a dim that never varied in the data
 * (e.g. gripper.closedness on reach). Flooring it at 1e-6 instead turned the smallest deviation
 * at run time (a BC gripper output of 1e-3) into an input of ~500 standard deviations.
 */
export function stateScale(std: readonly number[]): number[] {
  return std.map((v) => (v > 1e-4 ? v : 1));
}

export async function trainPolicyOnDataset(o: TrainOnDatasetOptions): Promise<TrainedPolicy> {
  const log = o.log ?? (() => {});
  const ds = Dataset.open(o.data);
  try {
    const cfg = o.cfg;
    const ids = trainEpisodes(ds);
    if (cfg.head === 'latent' && !ds.info.has_latents) {
      throw new LaraError('dataset is not labelled with latent actions', { file: o.data, expected: `latent codes (run: lara label ${o.data} --lam <LAM run>)` });
    }
    let refs;
    if (cfg.head === 'regress') {
      actionStatsOf(ds.info, o.data);
      if (cfg.labelled > 0) refs = labelledSubset(ds.index.episodes.map((e) => e.length), cfg.labelled, o.labelledSeed ?? 0, ids);
    }
    const load = refs ? [...new Set(refs.map((r) => r.episode))].sort((a, b) => a - b) : ids;
    const mem = await EpisodeMemory.load(ds, { ids: load });
    const stats = cfg.head === 'regress' ? actionStatsOf(ds.info, o.data) : undefined;
    const examples = cfg.head === 'latent' ? latentExamples(mem, o.data) : actionExamples(mem, stats!, refs, o.data);
    log(`policy (${cfg.head}${refs ? `, ${refs.length} labelled transitions` : ''}): ${examples.length} examples from ${mem.episodes.length} episodes`);
    const st = ds.info.state?.stats;
    return await trainPolicy({
      mem, cfg, examples, out: o.out, robot: ds.info.robot,
      outDim: cfg.head === 'latent' ? ds.info.latent_codes! : ds.info.action!.dim,
      stateMean: st?.mean ?? [], stateStd: stateScale(st?.std ?? []),
      ...(stats ? { actionStats: stats } : {}), ...(o.init !== undefined ? { init: o.init } : {}),
      ...(o.resume !== undefined ? { resume: o.resume } : {}), ...(o.overwrite !== undefined ? { overwrite: o.overwrite } : {}), ...(o.progress !== undefined ? { progress: o.progress } : {}),
      provenance: { dataset: o.data, episodes: mem.episodes.length, ...(refs ? { labelled: refs.length, labelledSeed: o.labelledSeed ?? 0 } : {}), ...(o.init !== undefined ? { init: o.init } : {}) },
    });
  } finally {
    await ds.close();
  }
}
