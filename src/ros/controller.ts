/**
 * DriveController: the ROS-free heart of `lara drive`. It receives camera frames, state and
 * e-stop messages, runs the agent at most once per control period on the freshest frame, and
 * decides every outgoing command through the CommandGate (limits + rate limits) and the Watchdog
 * (stale camera, failing or slow inference). Time comes from an injected Clock; the ROS node
 * calls tick() on a timer (several times per period) and forwards messages.
 *
 * Output rules:
 *   - one command per fresh frame, at most one per control period (frames arriving sooner wait);
 *   - a stop is emitted once when a stop condition begins (camera silent for more than 2 periods
 *     after the first frame, act() threw, act() took or is taking longer than a period, e-stop
 *     engaged, shutdown); no agent command is emitted while a condition holds;
 *   - a result that arrives late, or after the camera went stale, is discarded.
 */
import type { Agent, Observation } from '../agent/types.ts';
import type { RobotDescription } from '../robot/description.ts';
import type { Clock } from '../util/clock.ts';
import { CommandGate, type GateResult } from '../safety/gate.ts';
import { EStopLatch } from '../safety/estop.ts';
import { Watchdog, type StopReason } from '../safety/watchdog.ts';
import { resizeRgb, type RgbImage } from './image.ts';

/** An observation as lara's ROS agents see it: plus the camera message's sequence number. */
export interface RosObservation extends Observation {
  seq: number;
  /** Size of `image` (after resizing to the agent's input size). */
  width: number;
  height: number;
}

/** Agent plus what drive needs to feed it. */
export interface DriveAgent extends Agent {
  /** Image size the agent expects; frames are resized to it (default: the camera's size). */
  inputSize?: { width: number; height: number };
}

export interface AppliedCommand extends GateResult {
  /** The agent's request (absent for stops). */
  requested?: Float32Array;
  /** Frame this command answers (absent for stops). */
  seq?: number;
  /** Clock time from frame arrival to this decision, ms (absent for stops). */
  latencyMs?: number;
  /** act() duration, ms. */
  inferenceMs?: number;
  atMs: number;
}

export interface DriveControllerOptions {
  robot: RobotDescription;
  agent: DriveAgent;
  clock: Clock;
  /** Called for every command to publish. */
  emit: (c: AppliedCommand) => void;
  /** Override of robot.rateHz. */
  rateHz?: number;
  /** Called when act() throws (for logging). */
  onError?: (e: unknown) => void;
}

interface Frame {
  image: RgbImage;
  seq: number;
  receivedMs: number;
}

export class DriveController {
  readonly watchdog: Watchdog;
  readonly estop = new EStopLatch();
  readonly gate: CommandGate;
  readonly #o: DriveControllerOptions;
  readonly #periodMs: number;
  #pending: Frame | undefined;
  #state: Float32Array = new Float32Array(0);
  #busySince: number | undefined;
  #lastActMs = -Infinity;
  #stopped: StopReason | undefined;
  #closed = false;
  /** Counters for reports. */
  readonly stats = { frames: 0, commands: 0, stops: 0, discarded: 0, errors: 0 };

  constructor(o: DriveControllerOptions) {
    this.#o = o;
    const rateHz = o.rateHz ?? o.robot.rateHz;
    this.watchdog = new Watchdog({ rateHz, clock: o.clock });
    this.gate = new CommandGate(o.robot, this.estop);
    this.#periodMs = 1000 / rateHz;
  }

  get periodMs(): number {
    return this.#periodMs;
  }

  /** Why output is currently held at stop (undefined while driving). */
  get stoppedBecause(): StopReason | undefined {
    return this.#stopped;
  }

  start(): void {
    this.watchdog.start();
  }

  /** A new camera frame (already decoded to RGB). */
  onImage(image: RgbImage, seq: number, receivedMs = this.#o.clock.now()): void {
    if (this.#closed) return;
    this.stats.frames++;
    this.watchdog.imageReceived();
    this.#pending = { image, seq, receivedMs };
    this.#maybeAct();
  }

  onState(state: Float32Array): void {
    this.#state = state;
  }

  /** An e-stop message: true engages (stop now and hold), false releases. */
  onEStop(engaged: boolean): void {
    if (this.#closed) return;
    if (this.estop.set(engaged) && engaged) this.#enterStop('estop');
    if (!engaged && this.#stopped === 'estop') this.#stopped = undefined;
  }

  /** Periodic check: watchdog conditions, slow inference, deferred frames. */
  tick(): void {
    if (this.#closed) return;
    const now = this.#o.clock.now();
    if (this.#busySince !== undefined && this.watchdog.inferenceRunningTooLong(now - this.#busySince)) this.#enterStop('inference-slow');
    if (this.watchdog.sawImage && this.watchdog.check() === 'camera-stale') this.#enterStop('camera-stale');
    this.#maybeAct();
  }

  /** Final stop (SIGINT/SIGTERM/end); no output after this. */
  shutdown(): AppliedCommand {
    const c: AppliedCommand = { ...this.gate.stop('shutdown'), atMs: this.#o.clock.now() };
    if (!this.#closed) {
      this.#closed = true;
      this.stats.stops++;
      this.#o.emit(c);
    }
    return c;
  }

  /** Start the agent on the pending frame if allowed now. */
  #maybeAct(): void {
    const now = this.#o.clock.now();
    if (!this.#pending || this.#busySince !== undefined) return;
    if (now - this.#lastActMs < 0.9 * this.#periodMs) return;
    const frame = this.#pending;
    this.#pending = undefined;
    this.#lastActMs = now;
    this.#busySince = now;
    void this.#act(frame);
  }

  async #act(frame: Frame): Promise<void> {
    const { agent, clock } = this.#o;
    const size = agent.inputSize ?? { width: frame.image.width, height: frame.image.height };
    const img = resizeRgb(frame.image, size.width, size.height); // [H, W, 3]
    const obs: RosObservation = { image: img.data, width: img.width, height: img.height, state: this.#state, seq: frame.seq };
    const t0 = clock.now();
    let action: Float32Array | undefined;
    let failed = false;
    try {
      action = await agent.act(obs);
    } catch (e) {
      failed = true;
      this.stats.errors++;
      this.#o.onError?.(e);
    }
    const t1 = clock.now();
    this.#busySince = undefined;
    if (this.#closed) return;
    const fault = this.watchdog.inferenceDone(t1 - t0, failed);
    if (fault) {
      this.stats.discarded++;
      this.#enterStop(fault);
    } else if (this.estop.engaged || this.watchdog.check() === 'camera-stale') {
      this.stats.discarded++;
    } else {
      const r = this.gate.request(action!);
      this.#stopped = undefined;
      this.stats.commands++;
      this.#o.emit({ ...r, requested: action!, seq: frame.seq, latencyMs: t1 - frame.receivedMs, inferenceMs: t1 - t0, atMs: t1 });
    }
    this.#maybeAct();
  }

  #enterStop(reason: StopReason): void {
    if (this.#stopped !== undefined && reason !== 'estop') return;
    if (this.#stopped === 'estop') return;
    this.#stopped = reason;
    this.stats.stops++;
    this.#o.emit({ ...this.gate.stop(reason), atMs: this.#o.clock.now() });
  }
}
