/**
 * The tabletop simulator as a ROS robot (`lara sim --ros`).
 *
 * Per step it publishes, in this order: the privileged state for the scripted expert
 * (/tabletop/expert_state, JSON, debug only), sensor_msgs/JointState on robot.stateTopic and the
 * camera as sensor_msgs/Image rgb8 (header.seq = frame number). It then waits for the next
 * command on robot.command.topic and steps with it. The world advances only on commands
 * (lockstep): if none arrives within `commandTimeoutMs` the same observation is published again
 * under a new frame number. Steps are paced to at most rateHz. Episode boundaries go out on
 * /tabletop/episode (latched JSON EpisodeEvent, with success at the end).
 */
import type { RobotDescription } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';
import { TabletopEnv, type TabletopOptions } from '../sim/tabletop.ts';
import { TASK_KINDS, type TaskKind } from '../sim/tasks.ts';
import { wilson } from '../eval/intervals.ts';
import { decodeCommand } from './commands.ts';
import { encodeImage } from './image.ts';
import { RosNodeConnection } from './node.ts';
import { SIM_TOPICS, type EpisodeEvent } from './topics.ts';
import type { ExpertStateMsg } from './expertAgent.ts';

export interface SimNodeOptions {
  robot: RobotDescription;
  masterUri: string;
  /** An instruction, or a task kind (reach, push, pick-place) sampled per seed. */
  task?: string;
  episodes: number;
  seed: number;
  /** Override of the control rate (steps per second). */
  rateHz?: number;
  /** Re-publish the observation when no command arrives for this long (default 1000 ms). */
  commandTimeoutMs?: number;
  /** Give up when no command arrives at all for this long (default 60000 ms). */
  idleTimeoutMs?: number;
  /** Wait for this many camera subscribers before the first episode (default 1, at most 60 s). */
  minSubscribers?: number;
  /** Extra simulator options (image size, step limit, ...). */
  env?: TabletopOptions;
  log?: (line: string) => void;
}

export interface SimEpisodeResult {
  episode: number;
  seed: number;
  instruction: string;
  success: boolean;
  steps: number;
  /** Observations published again because no command came within commandTimeoutMs. */
  republished: number;
}

export interface SimRunResult {
  episodes: SimEpisodeResult[];
  successes: number;
  rate: number;
  wilson: { lo: number; hi: number };
  seconds: number;
}

/** The reset arguments for episode i: what `lara sim --ros` and the in-process reference share. */
export function episodeReset(task: string | undefined, seed: number, i: number): { seed: number; instruction?: string; kinds?: TaskKind[] } {
  const s = seed + i;
  if (task === undefined || task === '') return { seed: s };
  if ((TASK_KINDS as readonly string[]).includes(task)) return { seed: s, kinds: [task as TaskKind] };
  return { seed: s, instruction: task };
}

