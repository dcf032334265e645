/**
 * Genie's ST-transformer block (§2, Fig. 4): spatial attention over the N tokens of each frame,
 * then causal temporal attention over the T frames of each token position, then ONE feed-forward
 * layer; pre-LayerNorm residuals around each. STStack is a stack of blocks.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { MultiHeadAttention } from './attention.ts';
import { FeedForward } from './ffn.ts';
import { LayerNorm } from './layernorm.ts';
import type { Scope } from './params.ts';

export interface STBlockOptions {
  /** Attention heads (divide the width). */
  heads: number;
  /** FFN hidden width = mlpRatio · D (default 4). */
  mlpRatio?: number;
  /** QK-norm in both attentions (default false). */
  qkNorm?: boolean;
  /** Causal temporal attention (default true; Genie's blocks are causal in time). */
  temporalCausal?: boolean;
  /** Std of weight init (default 0.02). */
  initStd?: number;
  /** Frames are [rows, cols] token grids: spatial attention gets a relative 2-D position bias. */
  relGrid?: readonly [number, number];
}

export class STBlock {
  readonly ln1: LayerNorm;
  readonly spatial: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly temporal: MultiHeadAttention;
  readonly ln3: LayerNorm;
  readonly mlp: FeedForward;

  /**
   * Parameters under the scope: ln1, spatial.{qkv,out}, ln2, temporal.{qkv,out}, ln3,
   * mlp.fc1 [D, rD], mlp.fc2 [rD, D].
   */
  constructor(
    scope: Scope,
    readonly dim: number,
    opts: STBlockOptions,
  ) {
    const std = opts.initStd ?? 0.02;
    const hidden = Math.round((opts.mlpRatio ?? 4) * dim);
    this.ln1 = new LayerNorm(scope.child('ln1'), dim);
    this.spatial = new MultiHeadAttention(scope.child('spatial'), dim, { heads: opts.heads, qkNorm: opts.qkNorm, initStd: std, ...(opts.relGrid ? { relGrid: opts.relGrid } : {}) });
    this.ln2 = new LayerNorm(scope.child('ln2'), dim);
    this.temporal = new MultiHeadAttention(scope.child('temporal'), dim, {
      heads: opts.heads,
      causal: opts.temporalCausal ?? true,
      qkNorm: opts.qkNorm,
      initStd: std,
    });
    this.ln3 = new LayerNorm(scope.child('ln3'), dim);
    this.mlp = new FeedForward(scope.child('mlp'), dim, hidden, std);
  }

  /** h [B, T, S, D] → [B, T, S, D]. */
  apply(h: Tensor): Tensor {
    const [b, t, s, d] = h.shape as [number, number, number, number];
    const rows = b * t * s;
    let x = tf.reshape(h, [rows, d]); // [BTS, D]
    const a = this.spatial.attendOver(tf.reshape(this.ln1.apply(x), [b * t, s, 1, d])); // [BT, S, 1, D]
    x = tf.add(x, tf.reshape(a, [rows, d]));
    const c = this.temporal.attendOver(tf.reshape(this.ln2.apply(x), [b, t, s, d])); // [B, T, S, D]
    x = tf.add(x, tf.reshape(c, [rows, d]));
    const m = this.mlp.apply(this.ln3.apply(x)); // [BTS, D]
    x = tf.add(x, m);
    return tf.reshape(x, [b, t, s, d]);
  }
}

export interface STStackOptions extends STBlockOptions {
  /** Number of blocks. */
  layers: number;
}

export class STStack {
  readonly blocks: STBlock[] = [];

  /** Parameters `<scope>.blocks.<i>.*`. */
  constructor(scope: Scope, dim: number, opts: STStackOptions) {
    for (let i = 0; i < opts.layers; i++) this.blocks.push(new STBlock(scope.child('blocks').child(i), dim, opts));
  }

  /** h [B, T, S, D] → [B, T, S, D]. */
  apply(h: Tensor): Tensor {
    for (const blk of this.blocks) h = blk.apply(h);
    return h;
  }
}
