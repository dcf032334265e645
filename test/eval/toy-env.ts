import type { Observation } from '../../src/agent/types.ts';
import type { EvalEnv, EvalStep } from '../../src/eval/env.ts';
import { Rng } from '../../src/util/rng.ts';

/** A 1-D corridor: the state is the position; success when it reaches +goal within the env's limit. */
export class CorridorEnv implements EvalEnv {
  pos = 0;
  goal = 3;
  t = 0;
  limit = 10;
  obs(): Observation {
    return { image: new Uint8Array(3), state: Float32Array.of(this.pos) };
  }
  instruction = '';
  constructor(readonly task = 'near') {}
  reset(seed: number): Observation {
    this.pos = 0;
    this.t = 0;
    this.instruction = `walk ${this.task}`;
    this.goal = this.task === 'far' ? 6 : 2 + Rng.seeded(seed).int(3); // 2..4
    return this.obs();
  }
  step(a: Float32Array): EvalStep {
    this.pos += Math.sign(a[0]!);
    this.t++;
    return { obs: this.obs(), success: this.pos >= this.goal, done: this.t >= this.limit };
  }
}
