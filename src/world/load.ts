/**
 * Load trained models from run directories or checkpoint directories. A checkpoint carries its
 * resolved config, so a model rebuilds itself from the checkpoint alone. A LAM or dynamics model
 * can come from its own run or from a world-model run (weights under lam.* / dynamics.*).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../backend/tf.ts';
import { loadCheckpoint, loadLatestCheckpoint, type LoadedCheckpoint } from '../checkpoint/checkpoint.ts';
import { resolveConfig } from '../config/schema.ts';
import { DynamicsSchema, type DynamicsModelConfig, type SamplerConfig } from '../dynamics/config.ts';
import { DynamicsModel } from '../dynamics/dynamics.ts';
import { LamSchema, type LamModelConfig } from '../lam/config.ts';
import { LatentActionModel } from '../lam/lam.ts';
import { ParamStore } from '../nn/params.ts';
import { TokenizerSchema, type TokenizerModelConfig } from '../tokenizer/config.ts';
import { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { WorldModelSchema } from './config.ts';

/** The newest good checkpoint of a run directory, or the checkpoint directory itself, for inference (no optimizer state). */
export function openCheckpoint(path: string): LoadedCheckpoint {
  if (existsSync(join(path, 'state.json'))) return loadCheckpoint(path, { optimizer: false });
  const root = join(path, 'ckpt');
  const ck = existsSync(root) ? loadLatestCheckpoint(root, undefined, { optimizer: false }) : undefined;
  if (!ck) throw new LaraError('no checkpoint found', { file: path, expected: 'a run directory with ckpt/ or a checkpoint directory with state.json' });
  return ck;
}

function isWorld(config: unknown): boolean {
  return typeof config === 'object' && config !== null && 'dynamics' in config && 'lam' in config;
}

/** Build a model in a fresh store and load its weights (names under `prefix.`). */
function restore<M>(ck: LoadedCheckpoint, make: (store: ParamStore) => M): { model: M; store: ParamStore } {
  const store = new ParamStore(Rng.seeded(0));
  const model = make(store);
  const names = new Set(store.names());
  const mine = Object.fromEntries(Object.entries(ck.weights).filter(([k]) => names.has(k)));
  try {
    store.load(mine, { source: ck.dir });
  } finally {
    tf.dispose(Object.values(ck.weights));
    tf.dispose(Object.values(ck.optimizer.tensors));
  }
  return { model, store };
}

export interface Loaded<M, C> {
  model: M;
  store: ParamStore;
  config: C;
  dir: string;
}

export function loadTokenizer(path: string): Loaded<VideoTokenizer, TokenizerModelConfig> {
  const ck = openCheckpoint(path);
  const config = resolveConfig(TokenizerSchema, [{ source: join(ck.dir, 'config.json'), value: ck.config }]).model;
  const r = restore(ck, (s) => new VideoTokenizer(s.scope('tokenizer'), config));
  return { ...r, config, dir: ck.dir };
}

/** A LAM from a LAM or world-model run; `stride` is the frame stride it was trained at (data.stride). */
export function loadLam(path: string): Loaded<LatentActionModel, LamModelConfig> & { stride: number } {
  const ck = openCheckpoint(path);
  const src = { source: join(ck.dir, 'config.json'), value: ck.config };
  const full = isWorld(ck.config) ? resolveConfig(WorldModelSchema, [src]) : resolveConfig(LamSchema, [src]);
  const config = 'lam' in full ? full.lam : full.model;
  const r = restore(ck, (s) => new LatentActionModel(s.scope('lam'), config));
  return { ...r, config, dir: ck.dir, stride: full.data.stride };
}

/** A dynamics model from a dynamics or world-model run; `stride` is the frame stride it was trained at (data.stride). */
export function loadDynamics(path: string): Loaded<DynamicsModel, DynamicsModelConfig> & { sampler: SamplerConfig; stride: number } {
  const ck = openCheckpoint(path);
  const src = { source: join(ck.dir, 'config.json'), value: ck.config };
  const full = isWorld(ck.config) ? resolveConfig(WorldModelSchema, [src]) : undefined;
  const dyn = full ? undefined : resolveConfig(DynamicsSchema, [src]);
  const config = full ? full.dynamics : dyn!.model;
  const sampler = full ? full.sampler : dyn!.sampler;
  const r = restore(ck, (s) => new DynamicsModel(s.scope('dynamics'), config));
  return { ...r, config, sampler, dir: ck.dir, stride: (full ?? dyn!).data.stride };
}

/** Check that a dynamics config fits its tokenizer and LAM; a LaraError names the field. */
export function checkCompatible(d: DynamicsModelConfig, tok: TokenizerModelConfig, lam: LamModelConfig, where: string): void {
  const want: [string, number, number][] = [
    ['vocab', d.vocab, tok.codes],
    ['gridH', d.gridH, tok.height / tok.patch],
    ['gridW', d.gridW, tok.width / tok.patch],
    ['actions', d.actions, lam.codes],
    ['actionDim', d.actionDim, lam.codeDim],
  ];
  for (const [k, got, exp] of want) {
    if (got !== exp) throw new LaraError(`dynamics config does not fit the tokenizer / LAM`, { where: `${where}.${k}`, expected: `${exp} (--set ${where}.${k}=${exp})`, got: String(got) });
  }
  if (lam.height !== tok.height || lam.width !== tok.width) {
    throw new LaraError('LAM frame size differs from the tokenizer', { where: 'lam.height / lam.width', expected: `${tok.height} x ${tok.width}`, got: `${lam.height} x ${lam.width}` });
  }
  if (d.frames > tok.frames) throw new LaraError('clips longer than the tokenizer was built for', { where: `${where}.frames`, expected: `at most ${tok.frames}`, got: String(d.frames) });
  if (lam.input === 'tokens' && (lam.tokenVocab !== tok.codes || lam.tokenPatch !== tok.patch || lam.height !== tok.height || lam.width !== tok.width)) {
    throw new LaraError('token LAM does not fit the tokenizer', { where: 'lam', expected: `tokenVocab ${tok.codes}, tokenPatch ${tok.patch}, ${tok.height}x${tok.width}`, got: `tokenVocab ${lam.tokenVocab}, tokenPatch ${lam.tokenPatch}, ${lam.height}x${lam.width}` });
  }
}
