/** Activations with hand-written gradients (fewer kernels; no x.pow, which is slow on wasm). */
import { tf, type Tensor } from '../backend/tf.ts';

type Save = (ts: Tensor[]) => void;
const K = Math.sqrt(2 / Math.PI);
const C = 0.044715;

const geluTanh = tf.customGrad(((x: Tensor, save: Save) => {
  const x2 = tf.square(x);
  const inner = tf.mul(x, tf.add(tf.mul(x2, K * C), K)); // k·(x + c·x³)
  const t = tf.tanh(inner);
  save([x, x2, t]);
  return {
    value: tf.mul(tf.mul(x, 0.5), tf.add(t, 1)),
    gradFunc: (dy: Tensor, [sx, sx2, st]: Tensor[]) => {
      // d/dx = 0.5(1+t) + 0.5·x·(1−t²)·k(1+3c·x²)
      const sech2 = tf.sub(1, tf.square(st!));
      const dInner = tf.add(tf.mul(sx2!, 3 * K * C), K);
      const g = tf.add(tf.mul(tf.add(st!, 1), 0.5), tf.mul(tf.mul(tf.mul(sx!, 0.5), sech2), dInner));
      return [tf.mul(dy, g)];
    },
  };
}) as never) as <T extends Tensor>(x: T) => T;

/** GELU, tanh approximation (as PyTorch's approximate='tanh'). */
export function gelu<T extends Tensor>(x: T): T {
  return geluTanh(x);
}
