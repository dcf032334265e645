/**
 * Pairs of frames (x_t, x_{t+1}) of a 4×4 square moved 2 pixels left, right, up or down on a dark
 * 16×16 background: the smallest video whose latent actions have a known right answer.
 */
import { tf } from '../../src/backend/tf.ts';
import { loadConfig } from '../../src/config/presets.ts';
import { LamSchema } from '../../src/lam/config.ts';
import { LamTask } from '../../src/lam/train.ts';
import { Rng } from '../../src/util/rng.ts';

export const SQUARE_SIZE = 16;
const S = SQUARE_SIZE;
export const MOVES = [
  [-2, 0],
  [2, 0],
  [0, -2],
  [0, 2],
] as const;

/** B pairs (x_t, x_{t+1}) [B, 2, S, S, 3] of a 4×4 square moved by one of MOVES; and the move ids. */
export function squarePairs(b: number, rng: Rng): { clip: tf.Tensor; moves: number[] } {
  const v = new Float32Array(b * 2 * S * S * 3).fill(0.1);
  const moves: number[] = [];
  for (let i = 0; i < b; i++) {
    const m = rng.int(4);
    moves.push(m);
    const x0 = 2 + rng.int(S - 8);
    const y0 = 2 + rng.int(S - 8);
    for (let t = 0; t < 2; t++) {
      const x = x0 + t * MOVES[m]![0];
      const y = y0 + t * MOVES[m]![1];
      for (let dy = 0; dy < 4; dy++)
        for (let dx = 0; dx < 4; dx++) {
          const o = ((((i * 2 + t) * S + y + dy) * S + x + dx) * 3) | 0;
          v[o] = 0.9;
          v[o + 1] = 0.8;
          v[o + 2] = 0.3;
        }
    }
  }
  return { clip: tf.tensor(v, [b, 2, S, S, 3]), moves };
}


/** Codes against true moves: how many codes occur, and the share of pairs whose code's majority move is their own. */
export function codePurity(codes: number[], moves: number[]): { used: number; purity: number } {
  const counts = new Map<number, number[]>();
  codes.forEach((c, i) => {
    const row = counts.get(c) ?? [0, 0, 0, 0];
    row[moves[i]!]! += 1;
    counts.set(c, row);
  });
  return { used: counts.size, purity: [...counts.values()].reduce((n, row) => n + Math.max(...row), 0) / codes.length };
}

/**
 * Train a 2-frame tiny LAM (4 codes, width 32, lr 3e-3, batch 16) plus `sets` on moving-square
 * pairs for `steps` steps and return how its codes on 256 fresh pairs agree with the moves. Seeds:
 * 0 weights, 1 training rng, 2 batches, 99 evaluation pairs. `onCheck` is called every `every`
 * steps (and at the last) with the step's loss, reconstruction loss and the current agreement.
 */
export async function trainOnSquares(
  sets: string[],
  steps: number,
  onCheck?: (step: number, loss: number, recon: number, p: { used: number; purity: number }) => void,
  every = 100,
): Promise<{ used: number; purity: number }> {
  const cfg = loadConfig(LamSchema, 'lam', 'tiny', ['model.frames=2', 'model.codes=4', 'model.encoder.width=32', 'model.decoder.width=32', 'train.lr=0.003', 'train.warmup=10', 'train.batch=16', ...sets]);
  const task = new LamTask(cfg);
  await task.init(Rng.seeded(0));
  const rng = Rng.seeded(1);
  const data = Rng.seeded(2);
  const agreement = (): { used: number; purity: number } => {
    const { clip, moves } = squarePairs(256, Rng.seeded(99));
    const codes = Array.from(task.model.encodeActions(clip).dataSync());
    clip.dispose();
    return codePurity(codes, moves);
  };
  for (let s = 1; s <= steps; s++) {
    const { clip } = squarePairs(16, data);
    const r = task.step(clip, { step: s - 1, rng });
    clip.dispose();
    if (onCheck && (s % every === 0 || s === steps)) onCheck(s, r.loss, r.metrics?.recon ?? NaN, agreement());
  }
  const result = agreement();
  task.dispose();
  return result;
}
