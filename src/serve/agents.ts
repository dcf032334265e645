/**
 * Agents `lara serve --agent` accepts (the same names as `lara drive`):
 *   random              uniform actions within the robot's limits (src/agent/random.ts)
 *   expert | scripted   the tabletop simulator's scripted expert (src/agent/scripted.ts), fed the
 *                       privileged state each `act` request carries in its `expert_state` field
 *   PATH                a learned agent folder (agents/<name>), loaded like `lara drive` does
 * Each connected client gets its own agent instance (agents keep per-episode state).
 */
import { RandomAgent } from '../agent/random.ts';
import { ScriptedAgent } from '../agent/scripted.ts';
import type { RobotDescription } from '../robot/description.ts';
import { loadLearnedAgent } from '../ros/agent.ts';
import type { DriveAgent } from '../ros/controller.ts';
import { tabletopConfig, type TabletopConfig } from '../sim/config.ts';
import type { ExpertView } from '../sim/expert.ts';
import type { Scene } from '../sim/scene.ts';
import { TASK_KINDS, type Task } from '../sim/tasks.ts';
import { LaraError, describe } from '../util/errors.ts';
import { RequestError, type ActRequest } from './protocol.ts';

/** An agent as the server drives it. */
export interface ServeAgent extends DriveAgent {
  /** Read request fields the agent needs beyond image and state; throw RequestError when absent or bad. */
  prepare?(req: ActRequest): void;
  /** Fewest state values the agent reads (a learned mapping's stateDim); shorter state frames are refused. */
  minState?: number;
}

/** Builds one agent per client session. */
export type AgentFactory = () => ServeAgent | Promise<ServeAgent>;

export const SERVE_AGENTS = ['random', 'expert', 'scripted'] as const;

/** The factory for `--agent spec` (a learned agent is loaded once here to fail early, then per client). */
export async function serveAgentFactory(spec: string, robot: RobotDescription): Promise<AgentFactory> {
  if (spec === 'random') return () => new RandomAgent(robot);
  if (spec === 'expert' || spec === 'scripted') {
    if (robot.simulator !== 'tabletop') {
      throw new LaraError('the expert agent only drives the tabletop simulator', { where: `--agent ${spec}`, expected: 'a simulated robot (tabletop-sim) whose client sends expert_state', got: robot.name });
    }
    return () => new ServeExpertAgent();
  }
  const load = async (): Promise<ServeAgent> => withStateNeed(await loadLearnedAgent(spec, robot));
  const first = await load();
  let handed = false;
  return async () => {
    if (!handed) {
      handed = true;
      return first;
    }
    return load();
  };
}

/** Record how many state values a learned agent's mapping reads (0 when it reads none). */
function withStateNeed(agent: DriveAgent): ServeAgent {
  const m = (agent as { mapping?: { header?: { stateDim?: unknown } } }).mapping;
  const dim = m?.header?.stateDim;
  return Object.assign(agent, { minState: typeof dim === 'number' && dim > 0 ? dim : 0 });
}

/** The privileged state a tabletop client sends for the expert (see expertStateOf). */
export interface ExpertState {
  scene: Scene;
  task: Task;
  config: TabletopConfig;
  success: boolean;
}

/** The `expert_state` field for a tabletop env (TabletopEnv provides scene, task, config, success). */
export function expertStateOf(env: ExpertView): ExpertState {
  return { scene: env.scene, task: env.task, config: env.config, success: env.success };
}

/** The tabletop scripted expert, reading `expert_state` from each act request. */
export class ServeExpertAgent implements ServeAgent {
  readonly name = 'scripted-expert';
  #view: ExpertView | undefined;
  readonly #inner = new ScriptedAgent(() => this.#view!);

  reset(instruction: string, seed: number): void {
    this.#inner.reset(instruction, seed);
  }

  prepare(req: ActRequest): void {
    this.#view = parseExpertState(req.expert_state);
  }

  act(obs: Parameters<ScriptedAgent['act']>[0]): Float32Array {
    if (!this.#view) throw new LaraError('no expert_state for this request');
    const a = this.#inner.act(obs);
    this.#view = undefined; // never reuse a stale scene
    return a;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Check the expert_state field's shape (enough for the expert to read it safely). */
export function parseExpertState(s: Record<string, unknown> | undefined): ExpertView {
  if (!s) throw new RequestError('expert_state', 'an object {scene, task, config, success} (the expert agent reads privileged sim state)', 'nothing');
  const scene = s.scene;
  if (!isObj(scene) || !isObj(scene.gripper) || !Array.isArray(scene.blocks) || !Array.isArray(scene.zones) || !Array.isArray(scene.lifted)) {
    throw new RequestError('expert_state.scene', 'a tabletop Scene {gripper, blocks[], zones[], lifted[], ...}', describe(scene));
  }
  const g = scene.gripper;
  for (const k of ['x', 'y', 'z', 'yaw', 'closedness', 'held']) {
    if (typeof g[k] !== 'number' || !Number.isFinite(g[k])) throw new RequestError(`expert_state.scene.gripper.${k}`, 'a finite number', describe(g[k]));
  }
  const task = s.task;
  if (!isObj(task) || !(TASK_KINDS as readonly unknown[]).includes(task.kind) || typeof task.block !== 'string') {
    throw new RequestError('expert_state.task', `a Task {kind: ${TASK_KINDS.join('|')}, block, zone?}`, describe(task));
  }
  if (!isObj(s.config)) throw new RequestError('expert_state.config', 'the tabletop config object', describe(s.config));
  let config: TabletopConfig;
  try {
    config = tabletopConfig(s.config as Partial<TabletopConfig>);
  } catch (e) {
    throw new RequestError('expert_state.config', 'a valid tabletop config', (e as Error).message);
  }
  if (typeof s.success !== 'boolean') throw new RequestError('expert_state.success', 'a boolean', describe(s.success));
  return { scene: scene as unknown as Scene, task: task as unknown as Task, config, success: s.success };
}