export async function runSimNode(o: SimNodeOptions, signal?: AbortSignal): Promise<SimRunResult> {
  const log = o.log ?? (() => {});
  const robot = o.robot;
  const cam = robot.cameras[0];
  if (!cam) throw new LaraError(`robot '${robot.name}' has no camera`, { where: 'cameras' });
  if (robot.simulator !== 'tabletop') throw new LaraError(`robot '${robot.name}' is not a simulated robot`, { where: '--robot', expected: 'a robot with "simulator": "tabletop" (tabletop-sim)', got: robot.name });
  const kinds = episodeReset(o.task, o.seed, 0).kinds;
  const env = new TabletopEnv({ width: cam.width, height: cam.height, ...(o.env ?? {}), robot, ...(kinds ? { tasks: kinds } : {}) });
  const rateHz = o.rateHz ?? robot.rateHz;
  const periodMs = 1000 / rateHz;
  const node = await RosNodeConnection.create({ name: 'lara_sim', masterUri: o.masterUri, anonymous: true });
  const imgPub = node.advertise(cam.topic, 'sensor_msgs/Image');
  const statePub = robot.stateTopic ? node.advertise(robot.stateTopic, 'sensor_msgs/JointState') : undefined;
  const expertPub = node.advertise<{ data: string }>(SIM_TOPICS.expertState, 'std_msgs/String');
  const episodePub = node.advertise<{ data: string }>(SIM_TOPICS.episode, 'std_msgs/String', { latching: true });

  let lastAction: Float32Array = Float32Array.from(robot.dof, (d) => d.stop ?? 0);
  let waiter: ((a: Float32Array) => void) | undefined;
  const deliver = (a: Float32Array) => {
    lastAction = a;
    const w = waiter;
    waiter = undefined;
    w?.(a);
  };
  const cmdSub = node.subscribe(robot.command.topic, robot.command.messageType, (msg: unknown) => {
    try {
      deliver(decodeCommand(robot, msg, lastAction));
    } catch (e) {
      log(`command ignored: ${(e as Error).message}`);
    }
  });
  if (robot.command.gripperTopic) {
    const g = robot.dof.findIndex((d) => d.name.startsWith('gripper'));
    node.subscribe(robot.command.gripperTopic, 'std_msgs/Float64', (msg: { data: number }) => {
      lastAction = Float32Array.from(lastAction);
      if (g >= 0) lastAction[g] = msg.data;
    });
  }

  const stateNames = robot.stateNames ?? [];
  let frame = 0;
  let episodeSeed = 0;
  const publishObs = (img: Uint8Array, state: Float32Array, episode: number, step: number) => {
    frame++;
    const now = Date.now();
    const priv: ExpertStateMsg = { seq: frame, episode, seed: episodeSeed, step, instruction: env.instruction, task: env.task, scene: env.scene, config: env.config, success: env.success };
    expertPub.publish({ data: JSON.stringify(priv) });
    statePub?.publish({
      header: { seq: frame, stamp: { secs: Math.floor(now / 1000), nsecs: (now % 1000) * 1e6 }, frame_id: '' },
      name: stateNames,
      position: Array.from(state.subarray(0, stateNames.length)),
      velocity: [],
      effort: [],
    });
    imgPub.publish(encodeImage({ width: env.spec.width, height: env.spec.height, data: img }, cam.name, frame, now));
  };
  const nextCommand = (timeoutMs: number) =>
    new Promise<Float32Array | undefined>((resolve) => {
      const t = setTimeout(() => {
        waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      waiter = (a) => {
        clearTimeout(t);
        resolve(a);
      };
    });

  const want = o.minSubscribers ?? 1;
  if (want > 0) {
    if (!(await node.waitForSubscribers(imgPub, want, 60000))) log(`only ${imgPub.getNumSubscribers()} of ${want} camera subscribers after 60 s; starting anyway`);
    const t = Date.now();
    while (cmdSub.getNumPublishers() < 1 && Date.now() - t < 10000) await new Promise((r) => setTimeout(r, 20));
  }
  const t0 = performance.now();
  let lastPub = -Infinity; // pacing continues across episodes
  const results: SimEpisodeResult[] = [];
  try {
    for (let i = 0; i < o.episodes && !signal?.aborted; i++) {
      const r = episodeReset(o.task, o.seed, i);
      let obs = env.reset(r.seed, r.instruction);
      episodeSeed = r.seed;
      const start: EpisodeEvent = { event: 'start', episode: i, seed: r.seed, instruction: env.instruction, first_seq: frame + 1 };
      episodePub.publish({ data: JSON.stringify(start) });
      let steps = 0;
      let republished = 0;
      let success = env.success;
      let done = false;
      let idleSince = performance.now();
      while (!done && !signal?.aborted) {
        const wait = lastPub + periodMs - performance.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        lastPub = performance.now();
        waiter = undefined;
        publishObs(obs.image, obs.state, i, steps);
        const a = await nextCommand(o.commandTimeoutMs ?? 1000);
        if (!a) {
          if (performance.now() - idleSince > (o.idleTimeoutMs ?? 60000)) throw new LaraError('no commands received', { where: robot.command.topic, expected: `a command within ${o.idleTimeoutMs ?? 60000} ms (is lara drive running?)`, got: 'silence' });
          republished++;
          continue;
        }
        idleSince = performance.now();
        const s = env.step(a);
        steps++;
        obs = s.obs;
        success = s.success;
        done = s.done;
      }
      const res: SimEpisodeResult = { episode: i, seed: r.seed, instruction: start.instruction, success, steps, republished };
      results.push(res);
      const end: EpisodeEvent = { event: 'end', episode: i, seed: r.seed, instruction: start.instruction, success, steps, last_seq: frame };
      episodePub.publish({ data: JSON.stringify(end) });
      log(`episode ${i} seed ${r.seed} "${res.instruction}": ${success ? 'success' : 'failure'} after ${steps} steps`);
    }
  } finally {
    await new Promise((res) => setTimeout(res, 100));
    await node.shutdown();
  }
  const k = results.filter((r) => r.success).length;
  const n = results.length;
  const w = wilson(k, n);
  return { episodes: results, successes: k, rate: n ? k / n : 0, wilson: { lo: w.lo, hi: w.hi }, seconds: (performance.now() - t0) / 1000 };
}
