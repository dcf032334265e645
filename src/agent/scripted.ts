/**
 * Baseline: the simulator's scripted expert (reads the privileged scene, not the image). It is
 * the ceiling the learned agents are measured against.
 */
import { ScriptedExpert, type ExpertOptions, type ExpertView } from '../sim/expert.ts';
import { Rng } from '../util/rng.ts';
import type { Agent, Observation } from './types.ts';

export class ScriptedAgent implements Agent {
  readonly name: string;
  #expert: ScriptedExpert;

  constructor(
    /** The env the agent acts in (the expert reads its privileged scene). */
    readonly view: () => ExpertView,
    readonly opts: ExpertOptions = {},
    name = 'scripted-expert',
  ) {
    this.name = name;
    this.#expert = new ScriptedExpert(Rng.seeded(0), opts);
  }

  reset(_instruction: string, seed: number): void {
    this.#expert = new ScriptedExpert(Rng.seeded(seed ^ 0x5bd1e995), this.opts);
  }

  act(_obs: Observation): Float32Array {
    return this.#expert.act(this.view());
  }
}
