/**
 * A stack of token-wise residual blocks, x ← x + FFN(LN(x)) (the final LayerNorm is the
 * caller's, as after an STStack): no attention and no positions, so each output row depends
 * only on its own input row. The video tokenizer's `localEncoder` uses it, so a patch's token
 * depends only on that patch's pixels.
 * Dimension legend: D width; any leading dims are flattened into rows.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { FeedForward } from './ffn.ts';
import { LayerNorm } from './layernorm.ts';
import type { Scope } from './params.ts';

export interface TokenMlpOptions {
  layers: number;
  /** Hidden width = mlpRatio · D (default 4). */
  mlpRatio?: number;
  initStd?: number;
}

export class TokenMlpStack {
  readonly norms: LayerNorm[] = [];
  readonly ffns: FeedForward[] = [];

  /** Parameters `<scope>.blocks.<i>.{ln, mlp.fc1, mlp.fc2}`. */
  constructor(scope: Scope, readonly dim: number, opts: TokenMlpOptions) {
    const hidden = Math.round((opts.mlpRatio ?? 4) * dim);
    for (let i = 0; i < opts.layers; i++) {
      const s = scope.child('blocks').child(i);
      this.norms.push(new LayerNorm(s.child('ln'), dim));
      this.ffns.push(new FeedForward(s.child('mlp'), dim, hidden, opts.initStd));
    }
  }

  /** h [..., D] → [..., D], each row on its own. */
  apply(h: Tensor): Tensor {
    const shape = h.shape;
    let x = tf.reshape(h, [-1, this.dim]); // [M, D]
    for (let i = 0; i < this.ffns.length; i++) x = tf.add(x, this.ffns[i]!.apply(this.norms[i]!.apply(x)));
    return tf.reshape(x, shape);
  }
}
