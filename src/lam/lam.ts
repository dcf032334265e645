/**
 * Latent action model (Genie §2): the encoder sees x_1..x_{t+1} and emits a_t; a VQ with |A|
 * codes (8 by default) bottlenecks it; the decoder sees x_1..x_t and a_t and reconstructs
 * x_{t+1}. Causal temporal attention lets one pass over a clip x_1..x_T give a_1..a_{T-1}.
 * The encoder reads each frame's action from a learned action token appended to the frame's
 * patches. Input 'pixels' (the paper): patches of raw [0,1] pixels, sigmoid output, MSE loss.
 * Input 'tokens' (the ablation): tokenizer token ids, next-frame token logits, cross-entropy.
 *
 * Dimension legend: B clips, T frames, N patches (or tokens) per frame, P patch values,
 * E / D encoder / decoder width, Dc code dimension, V the tokenizer vocabulary.
 */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';
import { Embedding } from '../nn/embedding.ts';
import { init } from '../nn/init.ts';
import { LayerNorm } from '../nn/layernorm.ts';
import { Linear } from '../nn/linear.ts';
import { mse, softmaxCrossEntropy } from '../nn/losses.ts';
import type { Scope } from '../nn/params.ts';
import { patchify, unpatchify } from '../nn/patch.ts';
import { STStack } from '../nn/st_block.ts';
import { VectorQuantizer } from '../nn/vq.ts';
import type { Variable } from '../backend/tf.ts';
import { PosEmbedding } from '../world/layers.ts';
import { checkFrames, checkTokens } from '../world/shapes.ts';
import type { LamModelConfig } from './config.ts';

export interface LamActions {
  /** Straight-through quantised actions [B, T-1, Dc]. */
  actions: Tensor;
  /** Action codes int32 [B, T-1]. */
  codes: Tensor;
  /** Pre-quantisation encoder outputs [B, T-1, Dc]. */
  latents: Tensor;
  vqLoss: Scalar;
}

export interface LamOutput extends LamActions {
  /** 'pixels': predicted x_2..x_T [B, T-1, H, W, C] in (0,1); 'tokens': logits [B, T-1, N, V]. */
  prediction: Tensor;
  reconLoss: Scalar;
  loss: Scalar;
}

export class LatentActionModel {
  readonly n: number;
  readonly inDim: number;
  readonly tokens: boolean;
  readonly encIn: Linear | Embedding;
  readonly actionToken: Variable; // [1, E]
  readonly encPos: PosEmbedding;
  readonly encoder: STStack;
  readonly encNorm: LayerNorm;
  readonly toCode: Linear;
  readonly vq: VectorQuantizer;
  readonly decIn: Linear | Embedding;
  readonly actionIn: Linear;
  readonly decPos: PosEmbedding;
  readonly decoder: STStack;
  readonly decNorm: LayerNorm;
  readonly outProj: Linear;
  readonly copyGain: Variable | undefined; // [1], tokens + residual only

  /** Parameters under `scope` (conventionally 'lam'). */
  constructor(
    scope: Scope,
    readonly cfg: LamModelConfig,
  ) {
    const c = cfg;
    this.tokens = c.input === 'tokens';
    this.n = this.tokens ? (c.height / c.tokenPatch) * (c.width / c.tokenPatch) : (c.height / c.patch) * (c.width / c.patch);
    this.inDim = this.tokens ? c.tokenVocab : c.patch * c.patch * c.channels;
    const enc = scope.child('encoder');
    const dec = scope.child('decoder');
    const e = c.encoder;
    const d = c.decoder;
    this.encIn = this.tokens ? new Embedding(enc.child('in'), c.tokenVocab, e.width) : new Linear(enc.child('in'), this.inDim, e.width);
    this.actionToken = enc.param('action_token', [1, e.width], init.normal(0.02));
    this.encPos = new PosEmbedding(enc.child('pos'), this.n + 1, c.frames, e.width);
    this.encoder = new STStack(enc, e.width, { layers: e.layers, heads: e.heads, mlpRatio: e.ffnMult, qkNorm: e.qkNorm });
    this.encNorm = new LayerNorm(enc.child('ln_f'), e.width);
    this.toCode = new Linear(enc.child('out'), e.width, c.codeDim);
    this.vq = new VectorQuantizer(scope.child('vq'), { codes: c.codes, dim: c.codeDim, beta: c.commitment, deadAfter: c.resetAfter });
    this.decIn = this.tokens ? new Embedding(dec.child('in'), c.tokenVocab, d.width) : new Linear(dec.child('in'), this.inDim, d.width);
    this.actionIn = new Linear(dec.child('action'), c.codeDim, d.width);
    this.decPos = new PosEmbedding(dec.child('pos'), this.n, c.frames, d.width);
    this.decoder = new STStack(dec, d.width, { layers: d.layers, heads: d.heads, mlpRatio: d.ffnMult, qkNorm: d.qkNorm });
    this.decNorm = new LayerNorm(dec.child('ln_f'), d.width);
    this.outProj = new Linear(dec.child('out'), d.width, this.tokens ? c.tokenVocab : this.inDim);
    this.copyGain = this.tokens && c.residual ? dec.param('copy_gain', [1], init.constant(4)) : undefined;
  }

