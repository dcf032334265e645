/**
 * Dynamics model (Genie §2): a MaskGIT ST-transformer over tokenizer tokens. Latent actions
 * enter as additive embeddings under stop-gradient: action a_t (transition t → t+1) is added to
 * every token of frame t+1. Causal temporal attention makes the logits of frame t depend only on
 * frames 1..t and actions a_1..a_{t-1}.
 *
 * Dimension legend: B clips, T frames, N tokens per frame, V vocabulary (id V = the mask
 * token), D width, Dc action dimension.
 */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';
import { Embedding } from '../nn/embedding.ts';
import { LayerNorm } from '../nn/layernorm.ts';
import { Linear } from '../nn/linear.ts';
import { softmaxCrossEntropy } from '../nn/losses.ts';
import type { Scope } from '../nn/params.ts';
import { STStack } from '../nn/st_block.ts';
import { LaraError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import { PosEmbedding, stopGradient } from '../world/layers.ts';
import { checkTokens } from '../world/shapes.ts';
import type { DynamicsModelConfig } from './config.ts';

export interface DynamicsOutput {
  /** Logits [B, T, N, V]. */
  logits: Tensor;
  /** Cross-entropy over masked tokens. */
  loss: Scalar;
}

/**
 * Classifier-free-guidance dropout: each clip's actions [B, T-1, Dc] become the null action (zeros)
 * with probability p, one draw per clip from `rng` (no draw at all when p = 0).
 */
export function dropActions(actions: Tensor, p: number, rng: Rng): Tensor {
  if (p <= 0) return actions;
  const b = actions.shape[0]!;
  const keep = Float32Array.from({ length: b }, () => (rng.next() < p ? 0 : 1));
  return tf.tidy(() => tf.mul(actions, tf.tensor3d(keep, [b, 1, 1]))); // [B, T-1, Dc]
}

export class DynamicsModel {
  readonly n: number;
  readonly maskId: number;
  readonly embed: Embedding;
  readonly pos: PosEmbedding;
  readonly actionIn: Linear;
  readonly body: STStack;
  readonly norm: LayerNorm;
  readonly head: Linear;

  /** Parameters under `scope` (conventionally 'dynamics'). */
  constructor(
    scope: Scope,
    readonly cfg: DynamicsModelConfig,
  ) {
    const c = cfg;
    const b = c.body;
    this.n = c.gridH * c.gridW;
    this.maskId = c.vocab;
    this.embed = new Embedding(scope.child('embed'), c.vocab + 1, b.width);
    this.pos = new PosEmbedding(scope.child('pos'), this.n, c.frames, b.width, c.spatialInit === 'sincos2d' ? [c.gridH, c.gridW] : undefined);
    this.actionIn = new Linear(scope.child('action'), c.actionDim, b.width);
    this.body = new STStack(scope.child('body'), b.width, { layers: b.layers, heads: b.heads, mlpRatio: b.ffnMult, qkNorm: b.qkNorm, ...(c.spatialBias ? { relGrid: [c.gridH, c.gridW] as const } : {}) });
    this.norm = new LayerNorm(scope.child('ln_f'), b.width);
    this.head = new Linear(scope.child('head'), b.width, c.vocab);
  }

  /**
   * Logits for every position. tokens int32 [B, T, N]; mask bool/0-1 [B, T, N] (true = replaced
   * by the mask token); actions [B, ≥T-1, Dc] (a_t leads from frame t to t+1; extra ones ignored).
   */
  logits(tokens: Tensor, mask: Tensor, actions: Tensor): Tensor {
    checkTokens(tokens, this.n, this.cfg.frames, 'dynamics');
    const [b, t] = tokens.shape as [number, number, number];
    const d = this.cfg.body.width;
    if (actions.rank !== 3 || actions.shape[0] !== b || actions.shape[1]! < t - 1 || actions.shape[2] !== this.cfg.actionDim) {
      throw new LaraError('dynamics: actions have the wrong shape', { expected: `[${b}, ≥ ${t - 1}, ${this.cfg.actionDim}]`, got: `[${actions.shape.join(', ')}]` });
    }
    const ids = tf.where(tf.cast(mask, 'bool'), tf.fill(tokens.shape, this.maskId, 'int32'), tf.cast(tokens, 'int32')); // [B, T, N]
    let h = this.pos.apply(this.embed.apply(ids)); // [B, T, N, D]
    if (t > 1) {
      let a = stopGradient(tf.slice(actions, [0, 0, 0], [b, t - 1, this.cfg.actionDim])); // [B, T-1, Dc]
      if (this.cfg.actionGain !== 1) a = tf.mul(a, this.cfg.actionGain);
      const ah = tf.reshape(this.actionIn.apply(a), [b, t - 1, 1, d]); // [B, T-1, 1, D]
      h = tf.add(h, tf.concat([tf.zeros([b, 1, 1, d]), ah], 1)); // a_t onto frame t+1
    }
    h = this.norm.apply(this.body.apply(h)); // [B, T, N, D]
    return this.head.apply(h); // [B, T, N, V]
  }

  /**
   * Training forward: cross-entropy on the masked tokens, a token that changed since the previous
   * frame weighted `changeWeight` against 1 for an unchanged one.
   */
  forward(tokens: Tensor, mask: Tensor, actions: Tensor): DynamicsOutput {
    const logits = this.logits(tokens, mask, actions);
    return { logits, loss: softmaxCrossEntropy(logits, tokens, this.lossWeights(tokens, mask)) };
  }

  /** Per-token loss weights [B, T, N]: the mask, times changeWeight where the token changed. */
  lossWeights(tokens: Tensor, mask: Tensor): Tensor {
    return tf.tidy(() => {
      const m = tf.cast(mask, 'float32'); // [B, T, N]
      const w = this.cfg.changeWeight;
      const [b, t, n] = tokens.shape as [number, number, number];
      if (w === 1 || t < 2) return m;
      const ids = tf.cast(tokens, 'int32');
      const prev = tf.slice(ids, [0, 0, 0], [b, t - 1, n]); // [B, T-1, N]
      const next = tf.slice(ids, [0, 1, 0], [b, t - 1, n]); // [B, T-1, N]
      const changed = tf.concat([tf.zeros([b, 1, n]), tf.cast(tf.notEqual(prev, next), 'float32')], 1); // [B, T, N]
      return tf.mul(m, tf.add(1, tf.mul(changed, w - 1)));
    });
  }
}
