/**
 * A toy video world for the demo and tests: each clip is T frames of a grid of G×G coloured cells
 * (tokens in [0, V)). Frame 1 is random; each later frame is the previous one shifted by one cell
 * (wrapping around) in the clip's hidden direction: none, up, down, left or right. A next-frame
 * model can predict frame 2 only up to the direction (loss ≥ ln 5 per token), and every later
 * frame exactly once it has inferred the direction from the frames before: a latent action.
 *
 * Dimensions: B clips, T frames, S = G·G tokens per frame (row-major).
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { stepRng, type BatchSource } from './task.ts';

export const SHIFTS = [
  [0, 0],
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
] as const;
export const SHIFT_NAMES = ['none', 'up', 'down', 'left', 'right'] as const;

export interface ToyWorldOptions {
  grid: number;
  frames: number;
  vocab: number;
  batch: number;
}

/** Clips as int32 [B, T, S] with each clip's direction index [B]. */
export function toyClips(o: ToyWorldOptions, rng: { int(n: number): number }): { tokens: Int32Array; actions: Int32Array } {
  const { grid: g, frames: t, vocab: v, batch: b } = o;
  const s = g * g;
  const tokens = new Int32Array(b * t * s);
  const actions = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const a = rng.int(SHIFTS.length);
    actions[i] = a;
    const [dr, dc] = SHIFTS[a]!;
    const clip = i * t * s;
    for (let k = 0; k < s; k++) tokens[clip + k] = rng.int(v);
    for (let f = 1; f < t; f++) {
      const prev = clip + (f - 1) * s;
      const cur = clip + f * s;
      for (let r = 0; r < g; r++) {
        for (let c = 0; c < g; c++) {
          // cell (r, c) takes the colour of the cell it moved from
          const sr = (r - dr + g) % g;
          const sc = (c - dc + g) % g;
          tokens[cur + r * g + c] = tokens[prev + sr * g + sc]!;
        }
      }
    }
  }
  return { tokens, actions };
}

/** Batch k is a pure function of (seed, k): [B, T, S] int32 token clips. */
export class ToyWorldBatches implements BatchSource<Tensor> {
  constructor(
    readonly seed: number,
    readonly o: ToyWorldOptions,
  ) {}
  batch(step: number): Tensor {
    const { tokens } = toyClips(this.o, stepRng(this.seed, step));
    return tf.tensor3d(tokens, [this.o.batch, this.o.frames, this.o.grid * this.o.grid], 'int32');
  }
  dispose(b: Tensor): void {
    b.dispose();
  }
}

/** The best achievable mean next-frame loss: ln 5 on the first predicted frame, 0 after. */
export function toyLossFloor(frames: number): number {
  return Math.log(SHIFTS.length) / (frames - 1);
}
