/** Losses with fused, hand-written gradients. */
import { tf, type Scalar, type Tensor, type Tensor2D } from '../backend/tf.ts';
import { fusedActive } from '../backend/native.ts';

type Save = (ts: Tensor[]) => void;

/**
 * Mean softmax cross-entropy of `logits` [..., V] against integer `labels` [...]. With `weights`
 * [...] (e.g. a MaskGIT mask) it is Σ wᵢ·nllᵢ / Σ wᵢ. Gradient (softmax − onehot)·w/Σw is
 * computed directly, not through autodiff of log-softmax.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, weights?: Tensor): Scalar {
  const v = logits.shape[logits.rank - 1]!;
  const l2 = tf.reshape(logits, [-1, v]) as Tensor2D; // [N, V]
  const n = l2.shape[0];
  const lab = tf.reshape(labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32'), [n]) as tf.Tensor1D; // [N]
  const w = weights ? (tf.reshape(tf.cast(weights, 'float32'), [n, 1]) as Tensor2D) : undefined; // [N, 1]
  if (fusedActive('LaraXent') && fusedActive('LaraXentGrad') && logits.dtype === 'float32') return xentNative(l2, lab, w);
  const f = tf.customGrad(((x: Tensor2D, save: Save) => {
    const m = tf.max(x, -1, true); // [N, 1]
    const z = tf.sub(x, m); // [N, V]
    const e = tf.exp(z); // [N, V]
    const s = tf.sum(e, -1, true); // [N, 1]
    const idx = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(v, 'int32')), lab); // [N] flat positions of the labels
    const picked = tf.sub(tf.reshape(tf.gather(tf.reshape(z, [-1]), idx), [n, 1]), tf.log(s)); // [N, 1] log p(label)
    let loss: Scalar;
    let scale: Tensor; // [N, 1] or scalar: d loss / d nll_i
    if (w) {
      const total = tf.maximum(tf.sum(w), 1e-12);
      loss = tf.div(tf.neg(tf.sum(tf.mul(picked, w))), total) as Scalar;
      scale = tf.div(w, total);
    } else {
      loss = tf.neg(tf.mean(picked)) as Scalar;
      scale = tf.scalar(1 / n);
    }
    save([e, tf.reciprocal(s), scale, idx]); // softmax = e / s in the backward (no second exp)
    return {
      value: loss,
      gradFunc: (dy: Scalar, [se, sinv, sscale, sidx]: Tensor[]) => {
        // (softmax − onehot)·scale·dy in two passes over [N, V]: g = e·(scale·dy/s), then
        // subtract scale·dy at the N label positions (gather + scatter-update, not a one-hot).
        const k = tf.mul(tf.mul(sscale!, dy), tf.ones([n, 1])); // [N, 1]
        const g = tf.reshape(tf.mul(se!, tf.mul(sinv!, k)), [-1]); // [N·V]
        const at = tf.reshape(sidx!, [n, 1]);
        const fixed = tf.sub(tf.gather(g, sidx!), tf.reshape(k, [n])); // [N]
        return [tf.reshape(tf.tensorScatterUpdate(g, at, fixed), [n, v])];
      },
    };
  }) as never) as (x: Tensor2D) => Scalar;
  return f(l2);
}

/** The same loss and gradient as two native kernels (LaraXent, src/backend/native-fused.ts). */
function xentNative(l2: Tensor2D, labels: tf.Tensor1D, w: Tensor2D | undefined): Scalar {
  const f = tf.customGrad(((x: Tensor2D, save: Save) => {
    const inputs: Record<string, Tensor> = { logits: x, labels };
    if (w) inputs.weights = w;
    const [loss, prob, scale] = tf.engine().runKernel('LaraXent', inputs, {}) as Tensor[];
    save([prob!, scale!]);
    return {
      value: loss as Scalar,
      gradFunc: (dy: Scalar, [sprob, sscale]: Tensor[]) => [
        tf.engine().runKernel('LaraXentGrad', { prob: sprob!, labels, scale: sscale!, dy }, {}) as Tensor,
      ],
    };
  }) as never) as (x: Tensor2D) => Scalar;
  return f(l2);
}

/** Mean squared error over all elements. */
export function mse(pred: Tensor, target: Tensor): Scalar {
  return tf.mean(tf.squaredDifference(pred, target)) as Scalar;
}

/**
 * Mean squared off-diagonal correlation of the columns of z [M, D] over the batch (0 when the
 * D dimensions are uncorrelated, 1 when they all lie on one line; 0 for D = 1). A penalty on it
 * (like VICReg's covariance term, Bardes et al. 2022) stops a D-dimensional latent from
 * collapsing onto one direction.
 */
export function offDiagonalCorrelation(z: Tensor): Scalar {
  return tf.tidy(() => {
    const [m, d] = z.shape as [number, number];
    if (d < 2) return tf.scalar(0) as Scalar;
    const c = tf.sub(z, tf.mean(z, 0, true)); // [M, D]
    const cov = tf.div(tf.matMul(c, c, true, false), m); // [D, D]
    const sd = tf.sqrt(tf.add(tf.mean(tf.square(c), 0), 1e-8)) as tf.Tensor1D; // [D]
    const corr = tf.div(cov, tf.outerProduct(sd, sd)); // [D, D]
    const off = tf.mul(tf.square(corr), tf.sub(1, tf.eye(d))); // [D, D], diagonal zeroed
    return tf.div(tf.sum(off), d * (d - 1)) as Scalar;
  });
}
