/**
 * Activations with hand-written gradients (fewer kernels; no x.pow, which is slow on wasm).
 * GELU uses 0.5·(1 + tanh u) = sigmoid(2u): stock wasm's Tanh is a scalar loop (~20× slower than
 * its XNNPACK Sigmoid).
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { fusedActive } from '../backend/native.ts';

type Save = (ts: Tensor[]) => void;
const K = Math.sqrt(2 / Math.PI);
const C = 0.044715;

const geluTanh = tf.customGrad(((x: Tensor, save: Save) => {
  const x2 = tf.square(x);
  const u2 = tf.mul(x, tf.add(tf.mul(x2, 2 * K * C), 2 * K)); // 2u = 2k·(x + c·x³)
  const s = tf.sigmoid(u2); // = 0.5·(1 + tanh u)
  save([x, x2, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy: Tensor, [sx, sx2, ss]: Tensor[]) => {
      // d/dx x·σ(2u) = σ + x·σ(1−σ)·2k(1 + 3c·x²)
      const ds = tf.mul(ss!, tf.sub(1, ss!));
      const du2 = tf.add(tf.mul(sx2!, 6 * K * C), 2 * K);
      const g = tf.add(ss!, tf.mul(tf.mul(sx!, ds), du2));
      return [tf.mul(dy, g)];
    },
  };
}) as never) as <T extends Tensor>(x: T) => T;

/** The same GELU as one native kernel each way (LaraGelu, src/backend/native-fused.ts). */
const geluNative = tf.customGrad(((x: Tensor, save: Save) => {
  save([x]);
  return {
    value: tf.engine().runKernel('LaraGelu', { x }, {}) as Tensor,
    gradFunc: (dy: Tensor, [sx]: Tensor[]) => [tf.engine().runKernel('LaraGeluGrad', { x: sx!, dy }, {}) as Tensor],
  };
}) as never) as <T extends Tensor>(x: T) => T;

/** GELU, tanh approximation (as PyTorch's approximate='tanh'). */
export function gelu<T extends Tensor>(x: T): T {
  return fusedActive('LaraGelu') && fusedActive('LaraGeluGrad') && x.dtype === 'float32' ? geluNative(x) : geluTanh(x);
}
