/**
 * What an agent is: something that, given an instruction and a stream of observations, emits
 * native actions for one robot. The latent agent, the baselines (random, scripted expert, BC)
 * and anything a user writes implement this one interface, so `lara eval agent` compares them.
 */

/** One observation: RGB image [H, W, 3] and state (the simulator's / robot env's Observation). */
import type { Observation } from '../sim/env.ts';
export type { Observation };

export interface Agent {
  /** Short name used in tables and plots (e.g. "latent", "bc-oracle"). */
  readonly name: string;
  /** Start an episode. `seed` makes any sampling the agent does reproducible. */
  reset(instruction: string, seed: number): void | Promise<void>;
  /** The native action for the current observation (already within the robot's limits). */
  act(obs: Observation): Float32Array | Promise<Float32Array>;
  /** The latent code chosen at the last act(), for agents that pick latent actions. */
  lastCode?(): number | undefined;
}
