/**
 * The entry `lara drive --agent agents/<name>` and `lara eval agent` use: load a bundle's agent
 * (latent or BC) for a robot, reporting the policy's input size so drivers resize camera frames
 * to it.
 */
import type { RobotDescription } from '../robot/description.ts';
import type { BcAgent } from './bc.ts';
import { loadAgent as loadBundle } from './bundle.ts';
import type { LatentAgent } from './latent.ts';

export type LoadedAgent = (LatentAgent | BcAgent) & { inputSize: { width: number; height: number } };

export function loadAgent(dir: string, robot: RobotDescription): LoadedAgent {
  const { agent } = loadBundle(dir, robot);
  const { width, height } = agent.policy.meta.input;
  return Object.assign(agent, { inputSize: { width, height } });
}
