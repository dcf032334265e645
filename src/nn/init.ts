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
  /**
   * 2-D sine/cosine position table for an [rows·cols, D] parameter (row-major grid): a quarter of
   * the channels each for sin/cos of the row and of the column at geometric frequencies, times
   * `amp`; leftover channels (D not a multiple of 4) stay 0. Gives a learned table the grid's
   * topology from step 0 (neighbouring cells start with similar embeddings). Draws no randomness.
   */
  sincos2d:
    (rows: number, cols: number, amp = 0.3): Init =>
    (out, shape) => {
      const d = shape[shape.length - 1] ?? 1;
      if (out.length !== rows * cols * d) throw new Error(`sincos2d: table of ${out.length} values is not ${rows}×${cols}×${d}`);
      const q = Math.floor(d / 4);
      out.fill(0);
      for (let p = 0; p < rows * cols; p++) {
        const [y, x] = [Math.floor(p / cols), p % cols];
        for (let k = 0; k < q; k++) {
          const f = 1 / 100 ** (k / Math.max(1, q));
          const o = p * d;
          out[o + k] = amp * Math.sin(y * f);
          out[o + q + k] = amp * Math.cos(y * f);
          out[o + 2 * q + k] = amp * Math.sin(x * f);
          out[o + 3 * q + k] = amp * Math.cos(x * f);
        }
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
