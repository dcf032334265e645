/**
 * Training checkpoints. A run keeps them under `<runDir>/ckpt/`:
 *
 *   ckpt/ckpt-00000120/model.safetensors      weights, by name
 *   ckpt/ckpt-00000120/optimizer.safetensors  optimizer tensors (moments), by name
 *   ckpt/ckpt-00000120/state.json             step, optimizer step, rng, data position, metrics, versions
 *   ckpt/ckpt-00000120/config.json            the run's resolved config (rebuilds the model)
 *   ckpt/latest                               the name of the newest complete checkpoint
 *
 * A checkpoint is written into `ckpt-<step>.tmp/` and renamed into place only once every file is
 * on disk, then `latest` is replaced atomically; so a process killed at any moment leaves either
 * the old or the new checkpoint, never a half-written one. Leftover `.tmp` directories are ignored
 * and swept on the next save. Only the newest `keep` checkpoints are kept.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LaraError, describe } from '../util/errors.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import type { RngState } from '../util/rng.ts';
import { encodeSafetensors, readSafetensors } from './safetensors.ts';
import { rawToTensors, tensorsToRaw, type NamedTensors } from './tf-tensors.ts';

/** Bump when state.json or the file set changes incompatibly. */
export const CHECKPOINT_FORMAT_VERSION = 1;
export const CHECKPOINT_FORMAT = 'lara-checkpoint';

export const LARA_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();

/** An optimizer's exportable state: its step count and named tensors (e.g. `w1/m`, `w1/v`). */
export interface OptimizerState {
  step: number;
  tensors: NamedTensors;
}

/** What state.json holds. */
export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  laraVersion: string;
  /** Training steps completed. */
  step: number;
  optimizerStep: number;
  /** The training loop's rng (for dropout, masking...), to continue the same stream. */
  rng: RngState;
  /** Where the data source stands; for lara's batch sources `position` is the next step's index. */
  data: { position: number } & Record<string, unknown>;
  /** A summary of recent metrics (e.g. last loss), for humans and `lara` verbs. */
  metrics: Record<string, number>;
  /** Which config component the run trains (e.g. "demo"), if known. */
  component?: string;
  savedAt: string;
}

export interface CheckpointInput {
  step: number;
  weights: NamedTensors;
  optimizer: OptimizerState;
  rng: RngState;
  data: { position: number } & Record<string, unknown>;
  metrics?: Record<string, number>;
  config: unknown;
  component?: string;
}

export interface LoadedCheckpoint {
  dir: string;
  state: CheckpointState;
  config: unknown;
  /** Fresh tensors owned by the caller (dispose them after loading into a model). */
  weights: NamedTensors;
  optimizer: OptimizerState;
}

const NAME_RE = /^ckpt-(\d+)$/;
export const checkpointName = (step: number): string => `ckpt-${String(step).padStart(8, '0')}`;

/** Complete-looking checkpoint directories under `root`, oldest first. */
export function listCheckpoints(root: string): { step: number; dir: string }[] {
  if (!existsSync(root)) return [];
  const out: { step: number; dir: string }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const m = NAME_RE.exec(e.name);
    if (e.isDirectory() && m) out.push({ step: Number(m[1]), dir: join(root, e.name) });
  }
  return out.sort((a, b) => a.step - b.step);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on every platform; rename atomicity is what matters */
  }
}

function writeSynced(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Save a checkpoint under `root` (e.g. runs/<name>/ckpt) and point `latest` at it. Returns its
 * directory. Keeps the newest `keep` checkpoints (default 3).
 */
export async function saveCheckpoint(root: string, c: CheckpointInput, opts: { keep?: number; now?: () => Date } = {}): Promise<string> {
  const keep = Math.max(1, opts.keep ?? 3);
  mkdirSync(root, { recursive: true });
  const name = checkpointName(c.step);
  const final = join(root, name);
  const tmp = `${final}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const model = await tensorsToRaw(c.weights);
  const optim = await tensorsToRaw(c.optimizer.tensors);
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    laraVersion: LARA_VERSION,
    step: c.step,
    optimizerStep: c.optimizer.step,
    rng: c.rng,
    data: c.data,
    metrics: c.metrics ?? {},
    ...(c.component !== undefined ? { component: c.component } : {}),
    savedAt: (opts.now?.() ?? new Date()).toISOString(),
  };
  const meta = { format: 'pt', lara: LARA_VERSION, step: String(c.step) };
  writeSynced(join(tmp, 'model.safetensors'), encodeSafetensors(model, meta));
  writeSynced(join(tmp, 'optimizer.safetensors'), encodeSafetensors(optim, { ...meta, optimizer_step: String(c.optimizer.step) }));
  writeSynced(join(tmp, 'config.json'), JSON.stringify(c.config, null, 2) + '\n');
  // state.json last: its presence marks the directory complete even before the rename.
  writeSynced(join(tmp, 'state.json'), JSON.stringify(state, null, 2) + '\n');
  fsyncDir(tmp);
  if (existsSync(final)) {
    const old = `${final}.old.tmp`;
    rmSync(old, { recursive: true, force: true });
    renameSync(final, old);
    renameSync(tmp, final);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, final);
  }
  writeFileAtomic(join(root, 'latest'), name + '\n');
  fsyncDir(root);
  prune(root, keep, c.step);
  return final;
}

/** Remove leftover .tmp directories and all but the newest `keep` checkpoints (never `current`). */
function prune(root: string, keep: number, current: number): void {
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory() && e.name.startsWith('ckpt-') && e.name.endsWith('.tmp')) rmSync(join(root, e.name), { recursive: true, force: true });
  }
  const all = listCheckpoints(root);
  // Checkpoints newer than the current one belong to an abandoned future (a resume from an
  // older checkpoint); they are removed so `latest` and the newest directory agree.
  for (const c of all) if (c.step > current) rmSync(c.dir, { recursive: true, force: true });
  const kept = all.filter((c) => c.step <= current);
  for (const c of kept.slice(0, Math.max(0, kept.length - keep))) rmSync(c.dir, { recursive: true, force: true });
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LaraError(`checkpoint file missing or unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LaraError(`corrupt checkpoint file: ${(e as Error).message}`, { file, expected: 'JSON' });
  }
}

