/**
 * Recording ROS topics into lara episodes: the robot's camera, its command topic(s) and its
 * joint state become steps of (frame, state, action), where the action of step t is the last
 * command received before frame t+1 (the command that answered frame t). When an episode is
 * closed, frames sooner than 0.7/fps after the previous kept frame (by header stamp, else arrival
 * time) are dropped, their commands folded into the kept frame before them.
 * Timestamps count from the episode's first frame. Episodes are cut by a fixed duration
 * or by start/end signals on an episode topic (JSON EpisodeEvent on std_msgs/String, or
 * std_msgs/Bool true = start, false = end). JSON events may carry first_seq / last_seq (camera
 * header.seq): frames are then assigned by sequence number, not by arrival order across topics.
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
  /** Delay before acting on an episode event, ms (default 100). */
  eventGraceMs?: number;
}

interface Step {
  frame: Uint8Array;
  state: Float32Array;
  t: number;
  /** Camera header.seq. */
  seq: number;
  /** The command current when this frame arrived: the action of the frame before it. */
  cmdBefore: Float32Array;
  /** The first command received after this frame (the one that answered it, on a lockstep robot). */
  firstAfter?: Float32Array;
  /** Filled when the episode closes. */
  action?: Float32Array;
}

export class EpisodeRecorder {
  readonly #o: RecorderOptions;
  readonly #now: () => number;
  readonly #minGapMs: number;
  #command: Float32Array;
  #state: Float32Array;
  #steps: Step[] = [];
  #recording = false;
  /** Recent frames seen while not recording (for a start whose first_seq they carry). */
  #spare: Step[] = [];
  #firstSeq = -Infinity;
  #startMs = 0;
  #meta: Record<string, unknown> = {};
  #instruction = '';
  #pendingWrites: Promise<void> = Promise.resolve();
  #events: Promise<void> = Promise.resolve();
  readonly stats = { frames: 0, commands: 0, episodes: 0 };

  constructor(o: RecorderOptions) {
    this.#o = o;
    this.#now = o.now ?? (() => performance.now());
    this.#minGapMs = 0.7 * (1000 / (o.fps ?? o.robot.rateHz)); // tolerate arrival jitter
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
      // capture time: the header stamp when the publisher set one, else arrival time
      const h = (m as { header?: { seq?: number; stamp?: { secs: number; nsecs: number } } }).header;
      const stampMs = h?.stamp ? h.stamp.secs * 1000 + h.stamp.nsecs / 1e6 : 0;
      const t = stampMs > 0 ? stampMs : this.#now();
      const seq = Number(h?.seq ?? 0);
      void decodeCameraMsg(cam.messageType, m, cam.topic).then((img) => this.onFrame(resizeRgb(img, cam.width, cam.height), t, seq), () => undefined);
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
          // handled in order after a short grace, so the command answering the last frame
          // (which travels on another connection) is in before the episode is closed
          this.#events = this.#events
            .then(() => new Promise((r) => setTimeout(r, this.#o.eventGraceMs ?? 100)))
            .then(() => {
              if (ev.event === 'start') this.start(ev.instruction, { seed: ev.seed, episode: ev.episode }, ev.first_seq);
              else void this.end({ success: ev.success, steps: ev.steps }, ev.last_seq);
            });
        }, { queueSize: 10 });
      }
    }
  }

  /** Begin an episode (ends a running one first); frames with seq < firstSeq are not its own. */
  start(instruction = '', meta: Record<string, unknown> = {}, firstSeq?: number): void {
    if (this.#recording) void this.end();
    this.#recording = true;
    this.#steps = [];
    this.#instruction = instruction;
    this.#meta = meta;
    this.#startMs = NaN; // set by the first frame
    this.#firstSeq = firstSeq ?? -Infinity;
    const early = firstSeq === undefined ? [] : this.#spare.filter((s) => s.seq >= firstSeq);
    this.#spare = [];
    for (const s of early) this.#keep(s);
  }

  onFrame(img: RgbImage, t = this.#now(), seq = 0): void {
    this.stats.frames++;
    const step: Step = { frame: img.data, state: Float32Array.from(this.#state), t, seq, cmdBefore: this.#command };
    if (!this.#recording || seq < this.#firstSeq) {
      this.#spare.push(step);
      if (this.#spare.length > 64) this.#spare.shift();
      return;
    }
    this.#keep(step);
  }

  /**
   * Keep frames at least minGap apart; a kept frame's action is the command current just before
   * the next kept frame (the last action among the frames it stands for).
   */
  #downsample(raw: Step[]): Step[] {
    const kept: Step[] = [];
    let lastT = -Infinity;
    for (const s of raw) {
      if (s.t - lastT >= this.#minGapMs) {
        kept.push({ ...s });
        lastT = s.t;
      } else {
        kept[kept.length - 1]!.action = s.action;
      }
    }
    return kept;
  }

  #keep(step: Step): void {
    if (Number.isNaN(this.#startMs)) this.#startMs = step.t;
    this.#steps.push(step);
  }

  onCommand(c: Float32Array): void {
    this.stats.commands++;
    this.#command = c;
    const newest = this.#steps[this.#steps.length - 1];
    if (this.#recording && newest && !newest.firstAfter) newest.firstAfter = c;
  }

  /**
   * Finish the running episode (dropped when it has no frame); frames with seq > lastSeq that
   * arrived early belong to what follows. Resolves once handed over.
   */
  end(meta: Record<string, unknown> = {}, lastSeq?: number): Promise<void> {
    if (!this.#recording) return this.#pendingWrites;
    this.#recording = false;
    let steps = this.#steps;
    if (lastSeq !== undefined) {
      this.#spare = steps.filter((s) => s.seq > lastSeq);
      steps = steps.filter((s) => s.seq <= lastSeq);
    }
    // action of frame t = the command current when frame t+1 arrived; for the last frame, when
    // the first later frame arrived, else the first command after it, else the current one
    const after = this.#spare.find((s) => s.seq > (steps[steps.length - 1]?.seq ?? Infinity));
    steps = steps.map((s, i) => ({ ...s, action: steps[i + 1]?.cmdBefore ?? after?.cmdBefore ?? s.firstAfter ?? this.#command }));
    steps = this.#downsample(steps);
    if (steps.length === 0) return this.#pendingWrites;
    const { robot } = this.#o;
    const cam = robot.cameras[0]!;
    const ep: Episode = {
      instruction: this.#instruction,
      cameras: { [cam.name]: { width: cam.width, height: cam.height, frames: steps.map((s) => s.frame) } },
      timestamps: steps.map((s) => (s.t - this.#startMs) / 1000),
      actions: steps.map((s) => s.action!),
      ...(robot.stateNames && robot.stateTopic ? { states: steps.map((s) => s.state) } : {}),
      metadata: { robot: robot.name, source: 'ros', ...this.#meta, ...meta },
    };
    this.stats.episodes++;
    this.#pendingWrites = this.#pendingWrites.then(() => this.#o.onEpisode(ep));
    return this.#pendingWrites;
  }
}
