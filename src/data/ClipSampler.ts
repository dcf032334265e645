/**
 * Enumerates and samples windows (episode, start) of T frames. Frames in a window are `stride`
 * steps apart; stride comes from `stride` or from dataset fps / target fps (rounded, >= 1).
 * Sampling is uniform over all valid windows and driven by an injected Rng.
 */
import type { Rng } from '../util/rng.ts';
import { LaraError } from '../util/errors.ts';

export interface ClipSamplerOptions {
  /** Episode lengths (steps), indexed by episode number. */
  lengths: number[];
  /** Frames per window. */
  T: number;
  /** Steps between frames of a window (default 1, or derived from fps/targetFps). */
  stride?: number;
  /** Dataset fps; with targetFps sets stride = round(fps / targetFps). */
  fps?: number;
  targetFps?: number;
  /** Only these episodes (e.g. a split); default all. */
  episodes?: number[];
  /** Distance between consecutive window starts when enumerating (default 1). */
  hop?: number;
}

export interface ClipRef {
  episode: number;
  start: number;
}

export class ClipSampler {
  readonly T: number;
  readonly stride: number;
  readonly hop: number;
  /** Episodes with at least one window, and how many windows each has. */
  readonly episodes: number[];
  readonly counts: number[];
  readonly total: number;
  #cum: number[];

  constructor(o: ClipSamplerOptions) {
    if (!Number.isInteger(o.T) || o.T < 1) throw new LaraError('clip length T must be a positive integer', { where: 'T', got: String(o.T) });
    let stride = o.stride ?? 1;
    if (o.stride === undefined && o.fps !== undefined && o.targetFps !== undefined) {
      if (!(o.targetFps > 0)) throw new LaraError('target fps must be positive', { where: 'targetFps', got: String(o.targetFps) });
      stride = Math.max(1, Math.round(o.fps / o.targetFps));
    }
    if (!Number.isInteger(stride) || stride < 1) throw new LaraError('stride must be a positive integer', { where: 'stride', got: String(stride) });
    const hop = o.hop ?? 1;
    if (!Number.isInteger(hop) || hop < 1) throw new LaraError('hop must be a positive integer', { where: 'hop', got: String(hop) });
    this.T = o.T;
    this.stride = stride;
    this.hop = hop;
    const span = (o.T - 1) * stride + 1;
    const eps = o.episodes ?? o.lengths.map((_, i) => i);
    this.episodes = [];
    this.counts = [];
    this.#cum = [];
    let total = 0;
    for (const k of eps) {
      const len = o.lengths[k];
      if (len === undefined) throw new LaraError('episode index out of range', { where: 'episodes', expected: `< ${o.lengths.length}`, got: String(k) });
      // starts 0, hop, 2*hop, ... with start + span <= len
      const n = len >= span ? Math.floor((len - span) / hop) + 1 : 0;
      if (n === 0) continue;
      this.episodes.push(k);
      this.counts.push(n);
      total += n;
      this.#cum.push(total);
    }
    this.total = total;
  }

  /** The i-th window in enumeration order (episode-major). */
  at(i: number): ClipRef {
    if (!(i >= 0 && i < this.total)) throw new RangeError(`window ${i} of ${this.total}`);
    let lo = 0;
    let hi = this.#cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cum[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    const before = lo === 0 ? 0 : this.#cum[lo - 1]!;
    return { episode: this.episodes[lo]!, start: (i - before) * this.hop };
  }

  *windows(): Generator<ClipRef> {
    for (let i = 0; i < this.total; i++) yield this.at(i);
  }

  /** One window drawn uniformly over all windows. */
  sample(rng: Rng): ClipRef {
    if (this.total === 0) throw new LaraError('no episode is long enough for a window', { expected: `episodes of at least ${(this.T - 1) * this.stride + 1} steps` });
    return this.at(rng.int(this.total));
  }

  /** A seeded permutation of all windows (one epoch). */
  epoch(rng: Rng): ClipRef[] {
    return rng.shuffle(Array.from({ length: this.total }, (_, i) => i)).map((i) => this.at(i));
  }
}