/** Read and check a checkpoint's state.json. */
export function readCheckpointState(dir: string): CheckpointState {
  const file = join(dir, 'state.json');
  const s = readJson(file) as Partial<CheckpointState> | null;
  if (typeof s !== 'object' || s === null || s.format !== CHECKPOINT_FORMAT) {
    throw new LaraError('not a lara checkpoint state', { file, expected: `"format": "${CHECKPOINT_FORMAT}"`, got: describe(s?.format) });
  }
  if (typeof s.formatVersion !== 'number' || s.formatVersion > CHECKPOINT_FORMAT_VERSION) {
    throw new LaraError('checkpoint written by a newer lara', { file, expected: `formatVersion <= ${CHECKPOINT_FORMAT_VERSION}`, got: describe(s.formatVersion) });
  }
  const intOk = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!intOk(s.step)) throw new LaraError('bad checkpoint state', { file, where: 'step', expected: 'a non-negative integer', got: describe(s.step) });
  if (!intOk(s.optimizerStep)) throw new LaraError('bad checkpoint state', { file, where: 'optimizerStep', expected: 'a non-negative integer', got: describe(s.optimizerStep) });
  if (!Array.isArray(s.rng) || s.rng.length !== 4 || !s.rng.every((v) => intOk(v) && (v as number) <= 0xffffffff)) {
    throw new LaraError('bad checkpoint state', { file, where: 'rng', expected: '4 uint32 words', got: describe(s.rng) });
  }
  if (typeof s.data !== 'object' || s.data === null || !intOk(s.data.position)) {
    throw new LaraError('bad checkpoint state', { file, where: 'data.position', expected: 'a non-negative integer', got: describe(s.data?.position) });
  }
  return s as CheckpointState;
}

/**
 * Load a checkpoint directory (weights and optimizer as fresh tfjs tensors). `optimizer: false`
 * is for inference: optimizer.safetensors is neither read nor required (a weights-only copy, as
 * agent bundles ship, has none) and the optimizer tensors come back empty.
 */
export function loadCheckpoint(dir: string, opts: { optimizer?: boolean } = {}): LoadedCheckpoint {
  const state = readCheckpointState(dir);
  const config = readJson(join(dir, 'config.json'));
  const model = readSafetensors(join(dir, 'model.safetensors'));
  const optim = opts.optimizer === false ? undefined : readSafetensors(join(dir, 'optimizer.safetensors'));
  const weights = rawToTensors(model.tensors);
  return { dir, state, config, weights, optimizer: { step: state.optimizerStep, tensors: optim ? rawToTensors(optim.tensors) : {} } };
}

/** The files of a checkpoint directory that inference needs (what a weights-only copy keeps). */
export const WEIGHTS_ONLY_FILES = ['state.json', 'config.json', 'model.safetensors'] as const;

/** The checkpoints to try when resuming, best first: the one `latest` names, then newest to oldest. */
export function resumeCandidates(root: string): string[] {
  const all = listCheckpoints(root).reverse().map((c) => c.dir);
  const pointer = join(root, 'latest');
  if (existsSync(pointer)) {
    const name = readFileSync(pointer, 'utf8').trim();
    const dir = join(root, name);
    if (NAME_RE.test(name) && all.includes(dir)) return [dir, ...all.filter((d) => d !== dir)];
  }
  return all;
}

/**
 * Load the newest good checkpoint under `root`, skipping (and reporting through `warn`) any that
 * fail to load. Returns undefined when there is none.
 */
export function loadLatestCheckpoint(root: string, warn: (msg: string) => void = () => {}, opts: { optimizer?: boolean } = {}): LoadedCheckpoint | undefined {
  for (const dir of resumeCandidates(root)) {
    try {
      return loadCheckpoint(dir, opts);
    } catch (e) {
      if (!(e instanceof LaraError)) throw e;
      warn(`skipping unusable checkpoint ${dir}: ${e.message}`);
    }
  }
  return undefined;
}
