/**
 * The environment interface shared by lara's simulator, learned world models and real robots
 * behind ROS: reset to an instruction, step with a native action, observe an RGB image and a
 * proprioceptive state. Methods may return promises (a world model runs tfjs); callers await.
 * Dimension legend: H x W image, C = 3 (RGB uint8, row-major HWC).
 */
export type Awaitable<T> = T | Promise<T>;

export interface Observation {
  /** [H, W, 3] RGB bytes. */
  image: Uint8Array;
  /** Proprioceptive / privileged state, spec.stateNames.length values. */
  state: Float32Array;
}

export interface StepInfo {
  /** Actions taken so far in this episode (after this step). */
  step: number;
  /** Per action dimension: whether safety clamping changed the requested value. */
  clamped?: boolean[];
  /** The episode ended because the action asked to terminate. */
  terminated?: boolean;
  /** The episode ended because it reached the step limit. */
  truncated?: boolean;
  [key: string]: unknown;
}

export interface StepResult {
  obs: Observation;
  reward: number;
  done: boolean;
  success: boolean;
  info: StepInfo;
}

export interface EnvSpec {
  /** Robot description name (robots/<name>). */
  robot: string;
  width: number;
  height: number;
  /** Names of the native action dimensions, in order. */
  actionNames: string[];
  /** Names of the state dimensions, in order. */
  stateNames: string[];
  /** Actions per second. */
  rateHz: number;
  /** Step limit per episode. */
  maxSteps: number;
}

export interface RobotEnv {
  readonly spec: EnvSpec;
  /** The current episode's instruction ('' when none). */
  readonly instruction: string;
  /** Start an episode, deterministic given the seed; a missing instruction is sampled. */
  reset(seed: number, instruction?: string): Awaitable<Observation>;
  /** Apply one native action (spec.actionNames.length values). */
  step(action: Float32Array): Awaitable<StepResult>;
  /** The current camera image, [H, W, 3]. */
  render(): Awaitable<Uint8Array>;
  /** Release resources (workers, sockets, tensors). */
  close?(): Awaitable<void>;
}
