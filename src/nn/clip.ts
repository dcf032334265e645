/** Global-norm gradient clipping. */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';

/** √(Σ‖g‖²) over all gradients, as a scalar tensor. */
export function globalNorm(grads: Iterable<Tensor>): Scalar {
  return tf.tidy(() => {
    const parts: Tensor[] = [];
    for (const g of grads) parts.push(tf.sum(tf.square(tf.reshape(g, [-1])))); // (wasm sums a rank-0 tensor to 0)
    return tf.sqrt(parts.length ? tf.addN(parts) : tf.scalar(0)) as Scalar;
  });
}

/**
 * Scale every gradient by min(1, maxNorm/‖g‖) where ‖g‖ is the global norm. Returns new
 * tensors (the inputs are not disposed) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: Map<string, Tensor>, maxNorm: number): { grads: Map<string, Tensor>; norm: Scalar } {
  const norm = globalNorm(grads.values());
  const out = new Map<string, Tensor>();
  tf.tidy(() => {
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    for (const [k, g] of grads) out.set(k, tf.keep(tf.mul(g, scale)));
  });
  return { grads: out, norm };
}
