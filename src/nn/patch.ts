/**
 * Patchify / unpatchify by reshape + transpose (no convolution: wasm has no
 * Conv2DBackpropFilter). Leading dimensions (batch, time) are kept as they are.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';

/**
 * x [..., H, W, C] → [..., (H/p)·(W/p), p·p·C]. Patches are in row-major order of the patch
 * grid; each patch vector is its pixels in (row, col, channel) order.
 */
export function patchify(x: Tensor, p: number): Tensor {
  if (x.rank < 3) throw new LaraError('patchify needs [..., H, W, C]', { got: `rank ${x.rank}` });
  const [h, w, c] = x.shape.slice(-3) as [number, number, number];
  if (h % p !== 0 || w % p !== 0) {
    throw new LaraError('frame size must be a multiple of the patch size', { expected: `H, W divisible by ${p}`, got: `${h}×${w}` });
  }
  const lead = x.shape.slice(0, -3);
  const n = lead.reduce((a, b) => a * b, 1);
  const gh = h / p;
  const gw = w / p;
  const t = tf.reshape(x, [n, gh, p, gw, p * c]); // [n, gh, p, gw, p·C]
  const u = tf.transpose(t, [0, 1, 3, 2, 4]); // [n, gh, gw, p, p·C]
  return tf.reshape(u, [...lead, gh * gw, p * p * c]);
}

/** Inverse of patchify: x [..., (H/p)·(W/p), p·p·C] → [..., H, W, C]. */
export function unpatchify(x: Tensor, p: number, h: number, w: number, c: number): Tensor {
  const gh = h / p;
  const gw = w / p;
  const [np, pd] = x.shape.slice(-2) as [number, number];
  if (np !== gh * gw || pd !== p * p * c) {
    throw new LaraError('unpatchify shape mismatch', { expected: `[..., ${gh * gw}, ${p * p * c}]`, got: `[..., ${np}, ${pd}]` });
  }
  const lead = x.shape.slice(0, -2);
  const n = lead.reduce((a, b) => a * b, 1);
  const t = tf.reshape(x, [n, gh, gw, p, p * c]); // [n, gh, gw, p, p·C]
  const u = tf.transpose(t, [0, 1, 3, 2, 4]); // [n, gh, p, gw, p·C]
  return tf.reshape(u, [...lead, h, w, c]);
}
