/** One optimisation step: loss and gradients, optional clipping, AdamW update, loss read back. */
import { tf, type Scalar } from '../backend/tf.ts';
import type { AdamW } from './adamw.ts';
import { clipByGlobalNorm } from './clip.ts';
import type { ParamStore } from './params.ts';

export interface StepResult {
  loss: number;
  lr: number;
  /** Global gradient norm before clipping (only when clipNorm is set). */
  gradNorm?: number;
}

/**
 * Runs lossFn under a gradient tape, updates the store's parameters and returns the loss as a
 * number. Tensors made inside are disposed; to keep an auxiliary output (e.g. VQ indices), call
 * tf.keep on it inside lossFn and dispose it yourself.
 */
export function trainStep(store: ParamStore, opt: AdamW, lossFn: () => Scalar, opts: { clipNorm?: number } = {}): StepResult {
  return tf.tidy(() => {
    const { loss, grads } = store.valueAndGrads(lossFn);
    let gradNorm: number | undefined;
    let lr: number;
    if (opts.clipNorm !== undefined && opts.clipNorm > 0) {
      const c = clipByGlobalNorm(grads, opts.clipNorm);
      gradNorm = c.norm.dataSync()[0]!;
      lr = opt.apply(c.grads);
      for (const g of c.grads.values()) g.dispose(); // kept by clipByGlobalNorm, so not freed by this tidy
    } else {
      lr = opt.apply(grads);
    }
    const value = loss.dataSync()[0]!;
    return gradNorm === undefined ? { loss: value, lr } : { loss: value, lr, gradNorm };
  }) as StepResult;
}
