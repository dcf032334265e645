/**
 * Recording ROS topics into lara episodes: the robot's camera, its command topic(s) and its
 * joint state become steps of (frame, state, action), where the action of step t is the last
 * command received before frame t+1 (the command that answered frame t). Frames arriving sooner
 * than 1/fps after the previous recorded frame are skipped. Episodes are cut by a fixed duration
 * or by start/end signals on an episode topic (JSON EpisodeEvent on std_msgs/String, or
 * std_msgs/Bool true = start, false = end).
 */
import type { Episode } from '../data/episode.ts';
import type { RobotDescription } from '../robot/description.ts';
import { decodeCommand, gripperIndex } from './commands.ts';
import { decodeCameraMsg, resizeRgb, type RgbImage } from './image.ts';
import type { RosNodeConnection } from './node.ts';
import type { EpisodeEvent } from './topics.ts';

export interface RecorderOptions {
  robot: RobotDescription;
  /** Steps per second to keep (default robot.rateHz). */
  fps?: number;
  /** Episode signal topic; absent = episodes are cut by the caller (duration). */
  episodeTopic?: string;
  episodeMsg?: 'json' | 'bool';
  /** Called with each finished episode. */
  onEpisode: (e: Episode) => void | Promise<void>;
  now?: () => number;
}

interface Step {
  frame: Uint8Array;
  state: Float32Array;
  t: number;
}

export class EpisodeRecorder {
  readonly #o: RecorderOptions;
  readonly #now: () => number;
  readonly #minGapMs: number;
  #command: Float32Array;
  #state: Float32Array;
  #steps: Step[] = [];
  #actions: Float32Array[] = [];
  #recording = false;
  #startMs = 0;
  #lastFrameMs = -Infinity;
  #meta: Record<string, unknown> = {};
  #instruction = '';
  #pendingWrites: Promise<void> = Promise.resolve();
  readonly stats = { frames: 0, commands: 0, episodes: 0 };

  constructor(o: RecorderOptions) {
    this.#o = o;
    this.#now = o.now ?? (() => performance.now());
    this.#minGapMs = 1000 / (o.fps ?? o.robot.rateHz) - 1;
    this.#command = Float32Array.from(o.robot.dof, (d) => d.stop ?? 0);
    this.#state = new Float32Array(o.robot.stateNames?.length ?? 0);
  }

  get recording(): boolean {
    return this.#recording;
  }

  /** Subscribe to the robot's topics (and the episode topic) on `node`. */
  attach(node: RosNodeConnection): void {
    const { robot } = this.#o;
    const cam = robot.cameras[0]!;
    node.subscribe(cam.topic, cam.messageType, (m: unknown) => {
      const t = this.#now();
      void decodeCameraMsg(cam.messageType, m, cam.topic).then((img) => this.onFrame(resizeRgb(img, cam.width, cam.height), t), () => undefined);
    }, { queueSize: 10 });
    node.subscribe(robot.command.topic, robot.command.messageType, (m: unknown) => this.onCommand(decodeCommand(robot, m, this.#command)), { queueSize: 10 });
    if (robot.command.gripperTopic) {
      const g = gripperIndex(robot);
      node.subscribe(robot.command.gripperTopic, 'std_msgs/Float64', (m: { data: number }) => {
        const c = Float32Array.from(this.#command);
        c[g] = m.data;
        this.onCommand(c);
      });
    }
    if (robot.stateTopic) {
      node.subscribe(robot.stateTopic, 'sensor_msgs/JointState', (m: { position: number[] }) => {
        const n = this.#state.length;
        const p = Float32Array.from(m.position.slice(0, n));
        this.#state = p.length === n ? p : Float32Array.from({ length: n }, (_, i) => p[i] ?? 0);
      });
    }
    if (this.#o.episodeTopic) {
      if (this.#o.episodeMsg === 'bool') {
        node.subscribe(this.#o.episodeTopic, 'std_msgs/Bool', (m: { data: boolean }) => (m.data ? this.start() : void this.end()), { queueSize: 10 });
      } else {
        node.subscribe(this.#o.episodeTopic, 'std_msgs/String', (m: { data: string }) => {
          let ev: EpisodeEvent;
          try {
            ev = JSON.parse(m.data) as EpisodeEvent;
          } catch {
            return;
          }
          if (ev.event === 'start') this.start(ev.instruction, { seed: ev.seed, episode: ev.episode });
          else void this.end({ success: ev.success, steps: ev.steps });
        }, { queueSize: 10 });
      }
    }
  }

  /** Begin an episode (ends a running one first). */
  start(instruction = '', meta: Record<string, unknown> = {}): void {
    if (this.#recording) void this.end();
    this.#recording = true;
    this.#steps = [];
    this.#actions = [];
    this.#instruction = instruction;
    this.#meta = meta;
    this.#startMs = this.#now();
    this.#lastFrameMs = -Infinity;
  }

  onFrame(img: RgbImage, t = this.#now()): void {
    this.stats.frames++;
    if (!this.#recording || t - this.#lastFrameMs < this.#minGapMs) return;
    this.#lastFrameMs = t;
    if (this.#steps.length > this.#actions.length) this.#actions.push(Float32Array.from(this.#command));
    this.#steps.push({ frame: img.data, state: Float32Array.from(this.#state), t });
  }

  onCommand(c: Float32Array): void {
    this.stats.commands++;
    this.#command = c;
  }

  /** Finish the running episode (dropped when it has no frame). Resolves once handed over. */
  end(meta: Record<string, unknown> = {}): Promise<void> {
    if (!this.#recording) return this.#pendingWrites;
    this.#recording = false;
    const steps = this.#steps;
    if (steps.length > this.#actions.length) this.#actions.push(Float32Array.from(this.#command));
    if (steps.length === 0) return this.#pendingWrites;
    const { robot } = this.#o;
    const cam = robot.cameras[0]!;
    const ep: Episode = {
      instruction: this.#instruction,
      cameras: { [cam.name]: { width: cam.width, height: cam.height, frames: steps.map((s) => s.frame) } },
      timestamps: steps.map((s) => (s.t - this.#startMs) / 1000),
      actions: this.#actions,
      ...(robot.stateNames && robot.stateTopic ? { states: steps.map((s) => s.state) } : {}),
      metadata: { robot: robot.name, source: 'ros', ...this.#meta, ...meta },
    };
    this.stats.episodes++;
    this.#pendingWrites = this.#pendingWrites.then(() => this.#o.onEpisode(ep));
    return this.#pendingWrites;
  }
}
