/** Baseline: uniformly random native actions within the robot's limits. */
import type { RobotDescription } from '../robot/description.ts';
import { Rng } from '../util/rng.ts';
import type { Agent, Observation } from './types.ts';

export class RandomAgent implements Agent {
  readonly name: string;
  #robot: RobotDescription;
  #rng = Rng.seeded(0);

  constructor(robot: RobotDescription, name = 'random') {
    this.#robot = robot;
    this.name = name;
  }

  reset(_instruction: string, seed: number): void {
    this.#rng = Rng.seeded(seed ^ 0x5eed);
  }

  act(_obs: Observation): Float32Array {
    return Float32Array.from(this.#robot.dof, (d) => this.#rng.uniform(d.min, d.max));
  }
}
