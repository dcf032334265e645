/**
 * The environment interface evaluation needs; the tabletop simulator (src/sim) and the world
 * model satisfy it through small adapters.
 */
import type { Observation } from '../agent/types.ts';

export interface EvalStep {
  obs: Observation;
  /** The episode is over (success, failure or time limit inside the env). */
  done: boolean;
  /** The task is accomplished. */
  success: boolean;
}

export interface EvalEnv {
  /** The current episode's instruction (after reset). */
  readonly instruction: string;
  /** Start an episode; without an instruction the env samples one for its task from the seed. */
  reset(seed: number, instruction?: string): Observation | Promise<Observation>;
  step(action: Float32Array): EvalStep | Promise<EvalStep>;
}
