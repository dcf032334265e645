/**
 * Generate expert episodes in the tabletop simulator: episode i of a run is fully determined by
 * (seed, i, options), so results are identical for any number of worker threads; episodes are
 * yielded in index order.
 */
import { Worker } from 'node:worker_threads';
import type { Episode } from '../data/episode.ts';
import { LaraError } from '../util/errors.ts';
import type { TabletopConfig } from './config.ts';
import { episodeSeed, rolloutExpert } from './rollout.ts';
import { TabletopEnv } from './tabletop.ts';
import { TASK_KINDS, type TaskKind } from './tasks.ts';

export interface GenerateOptions {
  /** Task kind, or 'all' to cycle reach, push, pick-place by episode index. */
  task: TaskKind | 'all';
  episodes: number;
  seed: number;
  /** Expert action noise (std, action units). */
  noise: number;
  /** Probability of a random motion per step. */
  randomProb?: number;
  /** Simulator overrides (size, blocks, distractors, ...). */
  sim?: Partial<TabletopConfig>;
  /** Worker threads (1 = in this thread). */
  workers?: number;
  /** Keep only successful episodes? (then `episodes` counts attempts). */
  onlySuccess?: boolean;
}

/** The task kind of episode i. */
export function taskOf(opts: Pick<GenerateOptions, 'task'>, i: number): TaskKind {
  return opts.task === 'all' ? TASK_KINDS[i % TASK_KINDS.length]! : opts.task;
}

export interface GeneratedEpisode {
  index: number;
  episode: Episode;
  success: boolean;
  task: TaskKind;
}

/** Generate episode `index` (what every worker runs). */
export function generateOne(opts: GenerateOptions, index: number, envs: Map<TaskKind, TabletopEnv> = new Map()): GeneratedEpisode {
  const task = taskOf(opts, index);
  let env = envs.get(task);
  if (!env) {
    env = new TabletopEnv({ ...opts.sim, tasks: [task] });
    envs.set(task, env);
  }
  const r = rolloutExpert(env, episodeSeed(opts.seed, index), { noise: opts.noise, randomProb: opts.randomProb ?? 0 });
  r.episode.metadata.index = index;
  return { index, episode: r.episode, success: r.success, task };
}

function validate(opts: GenerateOptions): void {
  if (!Number.isInteger(opts.episodes) || opts.episodes < 1) throw new LaraError('episodes must be a positive integer', { where: '--episodes', got: String(opts.episodes) });
  if (!Number.isInteger(opts.seed)) throw new LaraError('seed must be an integer', { where: '--seed', got: String(opts.seed) });
  if (!(opts.noise >= 0)) throw new LaraError('noise must be >= 0', { where: '--noise', got: String(opts.noise) });
  if (opts.task !== 'all' && !TASK_KINDS.includes(opts.task)) throw new LaraError(`unknown task '${opts.task}'`, { where: '--task', expected: `one of ${TASK_KINDS.join(', ')}, all` });
  // fail early on bad simulator options, before starting workers
  new TabletopEnv({ ...opts.sim, tasks: [taskOf(opts, 0)] });
}

/** Episodes in index order (with their success flags). */
export async function* generateEpisodesWithInfo(opts: GenerateOptions): AsyncGenerator<GeneratedEpisode> {
  validate(opts);
  const workers = Math.max(1, Math.min(opts.workers ?? 1, opts.episodes));
  if (workers === 1) {
    const envs = new Map<TaskKind, TabletopEnv>();
    for (let i = 0; i < opts.episodes; i++) {
      const g = generateOne(opts, i, envs);
      if (!opts.onlySuccess || g.success) yield g;
    }
    return;
  }
  yield* generateInWorkers(opts, workers);
}

/** Episodes in index order. */
export async function* generateEpisodes(opts: GenerateOptions): AsyncGenerator<Episode> {
  for await (const g of generateEpisodesWithInfo(opts)) yield g.episode;
}

interface WorkerReply {
  index: number;
  result?: GeneratedEpisode;
  error?: string;
}

async function* generateInWorkers(opts: GenerateOptions, n: number): AsyncGenerator<GeneratedEpisode> {
  const url = new URL('./generate-worker.mjs', import.meta.url);
  const pool = Array.from({ length: n }, () => new Worker(url, { workerData: opts }));
  const done = new Map<number, GeneratedEpisode>();
  let next = 0; // next index to hand out
  let emit = 0; // next index to yield
  const lookahead = 4 * n; // bound memory: never run far ahead of the consumer
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const idle: Worker[] = [];
  const dispatch = () => {
    while (idle.length && next < opts.episodes && next < emit + lookahead) {
      idle.pop()!.postMessage(next++);
    }
  };
  for (const w of pool) {
    w.on('message', (m: WorkerReply) => {
      if (m.error) failure ??= new Error(`tabletop worker, episode ${m.index}: ${m.error}`);
      else done.set(m.index, m.result!);
      idle.push(w);
      dispatch();
      wake?.();
    });
    w.on('error', (e) => {
      failure ??= e;
      wake?.();
    });
    idle.push(w);
  }
  try {
    dispatch();
    while (emit < opts.episodes) {
      if (failure) throw failure;
      const g = done.get(emit);
      if (!g) {
        await new Promise<void>((r) => (wake = r));
        wake = null;
        continue;
      }
      done.delete(emit++);
      dispatch();
      if (!opts.onlySuccess || g.success) yield g;
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
