/**
 * Float one-hot vectors. tfjs-backend-wasm 4.22's OneHot kernel ignores dtype 'float32' and
 * writes int32 bit patterns (1 reads as 1.4e-45), so build int32 and cast.
 */
import { tf, type Tensor } from '../backend/tf.ts';

/** ids int [...] → float32 [..., depth]. */
export function oneHotF32(ids: Tensor, depth: number): Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), depth), 'float32'));
}
