/**
 * One client's serving state: its agent, its CommandGate (limits + rate limits against the last
 * command this client was sent), the shared e-stop latch, and a Watchdog for inference time.
 * act() always resolves to a reply: the gated agent action, or the stop action with a reason
 * (e-stop engaged, agent threw, agent missed the deadline or is still busy with an earlier one).
 */
import type { RobotDescription } from '../robot/description.ts';
import { resizeRgb, type RgbImage } from '../ros/image.ts';
import type { EStopLatch } from '../safety/estop.ts';
import { CommandGate, type GateResult } from '../safety/gate.ts';
import { Watchdog, type StopReason } from '../safety/watchdog.ts';
import type { Clock } from '../util/clock.ts';
import type { ServeAgent } from './agents.ts';
import { RequestError, type ActReply, type ActRequest, type ServeStopReason } from './protocol.ts';

export interface SessionOptions {
  robot: RobotDescription;
  agent: ServeAgent;
  /** Server-wide latch: an e-stop from any client stops every client. */
  estop: EStopLatch;
  clock: Clock;
  /** Control rate, Hz (the robot's by default). */
  rateHz: number;
  /** Longest act() allowed, ms (default one control period). */
  deadlineMs: number;
  /** Seed for agent.reset until a reset request names one. */
  seed?: number;
  onError?: (e: unknown) => void;
}

/** Counters for logs and tests. */
export interface SessionStats {
  acts: number;
  commands: number;
  stops: number;
  errors: number;
  late: number;
}

export class Session {
  readonly gate: CommandGate;
  readonly watchdog: Watchdog;
  readonly agent: ServeAgent;
  readonly stats: SessionStats = { acts: 0, commands: 0, stops: 0, errors: 0, late: 0 };
  /** Clock time of this client's last request. */
  lastSeenMs: number;
  readonly #o: SessionOptions;
  #busy = false;
  #instruction: string | undefined;
  #seed: number;

  constructor(o: SessionOptions) {
    this.#o = o;
    this.agent = o.agent;
    this.gate = new CommandGate(o.robot, o.estop);
    const periodMs = 1000 / o.rateHz;
    this.watchdog = new Watchdog({ rateHz: o.rateHz, maxInferencePeriods: o.deadlineMs / periodMs, clock: o.clock });
    this.#seed = o.seed ?? 0;
    this.lastSeenMs = o.clock.now();
  }

  /** The instruction the agent was last reset with (undefined before the first reset). */
  get instruction(): string | undefined {
    return this.#instruction;
  }

  /** Start an episode. */
  async reset(instruction: string, seed: number): Promise<void> {
    this.#seed = seed;
    this.#instruction = instruction;
    await this.agent.reset(instruction, seed);
  }

  /**
   * Record a stop sent to this client so motion resumes rate-limited from the stop values.
   * CommandGate.stop only echoes its reason, so protocol-level reasons pass through it.
   */
  stop(reason: ServeStopReason): GateResult {
    this.stats.stops++;
    return this.gate.stop(reason as StopReason);
  }

  /** Serve one act request; `receivedMs` is the clock time the request arrived. */
  async act(req: ActRequest, image: RgbImage, state: Float32Array, receivedMs: number): Promise<ActReply> {
    const { clock } = this.#o;
    this.stats.acts++;
    this.agent.prepare?.(req); // may throw RequestError: the server answers ok:false
    const need = this.agent.minState ?? 0;
    if (state.length < need) throw new RequestError('state', `at least ${need} float32 values (agent '${this.agent.name}' reads the robot state)`, `${state.length} values`);
    const reply = (g: GateResult, error?: string): ActReply => {
      const r: ActReply = { v: 1, type: 'act', seq: req.seq, ok: true, action: Array.from(g.action), clamped: g.clamped, latency_ms: clock.now() - receivedMs };
      if (req.stamp !== undefined) r.stamp = req.stamp;
      if (g.stop) {
        r.stopped = true;
        r.reason = g.stop as ServeStopReason;
      }
      if (error !== undefined) r.error = error;
      return r;
    };
    if (this.#o.estop.engaged) return reply(this.stop('estop'));
    if (this.#busy) {
      this.stats.late++;
      return reply(this.stop('inference-slow'), 'the previous act() is still running');
    }
    this.#busy = true;
    let release = true;
    try {
      if (this.#instruction === undefined || (req.instruction !== undefined && req.instruction !== this.#instruction)) {
        await this.reset(req.instruction ?? this.#instruction ?? '', this.#seed);
      }
      const size = this.agent.inputSize ?? { width: image.width, height: image.height };
      const img = resizeRgb(image, size.width, size.height); // [H, W, 3]
      const t0 = clock.now();
      const running = Promise.resolve().then(() => this.agent.act({ image: img.data, state }));
      const outcome = await withDeadline(running, this.watchdog.maxInferenceMs);
      const dur = clock.now() - t0;
      if (outcome.kind === 'late') {
        // answer now; the session stays busy (stop replies) until the late act() settles
        release = false;
        this.stats.late++;
        running.then(
          () => this.#settled(clock.now() - t0, false),
          (e) => this.#settled(clock.now() - t0, true, e),
        );
        return reply(this.stop('inference-slow'), `act() took longer than the ${this.watchdog.maxInferenceMs.toFixed(1)} ms deadline`);
      }
      if (outcome.kind === 'error') {
        this.stats.errors++;
        this.watchdog.inferenceDone(dur, true);
        this.#o.onError?.(outcome.error);
        return reply(this.stop('inference-error'), errorText(outcome.error));
      }
      const fault = this.watchdog.inferenceDone(dur, false);
      if (fault) {
        this.stats.late++;
        return reply(this.stop(fault), `act() took ${dur.toFixed(1)} ms, over the ${this.watchdog.maxInferenceMs.toFixed(1)} ms deadline`);
      }
      let g: GateResult;
      try {
        g = this.gate.request(outcome.value); // clamps to limits and rate limits; stop while e-stopped
      } catch (e) {
        this.stats.errors++;
        this.#o.onError?.(e);
        return reply(this.stop('inference-error'), errorText(e));
      }
      if (g.stop) this.stats.stops++;
      else this.stats.commands++;
      return reply(g);
    } catch (e) {
      // agent.reset threw
      this.stats.errors++;
      this.#o.onError?.(e);
      return reply(this.stop('inference-error'), errorText(e));
    } finally {
      if (release) this.#busy = false;
    }
  }

  #settled(durationMs: number, failed: boolean, e?: unknown): void {
    this.#busy = false;
    this.watchdog.inferenceDone(durationMs, failed);
    if (failed) {
      this.stats.errors++;
      this.#o.onError?.(e);
    }
  }
}

type Outcome<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'late' };

/** Race `p` against a timer of `ms` (a synchronous agent cannot be interrupted: its duration is checked after). */
function withDeadline<T>(p: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome<T>>((r) => (timer = setTimeout(() => r({ kind: 'late' }), Math.max(0, ms))));
  const done = p.then(
    (value): Outcome<T> => ({ kind: 'value', value }),
    (error): Outcome<T> => ({ kind: 'error', error }),
  );
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}

function errorText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.length > 300 ? s.slice(0, 297) + '...' : s;
}
