/**
 * Run a LAM built for short windows (e.g. 2 frames: x_t, x_{t+1}) over longer clips: a clip
 * [B, T, ...] becomes T-1 overlapping pairs [B·(T-1), 2, ...], one per transition, and the
 * per-pair results are folded back to [B, T-1, ...].
 */
import { tf, type Tensor } from '../backend/tf.ts';

/** [B, T, ...] → [B·(T-1), 2, ...] (pair t = frames t, t+1). */
export function toPairs(x: Tensor): Tensor {
  const [b, t, ...rest] = x.shape as number[];
  const a = tf.slice(x, x.shape.map(() => 0), [b!, t! - 1, ...rest]); // [B, T-1, ...]
  const c = tf.slice(x, x.shape.map((_, i) => (i === 1 ? 1 : 0)), [b!, t! - 1, ...rest]); // [B, T-1, ...]
  const st = tf.stack([a, c], 2); // [B, T-1, 2, ...]
  return tf.reshape(st, [b! * (t! - 1), 2, ...rest]);
}

/** [B·(T-1), 1, ...] → [B, T-1, ...]. */
export function fromPairs(y: Tensor, b: number): Tensor {
  const [n, , ...rest] = y.shape as number[];
  return tf.reshape(y, [b, n! / b, ...rest]);
}
