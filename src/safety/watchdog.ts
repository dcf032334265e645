/**
 * Watchdog: decides when the robot must be stopped because its inputs or the agent failed.
 * Pure logic over an injected Clock, so tests drive time with ManualClock.
 *
 * Stop conditions (any one):
 *   - camera stale: no image for more than `staleAfterPeriods` control periods (default 2),
 *     counted from the last image (or from start() before the first image);
 *   - inference failed: the agent threw;
 *   - inference behind: one act() took longer than `maxInferencePeriods` periods (default 1).
 * Inference conditions clear on the next on-time, successful act().
 */
import type { Clock } from '../util/clock.ts';

export type StopReason = 'camera-stale' | 'inference-error' | 'inference-slow' | 'estop' | 'shutdown';

export interface WatchdogOptions {
  /** Control rate, Hz. */
  rateHz: number;
  /** Camera silence that triggers a stop, in control periods (default 2). */
  staleAfterPeriods?: number;
  /** Longest allowed act(), in control periods (default 1). */
  maxInferencePeriods?: number;
  clock: Clock;
}

export class Watchdog {
  readonly periodMs: number;
  readonly staleMs: number;
  readonly maxInferenceMs: number;
  readonly #clock: Clock;
  #lastImageMs: number | undefined;
  #startMs: number | undefined;
  #inferenceFault: 'inference-error' | 'inference-slow' | undefined;

  constructor(o: WatchdogOptions) {
    if (!(o.rateHz > 0)) throw new RangeError(`rateHz must be > 0, got ${o.rateHz}`);
    this.periodMs = 1000 / o.rateHz;
    this.staleMs = (o.staleAfterPeriods ?? 2) * this.periodMs;
    this.maxInferenceMs = (o.maxInferencePeriods ?? 1) * this.periodMs;
    this.#clock = o.clock;
  }

  /** Begin watching (the camera clock starts now). */
  start(): void {
    this.#startMs = this.#clock.now();
  }

  imageReceived(): void {
    this.#lastImageMs = this.#clock.now();
  }

  /** Milliseconds since the last image (or since start when none yet); Infinity before start. */
  cameraAgeMs(): number {
    const ref = this.#lastImageMs ?? this.#startMs;
    return ref === undefined ? Infinity : this.#clock.now() - ref;
  }

  /** True once at least one image arrived. */
  get sawImage(): boolean {
    return this.#lastImageMs !== undefined;
  }

  /** Record the outcome of one act(): its duration and whether it threw. Returns the fault, if any. */
  inferenceDone(durationMs: number, failed: boolean): 'inference-error' | 'inference-slow' | undefined {
    if (failed) this.#inferenceFault = 'inference-error';
    else if (durationMs > this.maxInferenceMs) this.#inferenceFault = 'inference-slow';
    else this.#inferenceFault = undefined;
    return this.#inferenceFault;
  }

  /** An act() has been running for `runningMs` already: it is behind once past the limit. */
  inferenceRunningTooLong(runningMs: number): boolean {
    return runningMs > this.maxInferenceMs;
  }

  /** Why the robot must stop now, or undefined when all is well. */
  check(): StopReason | undefined {
    if (this.cameraAgeMs() > this.staleMs) return 'camera-stale';
    return this.#inferenceFault;
  }
}