  /** Per-frame inputs [B, T, N, P] (pixels) or token ids [B, T, N] → embedded [B, T, N, width]. */
  #embed(layer: Linear | Embedding, x: Tensor): Tensor {
    return layer instanceof Embedding ? layer.apply(x) : layer.apply(x, { inputGrad: false });
  }

  /** Model inputs from a clip: pixel patches [B, T, N, P] or the token ids [B, T, N] themselves. */
  inputs(clip: Tensor): Tensor {
    const c = this.cfg;
    if (this.tokens) {
      checkTokens(clip, this.n, c.frames, 'LAM (tokens)');
      return clip;
    }
    checkFrames(clip, c.height, c.width, c.channels, c.frames, 'LAM');
    return patchify(clip, c.patch); // [B, T, N, P]
  }

  /** Encoder + VQ: clip (frames [B,T,H,W,C] or tokens [B,T,N]) → actions a_1..a_{T-1}. */
  encodeActionsDiff(clip: Tensor): LamActions {
    const x = this.inputs(clip);
    const [b, t] = x.shape as [number, number];
    const e = this.cfg.encoder.width;
    const h0 = this.#embed(this.encIn, x); // [B, T, N, E]
    const act = tf.broadcastTo(tf.reshape(this.actionToken, [1, 1, 1, e]), [b, t, 1, e]); // [B, T, 1, E]
    let h = this.encPos.apply(tf.concat([h0, act], 2)); // [B, T, N+1, E]
    h = this.encNorm.apply(this.encoder.apply(h)); // [B, T, N+1, E]
    const a = tf.slice(h, [0, 1, this.n, 0], [b, t - 1, 1, e]); // action tokens of frames 2..T [B, T-1, 1, E]
    const z = this.toCode.apply(tf.reshape(a, [b, t - 1, e])); // [B, T-1, Dc]
    const v = this.vq.apply(z);
    return { actions: v.quantized, codes: v.indices, latents: z, vqLoss: v.loss };
  }

  /** Decoder: x_1..x_{T-1} inputs and actions [B, T-1, Dc] → predictions of x_2..x_T. */
  decode(x: Tensor, actions: Tensor): Tensor {
    const c = this.cfg;
    const [b, t] = x.shape as [number, number];
    const d = c.decoder.width;
    const prev = this.tokens ? tf.slice(x, [0, 0, 0], [b, t - 1, this.n]) : tf.slice(x, [0, 0, 0, 0], [b, t - 1, this.n, this.inDim]);
    const ah = tf.reshape(this.actionIn.apply(actions), [b, t - 1, 1, d]); // [B, T-1, 1, D]
    let h = tf.add(this.#embed(this.decIn, prev), ah); // [B, T-1, N, D]
    h = this.decNorm.apply(this.decoder.apply(this.decPos.apply(h))); // [B, T-1, N, D]
    let y = this.outProj.apply(h); // [B, T-1, N, P] or [B, T-1, N, V]
    if (this.tokens) {
      // residual: a learned bonus on the logit of x_t's token at each position
      if (this.copyGain) y = tf.add(y, tf.mul(tf.oneHot(tf.cast(prev, 'int32'), c.tokenVocab), this.copyGain));
      return y;
    }
    if (c.residual) {
      const p = tf.clipByValue(prev, 1e-3, 1 - 1e-3); // [B, T-1, N, P]
      y = tf.add(y, tf.log(tf.div(p, tf.sub(1, p)))); // logit(x_t) + output
    }
    return unpatchify(tf.sigmoid(y), c.patch, c.height, c.width, c.channels); // [B, T-1, H, W, C]
  }

  /** Training forward: actions, next-frame predictions and losses. */
  forward(clip: Tensor): LamOutput {
    const x = this.inputs(clip);
    const [b, t] = x.shape as [number, number];
    const enc = this.encodeActionsDiff(clip);
    const prediction = this.decode(x, enc.actions);
    let reconLoss: Scalar;
    if (this.tokens) {
      const target = tf.slice(clip, [0, 1, 0], [b, t - 1, this.n]); // [B, T-1, N]
      reconLoss = softmaxCrossEntropy(prediction, target);
    } else {
      const c = this.cfg;
      reconLoss = mse(prediction, tf.slice(clip, [0, 1, 0, 0, 0], [b, t - 1, c.height, c.width, c.channels]));
    }
    return { ...enc, prediction, reconLoss, loss: tf.add(reconLoss, enc.vqLoss) as Scalar };
  }

  /** What labelling calls: clip → action codes int32 [B, T-1]. */
  encodeActions(clip: Tensor): Tensor {
    return tf.tidy(() => {
      const x = this.inputs(clip);
      const [b, t] = x.shape as [number, number];
      const e = this.cfg.encoder.width;
      const h0 = this.#embed(this.encIn, x);
      const act = tf.broadcastTo(tf.reshape(this.actionToken, [1, 1, 1, e]), [b, t, 1, e]);
      const h = this.encNorm.apply(this.encoder.apply(this.encPos.apply(tf.concat([h0, act], 2))));
      const a = tf.reshape(tf.slice(h, [0, 1, this.n, 0], [b, t - 1, 1, e]), [b, t - 1, e]);
      return this.vq.encode(this.toCode.apply(a)); // [B, T-1]
    });
  }

  /** Action vectors for codes [B, T-1] → [B, T-1, Dc] (what the dynamics model consumes). */
  actionVectors(codes: Tensor): Tensor {
    return this.vq.lookup(codes);
  }

  /** The codebook [|A|, Dc] as plain numbers (normalised as used), for export. */
  codebook(): number[][] {
    const t = this.vq.table();
    const rows = t.arraySync() as number[][];
    if (this.vq.cosine) t.dispose();
    return rows;
  }
}
