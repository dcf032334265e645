/**
 * Parameter initialisers. Each fills a Float32Array from an injected Rng, so the same seed gives
 * the same weights on every backend.
 */
import type { Rng } from '../util/rng.ts';

/** Fills `out` (a tensor of `shape`, row-major) with initial values. */
export type Init = (out: Float32Array, shape: readonly number[], rng: Rng) => void;

export const init = {
  zeros: (): Init => (out) => out.fill(0),
  ones: (): Init => (out) => out.fill(1),
  constant: (c: number): Init => (out) => out.fill(c),
  /** Normal(0, std²). */
  normal:
    (std = 0.02): Init =>
    (out, _s, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std);
    },
  /** Normal(0, std²) redrawn outside ±2 std. */
  truncNormal:
    (std = 0.02): Init =>
    (out, _s, rng) => {
      for (let i = 0; i < out.length; i++) {
        let v = rng.normal();
        while (v < -2 || v > 2) v = rng.normal();
        out[i] = v * std;
      }
    },
  uniform:
    (lo: number, hi: number): Init =>
    (out, _s, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = rng.uniform(lo, hi);
    },
  /** Glorot/Xavier uniform for a [fanIn, fanOut] matrix (leading dims fold into fanIn). */
  glorot: (): Init => (out, shape, rng) => {
    const fanOut = shape[shape.length - 1] ?? 1;
    const fanIn = shape.length > 1 ? out.length / fanOut : fanOut;
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-lim, lim);
  },
};
