/** Time source, injected so tests control it. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after ms milliseconds. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** A clock that only moves when told to; sleep() advances it instantly. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start = 0) {
    this.#t = start;
  }
  now(): number {
    return this.#t;
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.#t += ms;
  }
}
