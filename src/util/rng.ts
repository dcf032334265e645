/**
 * Seeded random numbers with a serializable state (sfc32). Inject an Rng wherever randomness is
 * used so tests assert exact values and checkpoints can save and restore the stream.
 */
export type RngState = [number, number, number, number];

export class Rng {
  #s: Uint32Array;

  private constructor(state: RngState) {
    this.#s = Uint32Array.from(state);
  }

  /** A generator from an integer seed. The same seed always gives the same stream. */
  static seeded(seed: number): Rng {
    // splitmix32 to spread the seed over four words
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const r = new Rng([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) r.uint32();
    return r;
  }

  /** Restore a generator from state(). */
  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new Error(`rng state: expected 4 uint32 words, got ${JSON.stringify(state)}`);
    }
    return new Rng(state as RngState);
  }

  state(): RngState {
    return [this.#s[0]!, this.#s[1]!, this.#s[2]!, this.#s[3]!];
  }

  /** A new independent generator derived from this one (advances this one). */
  fork(): Rng {
    return new Rng([this.uint32(), this.uint32(), this.uint32(), this.uint32()]);
  }

  uint32(): number {
    const s = this.#s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  /** A uint32 seed for libraries that take one (e.g. tf.randomUniform). */
  seed(): number {
    return this.uint32();
  }
}
