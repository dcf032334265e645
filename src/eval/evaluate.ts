/**
 * Success-rate evaluation of any agent over N seeded episodes per task. Episode i of every task
 * uses seed `seed + i` for every agent, so agents are compared on the same initial scenes.
 */
import type { Agent } from '../agent/types.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { LaraError } from '../util/errors.ts';
import type { EvalEnv } from './env.ts';
import { clopperPearson, wilson, type Interval } from './intervals.ts';

export interface EvalOptions {
  /** Task names to evaluate (e.g. "push"); each gets `episodes` episodes in envFor(task). */
  tasks: string[];
  episodes: number;
  /** Seed of episode 0; episode i uses seed + i. */
  seed: number;
  /** Step limit per episode (the env may end earlier). */
  maxSteps: number;
  /** Called after each episode (progress). */
  onEpisode?: (e: EpisodeResult) => void;
  clock?: Clock;
}

export interface EpisodeResult {
  agent: string;
  task: string;
  seed: number;
  success: boolean;
  steps: number;
  /** Latent codes the agent chose, when it reports them. */
  codes?: number[];
}

export interface TaskResult {
  task: string;
  episodes: number;
  successes: number;
  /** Wilson 95% interval. */
  wilson: Interval;
  /** Clopper-Pearson 95% interval. */
  exact: Interval;
  meanSteps: number;
}

export interface AgentResult {
  agent: string;
  tasks: TaskResult[];
  /** Over all tasks. */
  overall: TaskResult;
  seconds: number;
  episodeResults: EpisodeResult[];
}

export function summarise(task: string, eps: readonly { success: boolean; steps: number }[]): TaskResult {
  const k = eps.filter((e) => e.success).length;
  const n = eps.length;
  return { task, episodes: n, successes: k, wilson: wilson(k, n), exact: clopperPearson(k, n), meanSteps: n ? eps.reduce((a, e) => a + e.steps, 0) / n : 0 };
}

/** Run one episode to success, done or maxSteps; the env picks the instruction from the seed. */
export async function runEpisode(env: EvalEnv, agent: Agent, task: string, seed: number, maxSteps: number): Promise<EpisodeResult> {
  let obs = await env.reset(seed);
  await agent.reset(env.instruction, seed);
  const codes: number[] = [];
  for (let t = 0; t < maxSteps; t++) {
    const action = await agent.act(obs);
    const c = agent.lastCode?.();
    if (c !== undefined) codes.push(c);
    const s = await env.step(action);
    obs = s.obs;
    if (s.success) return { agent: agent.name, task, seed, success: true, steps: t + 1, ...(codes.length ? { codes } : {}) };
    if (s.done) return { agent: agent.name, task, seed, success: false, steps: t + 1, ...(codes.length ? { codes } : {}) };
  }
  return { agent: agent.name, task, seed, success: false, steps: maxSteps, ...(codes.length ? { codes } : {}) };
}

/** The env that runs a task (e.g. a TabletopEnv sampling push instructions). */
export type EnvFor = (task: string) => EvalEnv;

export async function evaluateAgent(envFor: EnvFor, agent: Agent, o: EvalOptions): Promise<AgentResult> {
  if (o.tasks.length === 0) throw new LaraError('eval: no tasks', { expected: 'at least one instruction' });
  if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new LaraError('eval: bad episode count', { expected: 'a positive integer', got: String(o.episodes) });
  const clock = o.clock ?? systemClock;
  const t0 = clock.now();
  const all: EpisodeResult[] = [];
  const tasks: TaskResult[] = [];
  for (const task of o.tasks) {
    const eps: EpisodeResult[] = [];
    for (let i = 0; i < o.episodes; i++) {
      const r = await runEpisode(envFor(task), agent, task, o.seed + i, o.maxSteps);
      eps.push(r);
      o.onEpisode?.(r);
    }
    all.push(...eps);
    tasks.push(summarise(task, eps));
  }
  return { agent: agent.name, tasks, overall: summarise('all', all), seconds: (clock.now() - t0) / 1000, episodeResults: all };
}
