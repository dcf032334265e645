/** Behaviour-cloning agent: a policy with a regression head on native actions (the BC baselines). */
import type { Policy } from '../policy/policy.ts';
import { clampAction } from '../robot/limits.ts';
import type { RobotDescription } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';
import type { Agent, Observation } from './types.ts';

export class BcAgent implements Agent {
  constructor(
    readonly policy: Policy,
    readonly robot: RobotDescription,
    readonly name = 'bc',
  ) {
    if (policy.meta.head !== 'regress') throw new LaraError('a BC agent needs a policy with a regression head', { got: `head "${policy.meta.head}"` });
    if (policy.meta.robot !== robot.name) throw new LaraError(`BC policy was trained on robot '${policy.meta.robot}' actions and cannot drive robot '${robot.name}'`);
  }

  reset(instruction: string): void {
    this.policy.reset(instruction);
  }

  act(obs: Observation): Float32Array {
    return clampAction(this.robot, this.policy.toAction(this.policy.observe(obs))).action;
  }
}
