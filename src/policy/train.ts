/**
 * trainPolicy: train a latent policy (codes) or a BC policy (native actions) on episodes held in
 * memory with the resumable loop, then write the policy folder (policy.json + model.safetensors).
 */
import { join } from 'node:path';
import type { ActionStats } from '../mapping/types.ts';
import { train, type TrainResult } from '../train/loop.ts';
import type { ProgressStream } from '../util/progress.ts';
import { LaraError } from '../util/errors.ts';
import type { PolicyConfig } from './config.ts';
import type { EpisodeMemory } from './data.ts';
import type { PolicyInputSpec } from './inputs.ts';
import { binsFor } from './bins.ts';
import { savePolicy, type PolicyMeta } from './io.ts';
import type { PolicyNetSpec } from './network.ts';
import { PolicyBatches, PolicyTask, type PolicyExample } from './task.ts';

export interface TrainPolicyOptions {
  mem: EpisodeMemory;
  cfg: PolicyConfig;
  examples: PolicyExample[];
  /** K codes (latent) or A action dims (regress). */
  outDim: number;
  robot: string;
  /** State normalisation (dataset statistics); empty arrays when there is no state. */
  stateMean: number[];
  stateStd: number[];
  actionStats?: ActionStats;
  /** Run folder (checkpoints, metrics.jsonl); the policy is written to `<out>/policy`. */
  out: string;
  resume?: boolean;
  overwrite?: boolean;
  progress?: ProgressStream | false;
  provenance?: Record<string, unknown>;
}

export interface TrainedPolicy {
  dir: string;
  meta: PolicyMeta;
  result: TrainResult;
}

export function inputSpecFor(mem: EpisodeMemory, cfg: PolicyConfig, stateMean: number[], stateStd: number[]): PolicyInputSpec {
  const stateDim = Math.min(cfg.encoder.stateDims, stateMean.length);
  return { width: mem.width, height: mem.height, frames: cfg.encoder.frames, patch: cfg.encoder.patch, vocab: cfg.encoder.vocab, stateDim, stateMean: stateMean.slice(0, stateDim), stateStd: stateStd.slice(0, stateDim) };
}

export async function trainPolicy(o: TrainPolicyOptions): Promise<TrainedPolicy> {
  if (o.examples.length === 0) throw new LaraError('no training examples for the policy', { expected: 'a dataset with labelled transitions' });
  const bins = o.cfg.head === 'regress' && o.cfg.bins > 0 && o.actionStats ? binsFor(o.actionStats, o.cfg.bins) : undefined;
  const spec: PolicyNetSpec = { input: inputSpecFor(o.mem, o.cfg, o.stateMean, o.stateStd), encoder: o.cfg.encoder, head: o.cfg.head, outDim: o.outDim, ...(bins ? { bins } : {}) };
  const task = new PolicyTask(spec, o.cfg);
  const t = o.cfg.train;
  const data = new PolicyBatches(o.mem, o.examples, spec, t.seed, t.batch, t.augment);
  try {
    const result = await train({
      task, data, train: { steps: t.steps, seed: t.seed, checkpointEvery: t.checkpointEvery, keep: t.keep }, runDir: o.out, config: o.cfg, component: 'policy',
      ...(o.resume !== undefined ? { resume: o.resume } : {}), ...(o.overwrite !== undefined ? { overwrite: o.overwrite } : {}), ...(o.progress !== undefined ? { progress: o.progress } : {}),
    });
    const last = result.history.at(-1)?.loss;
    const meta: PolicyMeta = {
      format: 'lara-policy', version: 1, head: o.cfg.head, outDim: o.outDim, robot: o.robot, input: spec.input, config: o.cfg,
      ...(o.cfg.head === 'latent' ? { codes: o.outDim } : {}), ...(o.actionStats ? { actionStats: o.actionStats } : {}), ...(bins ? { bins } : {}),
      trainedOn: { examples: o.examples.length, steps: result.step, ...(last !== undefined ? { finalLoss: last } : {}), ...(o.provenance ?? {}) },
    };
    const dir = join(o.out, 'policy');
    await savePolicy(dir, meta, task.net!);
    return { dir, meta, result };
  } finally {
    task.dispose();
  }
}
