/**
 * The training loop: fresh start or exact resume, checkpoints every N steps and at the end,
 * metrics.jsonl, progress. Layout of a run directory:
 *
 *   <runDir>/ckpt/...         checkpoints (see src/checkpoint/checkpoint.ts)
 *   <runDir>/metrics.jsonl    one line per step
 *
 * Resuming restores weights, optimizer state and the loop rng, and continues at the saved step;
 * batches depend only on (seed, step), so the resumed run computes bit for bit what an
 * uninterrupted run computes.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { Progress, type ProgressStream } from '../util/progress.ts';
import { listCheckpoints, loadLatestCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint.ts';
import { appendMetrics, truncateMetrics, type MetricsRecord } from './metrics.ts';
import type { BatchSource, TrainTask } from './task.ts';
import type { TrainConfig } from './config.ts';

export interface TrainOptions<B> {
  task: TrainTask<B>;
  data: BatchSource<B>;
  /** steps, seed, checkpointEvery, keep. */
  train: TrainConfig;
  runDir: string;
  /** Continue from the newest good checkpoint in runDir (fresh start when there is none). */
  resume?: boolean;
  /** Without resume, an existing run directory is an error unless this is true (then it is cleared). */
  overwrite?: boolean;
  /** The run's resolved config, saved with every checkpoint. */
  config: unknown;
  /** Config component name (e.g. "demo"), recorded in state.json. */
  component?: string;
  /** Progress output (default stderr); false for none. */
  progress?: ProgressStream | false;
  clock?: Clock;
  /** Messages (checkpoint saved, resumed from...); default: through the progress stream. */
  log?: (message: string) => void;
  /** Called after every step, after any checkpoint of that step was saved. */
  onStep?: (step: number, r: MetricsRecord) => void | Promise<void>;
}

export interface TrainResult {
  /** The step this session started from (0 for a fresh run). */
  startStep: number;
  /** Steps completed in total. */
  step: number;
  /** Loss of each step taken in this session. */
  history: MetricsRecord[];
  /** Checkpoint resumed from, if any. */
  resumedFrom?: string;
  /** The last checkpoint written. */
  checkpoint?: string;
  seconds: number;
}

export const checkpointRoot = (runDir: string): string => join(runDir, 'ckpt');
export const metricsFile = (runDir: string): string => join(runDir, 'metrics.jsonl');

/** Field paths where two configs differ (for the resume warning). */
export function configDiff(a: unknown, b: unknown, prefix = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => configDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(root)'];
}

export async function train<B>(o: TrainOptions<B>): Promise<TrainResult> {
  const clock = o.clock ?? systemClock;
  const t0 = clock.now();
  const { steps, seed, checkpointEvery, keep } = o.train;
  const root = checkpointRoot(o.runDir);
  const mfile = metricsFile(o.runDir);
  const progressOut = o.progress === false ? undefined : (o.progress ?? process.stderr);
  let progress: Progress | undefined;
  const sink = o.log ?? ((m: string) => void progressOut?.write(m + '\n'));
  // On a terminal the progress line is cleared around each message and redrawn after it.
  const log = (m: string): void => (progress ? progress.interrupt(() => sink(m)) : sink(m));

  if (!o.resume && (listCheckpoints(root).length > 0 || existsSync(mfile))) {
    if (!o.overwrite) {
      throw new LaraError('run directory already holds a training run', { file: o.runDir, expected: '--resume to continue it, --overwrite to start over, or another --out' });
    }
    rmSync(root, { recursive: true, force: true });
    rmSync(mfile, { force: true });
  }
  mkdirSync(o.runDir, { recursive: true });

  // The init stream and the loop stream are forks of the seed, so init is the same on resume.
  const base = Rng.seeded(seed);
  const initRng = base.fork();
  let rng = base.fork();
  await o.task.init(initRng);

  let start = 0;
  let resumedFrom: string | undefined;
  if (o.resume) {
    const ck = loadLatestCheckpoint(root, (m) => log(`warning: ${m}`));
    if (ck) {
      try {
        o.task.loadWeights(ck.weights);
        o.task.loadOptimizerState(ck.optimizer);
      } catch (e) {
        if (e instanceof LaraError) throw new LaraError(`cannot resume from ${ck.dir}: ${e.message}`);
        throw e;
      } finally {
        tf.dispose(ck.weights);
        tf.dispose(ck.optimizer.tensors);
      }
      const diff = configDiff(ck.config, o.config);
      if (diff.length) log(`warning: config differs from the checkpoint's in ${diff.join(', ')}; using the new values`);
      rng = Rng.fromState(ck.state.rng);
      start = ck.state.step;
      resumedFrom = ck.dir;
      truncateMetrics(mfile, start);
      log(`resumed from ${ck.dir} at step ${start}`);
    } else {
      truncateMetrics(mfile, 0);
      log(`no checkpoint in ${root}; starting from step 0`);
    }
  }

  if (progressOut) progress = new Progress({ total: steps, start, out: progressOut, clock, label: 'train', unit: 'step' });
  const history: MetricsRecord[] = [];
  let checkpoint: string | undefined;
  const save = async (step: number, last: MetricsRecord | undefined): Promise<void> => {
    const weights = o.task.weights();
    const optimizer = o.task.optimizerState();
    try {
      checkpoint = await saveCheckpoint(
        root,
        {
          step,
          weights,
          optimizer,
          rng: rng.state(),
          data: { position: step },
          metrics: last ? { loss: last.loss } : {},
          config: o.config,
          ...(o.component !== undefined ? { component: o.component } : {}),
        },
        { keep },
      );
    } finally {
      tf.dispose(weights);
      tf.dispose(optimizer.tensors);
    }
  };

  for (let s = start; s < steps; s++) {
    const batch = o.data.batch(s);
    let r;
    try {
      r = await o.task.step(batch, { step: s, rng });
    } finally {
      o.data.dispose?.(batch);
    }
    if (!Number.isFinite(r.loss)) {
      throw new LaraError(`training diverged: loss is ${r.loss} at step ${s + 1}`, { expected: 'a finite loss (try a lower learning rate)' });
    }
    const rec: MetricsRecord = { step: s + 1, loss: r.loss, ...(r.metrics ?? {}) };
    appendMetrics(mfile, rec);
    history.push(rec);
    progress?.update(s + 1, { loss: r.loss });
    if ((s + 1) % checkpointEvery === 0 || s + 1 === steps) {
      await save(s + 1, rec);
      log(`checkpoint step ${s + 1} -> ${checkpoint}`);
    }
    await o.onStep?.(s + 1, rec);
  }
  if (start >= steps && !checkpoint) log(`nothing to do: the run already has ${start} of ${steps} steps`);
  progress?.done();
  return {
    startStep: start,
    step: Math.max(start, steps),
    history,
    ...(resumedFrom ? { resumedFrom } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    seconds: (clock.now() - t0) / 1000,
  };
}
