/**
 * A trained policy on disk: `<dir>/policy.json` (what rebuilds it: head, input spec, encoder
 * config, robot, codes or action statistics, provenance) and `<dir>/model.safetensors`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../backend/tf.ts';
import { readSafetensors, writeSafetensors } from '../checkpoint/safetensors.ts';
import { rawToTensors, tensorsToRaw } from '../checkpoint/tf-tensors.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { LaraError, describe } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import type { ActionStats } from '../mapping/types.ts';
import { resolveConfig } from '../config/schema.ts';
import { EncoderSchema, type PolicyConfig } from './config.ts';
import type { PolicyInputSpec } from './inputs.ts';
import type { BinSpec } from './bins.ts';
import { PolicyNet, type HeadKind } from './network.ts';

export interface PolicyMeta {
  format: 'lara-policy';
  version: 1;
  head: HeadKind;
  /** K (latent) or A (regress). */
  outDim: number;
  /** Robot whose data trained it (its native actions for a regress head). */
  robot: string;
  /** Latent head: the LAM codebook size. */
  codes?: number;
  /** Regress head: statistics that de-normalise its outputs. */
  actionStats?: ActionStats;
  /** Regress head with binned outputs (configs' `bins` > 0). */
  bins?: BinSpec;
  input: PolicyInputSpec;
  config: PolicyConfig;
  /** Where it was trained: dataset, examples, steps, final loss. */
  trainedOn: Record<string, unknown>;
}

export const POLICY_FILE = 'policy.json';
export const WEIGHTS_FILE = 'model.safetensors';

export async function savePolicy(dir: string, meta: PolicyMeta, net: PolicyNet): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeSafetensors(join(dir, WEIGHTS_FILE), await tensorsToRaw(Object.fromEntries(net.store.entries())), { format: 'lara-policy' });
  writeJsonAtomic(join(dir, POLICY_FILE), meta);
}

export function readPolicyMeta(dir: string): PolicyMeta {
  const file = join(dir, POLICY_FILE);
  if (!existsSync(file)) throw new LaraError('no policy here', { file, expected: 'a folder written by lara train policy (policy.json + model.safetensors)' });
  let m: PolicyMeta;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as PolicyMeta;
  } catch (e) {
    throw new LaraError(`cannot parse policy: ${(e as Error).message}`, { file });
  }
  if (m?.format !== 'lara-policy') throw new LaraError('not a lara policy', { file, where: 'format', expected: '"lara-policy"', got: describe(m?.format) });
  if (m.version !== 1) throw new LaraError('unsupported policy version', { file, where: 'version', expected: '1', got: describe(m.version) });
  if (m.head !== 'latent' && m.head !== 'regress') throw new LaraError('bad policy head', { file, where: 'head', expected: '"latent" or "regress"', got: describe(m.head) });
  if (m.head === 'regress' && !m.actionStats) throw new LaraError('regress policy lacks action statistics', { file, where: 'actionStats' });
  return m;
}

/** Rebuild the network and load its weights. */
export function loadPolicyNet(dir: string): { meta: PolicyMeta; net: PolicyNet } {
  const meta = readPolicyMeta(dir);
  const encoder = resolveConfig(EncoderSchema, [{ source: join(dir, POLICY_FILE), value: meta.config.encoder }]);
  const net = new PolicyNet({ input: meta.input, encoder, head: meta.head, outDim: meta.outDim, ...(meta.bins ? { bins: meta.bins } : {}) }, Rng.seeded(0));
  const file = join(dir, WEIGHTS_FILE);
  if (!existsSync(file)) throw new LaraError('policy weights missing', { file });
  const w = rawToTensors(readSafetensors(file).tensors);
  try {
    net.store.load(w, { source: file });
  } finally {
    tf.dispose(Object.values(w));
  }
  return { meta, net };
}
