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
import type { PolicyNetSpec } from './network.ts';
import { PolicyBatches, PolicyTask, type InitialWeights, type PolicyExample } from './task.ts';
import { loadPolicyNet, POLICY_FILE, savePolicy, WEIGHTS_FILE, type PolicyMeta } from './io.ts';
import { tf, type Tensor } from '../backend/tf.ts';

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
  /**
   * Start from another policy's weights (its encoder and the head's hidden layer; the output
   * layer is fresh): latent-action pretraining, then BC on the labelled transitions.
   */
  init?: string;
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
  const start = o.init !== undefined ? initialWeights(o.init, spec) : undefined;
  const task = new PolicyTask(spec, o.cfg, start);
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
    if (start) tf.dispose(Object.values(start.weights));
  }
}

/** The weights of policy `dir` that a net of `spec` starts from: all but the output layer, checked for shape. */
export function initialWeights(dir: string, spec: PolicyNetSpec): InitialWeights {
  const { meta, net } = loadPolicyNet(dir);
  try {
    const file = join(dir, POLICY_FILE);
    const a = meta.input, b = spec.input;
    for (const k of ['width', 'height', 'frames', 'patch', 'vocab', 'stateDim'] as const) {
      if (a[k] !== b[k]) throw new LaraError(`cannot start from policy ${dir}: its input ${k} differs`, { file, where: `input.${k}`, expected: String(b[k]), got: String(a[k]) });
    }
    for (const [k, v] of Object.entries(spec.encoder)) {
      const u = (meta.config.encoder as Record<string, unknown>)[k];
      if (u !== v) throw new LaraError(`cannot start from policy ${dir}: its encoder.${k} differs`, { file, where: `config.encoder.${k}`, expected: JSON.stringify(v), got: JSON.stringify(u) });
    }
    const weights: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(net.store.snapshot())) {
      if (name.startsWith('head.fc2.')) t.dispose();
      else weights[name] = t;
    }
    return { weights, source: join(dir, WEIGHTS_FILE) };
  } finally {
    net.dispose();
  }
}
