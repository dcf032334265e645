/**
 * One expert episode in the tabletop simulator, recorded as a lara Episode: T frames and states,
 * and T actions where action t is the one taken after observing frame t (the last one is the
 * expert's terminate action after success, or what it would do next after a time-out).
 */
import type { Episode } from '../data/episode.ts';
import { Rng } from '../util/rng.ts';
import { clampAction } from '../robot/limits.ts';
import { ScriptedExpert, type ExpertOptions } from './expert.ts';
import { TabletopEnv } from './tabletop.ts';

/** Seed of episode `index` of a dataset generated with `baseSeed` (independent of workers). */
export function episodeSeed(baseSeed: number, index: number): number {
  let x = (Math.imul(baseSeed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
  return (x ^ (x >>> 12)) >>> 0;
}

export interface RolloutResult {
  episode: Episode;
  success: boolean;
  steps: number;
}

/** Run the scripted expert for one episode from `seed` (instruction sampled by the env when absent). */
export function rolloutExpert(env: TabletopEnv, seed: number, expertOpts: ExpertOptions = {}, instruction?: string): RolloutResult {
  const expert = new ScriptedExpert(Rng.seeded(seed ^ 0x5bd1e995), expertOpts);
  let obs = env.reset(seed, instruction);
  const frames: Uint8Array[] = [obs.image];
  const states: Float32Array[] = [obs.state];
  const actions: Float32Array[] = [];
  let done = false;
  let success = env.success;
  while (!done) {
    // record the action actually applied (after the robot's safety clamp)
    const a = clampAction(env.robot, expert.act(env)).action;
    actions.push(a);
    const r = env.step(a);
    obs = r.obs;
    frames.push(obs.image);
    states.push(obs.state);
    done = r.done;
    success = r.success;
  }
  actions.push(clampAction(env.robot, expert.act(env)).action);
  const T = frames.length;
  const s = env.scene;
  const episode: Episode = {
    instruction: env.instruction,
    cameras: { image: { width: env.spec.width, height: env.spec.height, frames } },
    timestamps: Array.from({ length: T }, (_, t) => t / env.spec.rateHz),
    actions,
    states,
    metadata: {
      robot: env.spec.robot,
      simulator: 'tabletop',
      task: env.task.kind,
      seed,
      success,
      steps: T - 1,
      blocks: s.blocks.map((b) => b.color),
      zones: s.zones.map((z) => z.color),
      expert: { noise: expertOpts.noise ?? 0, randomProb: expertOpts.randomProb ?? 0 },
    },
  };
  return { episode, success, steps: T - 1 };
}
