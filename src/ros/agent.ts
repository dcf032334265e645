/**
 * Agents `lara drive --agent` accepts:
 *   random            uniform actions within the robot's limits (src/agent/random.ts)
 *   expert            the tabletop simulator's scripted expert, fed the privileged state that
 *                     `lara sim --ros` publishes on /tabletop/expert_state (./expertAgent.ts)
 *   PATH              a learned agent folder (agents/<name>), loaded by src/agent/load.ts
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { RandomAgent } from '../agent/random.ts';
import type { RobotDescription } from '../robot/description.ts';
import type { ExpertOptions } from '../sim/expert.ts';
import { LaraError } from '../util/errors.ts';
import type { DriveAgent } from './controller.ts';
import type { RosNodeConnection } from './node.ts';

export const BUILTIN_AGENTS = ['random', 'expert'] as const;

/** Build the agent named by `spec` for `robot`; `node` lets ROS-fed agents subscribe. */
export async function makeDriveAgent(spec: string, robot: RobotDescription, node: RosNodeConnection, opts: { expert?: ExpertOptions } = {}): Promise<DriveAgent> {
  if (spec === 'random') return new RandomAgent(robot);
  if (spec === 'expert') {
    const { RosExpertAgent } = await import('./expertAgent.ts');
    return RosExpertAgent.create(robot, node, opts.expert ?? {});
  }
  return loadLearnedAgent(spec, robot);
}

/** Fail early (before any ROS work) on an agent spec that can name nothing. */
export function checkAgentSpec(spec: string): void {
  if ((BUILTIN_AGENTS as readonly string[]).includes(spec) || existsSync(spec)) return;
  throw new LaraError(`unknown agent '${spec}'`, { where: '--agent', expected: `${BUILTIN_AGENTS.join(', ')} or a path to an agent folder (agents/<name>)`, got: spec });
}

/** Load a learned agent folder through src/agent/load.ts (provided by the agent packaging work). */
export async function loadLearnedAgent(path: string, robot: RobotDescription): Promise<DriveAgent> {
  checkAgentSpec(path);
  const loader = resolve(import.meta.dirname, '../agent/load.ts');
  if (!existsSync(loader)) {
    throw new LaraError('learned agents not available yet', { where: '--agent', expected: 'src/agent/load.ts (loadAgent) in this build', got: path });
  }
  const mod = (await import(pathToFileURL(loader).href)) as { loadAgent?: (p: string, r: RobotDescription) => Promise<DriveAgent> | DriveAgent };
  if (typeof mod.loadAgent !== 'function') {
    throw new LaraError('learned agents not available yet', { where: '--agent', expected: 'src/agent/load.ts to export loadAgent(path, robot)', got: path });
  }
  return mod.loadAgent(path, robot);
}
