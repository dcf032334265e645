/**
 * The latent-to-real agent (Genie §3.3): the latent policy picks a LAM code from the recent
 * frames and the instruction; the mapping turns the code (and proprioception) into a native
 * action for this robot, clamped to its limits.
 */
import type { LatentMapping } from '../mapping/types.ts';
import type { Policy } from '../policy/policy.ts';
import { clampAction } from '../robot/limits.ts';
import type { RobotDescription } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import type { Agent, Observation } from './types.ts';

export interface LatentAgentOptions {
  /** 0 = argmax code; > 0 samples the policy's softmax at this temperature. */
  temperature?: number;
  name?: string;
}

export class LatentAgent implements Agent {
  readonly name: string;
  readonly temperature: number;
  #rng = Rng.seeded(0);
  #last: number | undefined;

  constructor(
    readonly policy: Policy,
    readonly mapping: LatentMapping,
    readonly robot: RobotDescription,
    opts: LatentAgentOptions = {},
  ) {
    if (policy.meta.head !== 'latent') throw new LaraError('the latent agent needs a latent policy', { expected: 'a policy trained with head "latent"', got: `head "${policy.meta.head}"` });
    if (policy.meta.codes !== mapping.header.codes) {
      throw new LaraError('policy and mapping disagree on the number of latent codes', { expected: `${policy.meta.codes} (the policy's)`, got: `${mapping.header.codes} (the mapping's)` });
    }
    if (mapping.header.robot !== robot.name) throw new LaraError(`mapping was fitted for robot '${mapping.header.robot}' and cannot drive robot '${robot.name}'`);
    this.name = opts.name ?? 'latent';
    this.temperature = opts.temperature ?? 0;
  }

  reset(instruction: string, seed: number): void {
    this.policy.reset(instruction);
    this.#rng = Rng.seeded(seed ^ 0x1a7e47);
    this.#last = undefined;
  }

  act(obs: Observation): Float32Array {
    const logits = this.policy.observe(obs); // [K]
    const code = (this.#last = LatentAgentCode.pick(logits, this.temperature, this.#rng));
    const s = this.mapping.header.stateDim;
    const u = this.mapping.map(s > 0 ? { code, state: obs.state.subarray(0, s) } : { code }, this.#rng);
    return clampAction(this.robot, u).action;
  }

  lastCode(): number | undefined {
    return this.#last;
  }
}

/** Code choice from logits (argmax or tempered softmax sample). */
export const LatentAgentCode = {
  pick(logits: Float32Array, temperature: number, rng: Rng): number {
    if (temperature <= 0) return logits.reduce((best, v, i) => (v > logits[best]! ? i : best), 0);
    const m = Math.max(...logits);
    const p = Array.from(logits, (v) => Math.exp((v - m) / temperature));
    let u = rng.next() * p.reduce((a, b) => a + b, 0);
    for (let i = 0; i < p.length; i++) if ((u -= p[i]!) <= 0) return i;
    return p.length - 1;
  },
};
