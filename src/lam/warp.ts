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

/**
 * Per-pixel kernels of rigid motions (`warpMotion: 'rigid'`): part p reads x_t at the offset
 * o_p(q) = u_p + (R(φ_p) − I)(q − c_p) from output pixel q, where (u_p, φ_p) come from a_t alone
 * and c_p is the centroid of the part's mask, so one code means the same turn and move wherever
 * the part is. The offset is read bilinearly: its weights over the window's shifts are tent
 * functions, so an offset beyond the k×k window reads nothing (0, as outside the frame). motion [B, K, 3] = (u_y, u_x, φ) in pixels and radians;
 * maskWeights [B, H, W, K] (each part's share of every pixel) → kernels [B, K, H·W, S].
 */
export function rigidKernels(motion: Tensor, maskWeights: Tensor, k: number): Tensor {
  const [b, h, w, kk] = maskWeights.shape as [number, number, number, number];
  const r = (k - 1) / 2;
  const ys = tf.tensor1d(Array.from({ length: h * w }, (_, i) => Math.floor(i / w))); // [HW]
  const xs = tf.tensor1d(Array.from({ length: h * w }, (_, i) => i % w)); // [HW]
  const m = tf.transpose(tf.reshape(maskWeights, [b, h * w, kk]), [0, 2, 1]); // [B, K, HW]
  const mass = tf.add(tf.sum(m, 2, true), 1e-6); // [B, K, 1]
  const cy = tf.div(tf.sum(tf.mul(m, ys), 2, true), mass); // [B, K, 1] centroid row
  const cx = tf.div(tf.sum(tf.mul(m, xs), 2, true), mass); // [B, K, 1]
  const dy = tf.sub(ys, cy); // [B, K, HW]
  const dx = tf.sub(xs, cx);
  const part = (j: number) => tf.reshape(tf.slice(motion, [0, 0, j], [b, kk, 1]), [b, kk, 1]); // [B, K, 1]
  const phi = part(2);
  const cos1 = tf.sub(tf.cos(phi), 1);
  const sin = tf.sin(phi);
  // (R − I)(dy, dx) with R = [[cos, sin], [−sin, cos]] acting on (row, column)
  const oy = tf.add(part(0), tf.add(tf.mul(cos1, dy), tf.mul(sin, dx))); // [B, K, HW]
  const ox = tf.add(part(1), tf.sub(tf.mul(cos1, dx), tf.mul(sin, dy)));
  const taps = Array.from({ length: k }, (_, i) => i - r);
  const tent = (o: Tensor) => tf.relu(tf.sub(1, tf.abs(tf.sub(tf.expandDims(o, 3), tf.tensor1d(taps))))); // [B, K, HW, k]
  const wy = tent(oy);
  const wx = tent(ox);
  // shift s = (dy, dx) in row-major order over −r..r, as shiftStack
  return tf.reshape(tf.mul(tf.expandDims(wy, 4), tf.expandDims(wx, 3)), [b, kk, h * w, k * k]); // [B, K, HW, S]
}

/**
 * warpComposite with per-pixel kernels [B, K, H·W, S] (rigidKernels) instead of one kernel per
 * part: each output pixel mixes its own window of x_t.
 */
export function warpCompositePerPixel(prev: Tensor, kernels: Tensor, painted: Tensor, maskLogits: Tensor): Tensor {
  const [b, h, w, c] = prev.shape as [number, number, number, number];
  const kk = kernels.shape[1]!;
  const s = kernels.shape[3]!;
  const k = Math.round(Math.sqrt(s));
  const stack = tf.transpose(tf.reshape(shiftStack(prev, k), [b, s, h * w, c]), [0, 2, 1, 3]); // [B, HW, S, C]
  const kern = tf.transpose(kernels, [0, 2, 1, 3]); // [B, HW, K, S]
  const moved = tf.matMul(tf.reshape(kern, [b * h * w, kk, s]), tf.reshape(stack, [b * h * w, s, c])); // [B·HW, K, C]
  const layers = tf.reshape(moved, [b, h, w, kk, c]); // [B, H, W, K, C]
  const all = tf.concat([layers, tf.reshape(painted, [b, h, w, 1, c])], 3); // [B, H, W, K+1, C]
  const mk = tf.reshape(tf.softmax(maskLogits), [b, h, w, kk + 1, 1]); // [B, H, W, K+1, 1]
  return tf.sum(tf.mul(all, mk), 3); // [B, H, W, C]
}
