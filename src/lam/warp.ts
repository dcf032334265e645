/**
 * The LAM's motion-warp decoder head (`model.head = 'warp'`, not in Genie): the next frame is
 * composited from K copies of x_t, each moved by a k×k motion kernel that only the latent action
 * chooses, plus one painted image (sigmoid output, as the paper's decoder) for what no motion
 * explains; per-pixel masks from the decoder stack pick between them. This is the CDNA head of
 * Finn, Goodfellow & Levine (2016, "Unsupervised learning for physical interaction through video
 * prediction"), with the kernels a function of a_t alone: a code cannot mean different motions
 * at different places, and the decoder can use a_t from the first steps (a plain pixel head at
 * this scale cannot use even the true actions in hundreds of steps; docs/models.md).
 *
 * Dimension legend: B frames (batch × time flattened), H × W pixels, C channels, K kernels,
 * S = k·k shifts of one kernel.
 */
import { tf, type Tensor } from '../backend/tf.ts';

/**
 * x [B, H, W, C] → every shift of x within a k×k window, [B, S, H·W·C]; shift s = (dy, dx) in
 * row-major order over −r..r (r = (k−1)/2) holds x(i + dy, j + dx), zero outside the frame.
 */
export function shiftStack(x: Tensor, k: number): Tensor {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const r = (k - 1) / 2;
  const padded = tf.pad(x, [[0, 0], [r, r], [r, r], [0, 0]]); // [B, H+2r, W+2r, C]
  const shifts: Tensor[] = [];
  for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) shifts.push(tf.reshape(tf.slice(padded, [0, dy, dx, 0], [b, h, w, c]), [b, 1, h * w * c]));
  return tf.concat(shifts, 1); // [B, S, H·W·C]
}

/**
 * Composite the next frame: kernels [B, K, S] (each a distribution over shifts), previous frames
 * [B, H, W, C], painted frames [B, H, W, C] in (0, 1), mask logits [B, H, W, K+1] (the last
 * channel is the painted image) → [B, H, W, C], a convex combination, so in [0, 1].
 */
export function warpComposite(prev: Tensor, kernels: Tensor, painted: Tensor, maskLogits: Tensor): Tensor {
  const [b, h, w, c] = prev.shape as [number, number, number, number];
  const kk = kernels.shape[1]!;
  const k = Math.round(Math.sqrt(kernels.shape[2]!));
  const moved = tf.matMul(kernels, shiftStack(prev, k)); // [B, K, H·W·C]
  const layers = tf.transpose(tf.reshape(moved, [b, kk, h, w, c]), [0, 2, 3, 1, 4]); // [B, H, W, K, C]
  const all = tf.concat([layers, tf.reshape(painted, [b, h, w, 1, c])], 3); // [B, H, W, K+1, C]
  const m = tf.reshape(tf.softmax(maskLogits), [b, h, w, kk + 1, 1]); // [B, H, W, K+1, 1]
  return tf.sum(tf.mul(all, m), 3); // [B, H, W, C]
}
