/**
 * TabletopEnv: lara's embedded simulator behind the RobotEnv interface. Actions are the
 * tabletop-sim robot's native RT-1 arm subset (see robots/tabletop-sim), clamped to its limits.
 * Everything random comes from the reset seed, so a seed and an action sequence replay exactly.
 */
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import type { RobotDescription } from '../robot/description.ts';
import { clampAction } from '../robot/limits.ts';
import { loadRobot } from '../robot/load.ts';
import { Camera } from './camera.ts';
import { tabletopConfig, type TabletopConfig } from './config.ts';
import type { EnvSpec, Observation, RobotEnv, StepResult } from './env.ts';
import { stepPhysics } from './physics.ts';
import { Raster } from './raster.ts';
import { BackgroundCache, renderScene } from './render.ts';
import { sampleScene, type Scene } from './scene.ts';
import { TASK_KINDS, formatInstruction, parseInstruction, sampleTask, taskSuccess, type Task, type TaskKind } from './tasks.ts';

export interface TabletopOptions extends Partial<TabletopConfig> {
  /** Task kinds sampled when reset() gets no instruction (default: all). */
  tasks?: TaskKind[];
  /** Robot description to clamp actions with (default robots/tabletop-sim). */
  robot?: RobotDescription;
}

/** Names of the state vector for a config. */
export function tabletopStateNames(cfg: Pick<TabletopConfig, 'blocks' | 'zones'>): string[] {
  const names = ['gripper.x', 'gripper.y', 'gripper.z', 'gripper.yaw', 'gripper.closedness', 'gripper.holding'];
  for (let i = 0; i < cfg.blocks; i++) names.push(`block${i}.x`, `block${i}.y`, `block${i}.z`, `block${i}.yaw`);
  for (let i = 0; i < cfg.zones; i++) names.push(`zone${i}.x`, `zone${i}.y`);
  return names;
}

export class TabletopEnv implements RobotEnv {
  readonly spec: EnvSpec;
  readonly config: TabletopConfig;
  readonly robot: RobotDescription;
  #tasks: TaskKind[];
  #scene: Scene | null = null;
  #task: Task | null = null;
  #camera: Camera;
  #raster: Raster;
  #background = new BackgroundCache();
  #shakeRng = Rng.seeded(0);
  #done = false;
  #success = false;

  constructor(opts: TabletopOptions = {}) {
    const { tasks, robot, ...cfg } = opts;
    this.config = tabletopConfig(cfg);
    this.robot = robot ?? loadRobot('tabletop-sim');
    if (this.robot.dof.length !== 8) {
      throw new LaraError(`robot '${this.robot.name}' cannot drive the tabletop simulator`, { expected: '8 DoF (world_vector[3], rotation_delta[3], gripper, terminate)', got: `${this.robot.dof.length}` });
    }
    this.#tasks = tasks && tasks.length ? tasks : [...TASK_KINDS];
    this.spec = {
      robot: this.robot.name,
      width: this.config.width,
      height: this.config.height,
      actionNames: this.robot.dof.map((d) => d.name),
      stateNames: tabletopStateNames(this.config),
      rateHz: this.config.rateHz,
      maxSteps: this.config.maxSteps,
    };
    this.#camera = new Camera(this.config);
    this.#raster = new Raster(this.config.width, this.config.height, this.config.supersample);
  }

  get instruction(): string {
    return this.#task ? formatInstruction(this.#task) : '';
  }

  /** The current task (after reset). */
  get task(): Task {
    if (!this.#task) throw new LaraError('tabletop: call reset() before using the environment');
    return this.#task;
  }

  /** The live scene (privileged state, e.g. for the scripted expert). Do not mutate. */
  get scene(): Scene {
    if (!this.#scene) throw new LaraError('tabletop: call reset() before using the environment');
    return this.#scene;
  }

  get done(): boolean {
    return this.#done;
  }

  reset(seed: number, instruction?: string): Observation {
    const rng = Rng.seeded(seed);
    const taskRng = rng.fork();
    const task = instruction !== undefined ? parseInstruction(instruction) : sampleTask(this.#tasks[taskRng.int(this.#tasks.length)]!, taskRng);
    this.#scene = sampleScene(this.config, rng.fork(), task.zone ? { block: task.block, zone: task.zone } : { block: task.block });
    this.#task = task;
    this.#shakeRng = rng.fork();
    this.#background.invalidate();
    this.#done = false;
    this.#success = taskSuccess(this.#scene, task, this.config);
    return this.#observe();
  }

  step(action: Float32Array): StepResult {
    const s = this.scene;
    if (this.#done) throw new LaraError('tabletop: step() after the episode ended; call reset()');
    const { action: a, clamped } = clampAction(this.robot, action);
    const c = this.config;
    stepPhysics(s, c, [a[0]! * c.maxMove, a[1]! * c.maxMove, a[2]! * c.maxMove], a[5]! * c.yawScale, a[6]! * c.gripperRate);
    s.t++;
    const success = taskSuccess(s, this.task, c);
    const terminated = a[7]! > 0.5;
    const truncated = s.t >= c.maxSteps;
    this.#success = success;
    this.#done = (success && c.endOnSuccess) || terminated || truncated;
    return {
      obs: this.#observe(),
      reward: success ? 1 : 0,
      done: this.#done,
      success,
      info: { step: s.t, clamped, terminated, truncated: truncated && !success && !terminated, held: s.gripper.held },
    };
  }

  /** Whether the task is satisfied in the current state. */
  get success(): boolean {
    return this.#success;
  }

  render(): Uint8Array {
    const c = this.config;
    if (c.cameraShake > 0) this.#camera.setShake(this.#shakeRng.normal(0, c.cameraShake), this.#shakeRng.normal(0, c.cameraShake), c.width, c.height);
    return renderScene(this.scene, c, this.#camera, this.#raster, this.#background);
  }

  /** The state vector (see tabletopStateNames). */
  state(): Float32Array {
    const s = this.scene;
    const g = s.gripper;
    const out = [g.x, g.y, g.z, g.yaw, g.closedness, g.held >= 0 ? 1 : 0];
    for (const b of s.blocks) out.push(b.x, b.y, b.z, b.yaw);
    for (const z of s.zones) out.push(z.x, z.y);
    return Float32Array.from(out);
  }

  #observe(): Observation {
    return { image: this.render(), state: this.state() };
  }
}
