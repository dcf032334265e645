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
import { mse, offDiagonalCorrelation, softmaxCrossEntropy } from '../nn/losses.ts';
import type { Scope } from '../nn/params.ts';
import { patchify, unpatchify } from '../nn/patch.ts';
import { STStack } from '../nn/st_block.ts';
import { SoftArgmax } from '../nn/softargmax.ts';
import { l2Normalize, VectorQuantizer } from '../nn/vq.ts';
import type { Variable } from '../backend/tf.ts';
import { PosEmbedding, stopGradient } from '../world/layers.ts';
import { checkFrames, checkTokens } from '../world/shapes.ts';
import { LaraError } from '../util/errors.ts';
import type { LamModelConfig } from './config.ts';
import { warpComposite } from './warp.ts';

/** centerLatents: EMA rate of the inference mean zMean (updateCenter). */
const CENTER_RATE = 0.1;

/** head 'warp': initial logit bonus of the painted layer's mask, and of each kernel's centre tap (start near copying x_t). */
const PAINT_BIAS = 2;
const CENTRE_BIAS = 4;

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
  /** decorrelate > 0 in training (batchStats): the latents' off-diagonal correlation, else 0. */
  corrLoss: Scalar;
  loss: Scalar;
}

export class LatentActionModel {
  readonly n: number;
  readonly inDim: number;
  readonly tokens: boolean;
  readonly st: StEncoder | undefined; // encoderKind 'st' (the paper)
  readonly kp: SoftArgmax | undefined; // encoderKind 'keypoints'
  readonly toCode: Linear;
  readonly zMean: Variable | undefined; // [Dc], centerLatents only: running mean of the raw latents
  /** centerLatents: the raw latents' mean [Dc] of the last batch-statistics forward (caller disposes). */
  batchMean: Tensor | undefined;
  readonly vq: VectorQuantizer;
  readonly decIn: Linear | Embedding;
  readonly actionIn: Linear;
  readonly decPos: PosEmbedding;
  readonly decoder: STStack;
  readonly decNorm: LayerNorm;
  readonly outProj: Linear;
  readonly copyGain: Variable | undefined; // [1], tokens + residual only
  readonly kernelProj: Linear | undefined; // head 'warp': a_t → K motion kernels of k² taps

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
    if (c.encoderKind === 'keypoints') {
      if (this.tokens) throw new LaraError("LAM encoderKind 'keypoints' needs pixel input", { where: 'model.encoderKind', expected: "'st' with model.input 'tokens'", got: "'keypoints'" });
      if (c.height % c.kpPatch !== 0 || c.width % c.kpPatch !== 0) throw new LaraError('frame size must be a multiple of kpPatch', { where: 'model.kpPatch', expected: `a divisor of ${c.height} and ${c.width}`, got: String(c.kpPatch) });
      const gh = c.height / c.kpPatch;
      const gw = c.width / c.kpPatch;
      this.kp = new SoftArgmax(enc.child('kp'), c.kpPatch * c.kpPatch * c.channels, c.kpHidden, c.keypoints, gh, gw);
      this.toCode = new Linear(enc.child('out'), 2 * c.keypoints, c.codeDim, { init: init.glorot() });
    } else {
      this.st = {
        encIn: this.tokens ? new Embedding(enc.child('in'), c.tokenVocab, e.width) : new Linear(enc.child('in'), this.inDim, e.width),
        actionToken: enc.param('action_token', [1, e.width], init.normal(0.02)),
        encPos: new PosEmbedding(enc.child('pos'), this.n + 1, c.frames, e.width),
        encoder: new STStack(enc, e.width, { layers: e.layers, heads: e.heads, mlpRatio: e.ffnMult, qkNorm: e.qkNorm }),
        encNorm: new LayerNorm(enc.child('ln_f'), e.width),
      };
      this.toCode = new Linear(enc.child('out'), e.width, c.codeDim);
    }
    this.zMean = c.centerLatents ? enc.param('z_mean', [c.codeDim], init.zeros()) : undefined;
    const cube = c.quantizer === 'cube';
    if (cube && c.codes !== 2 ** c.codeDim) throw new LaraError("quantizer 'cube' has 2^codeDim codes", { where: 'model.codeDim', expected: `log2(codes) = ${Math.log2(c.codes).toFixed(2)} (codes ${c.codes})`, got: String(c.codeDim) });
    this.vq = new VectorQuantizer(scope.child('vq'), { codes: c.codes, dim: c.codeDim, cosine: c.cosine, beta: c.commitment, deadAfter: c.resetAfter, fixed: cube });
    this.decIn = this.tokens ? new Embedding(dec.child('in'), c.tokenVocab, d.width) : new Linear(dec.child('in'), this.inDim, d.width);
    this.actionIn = new Linear(dec.child('action'), c.codeDim, d.width);
    this.decPos = new PosEmbedding(dec.child('pos'), this.n, c.frames, d.width);
    this.decoder = new STStack(dec, d.width, { layers: d.layers, heads: d.heads, mlpRatio: d.ffnMult, qkNorm: d.qkNorm });
    this.decNorm = new LayerNorm(dec.child('ln_f'), d.width);
    const warp = c.head === 'warp';
    if (warp && this.tokens) throw new LaraError("LAM head 'warp' needs pixel input", { where: 'model.head', expected: "'pixels' with model.input 'tokens'", got: "'warp'" });
    if (warp && c.warpSize % 2 === 0) throw new LaraError('warp kernel size must be odd', { where: 'model.warpSize', expected: 'an odd number', got: String(c.warpSize) });
    const outDim = this.tokens ? c.tokenVocab : warp ? c.patch * c.patch * (c.channels + c.warpKernels + 1) : this.inDim;
    this.outProj = new Linear(dec.child('out'), d.width, outDim);
    this.kernelProj = warp ? new Linear(dec.child('kernels'), c.codeDim, c.warpKernels * c.warpSize * c.warpSize) : undefined;
    this.copyGain = this.tokens && c.residual ? dec.param('copy_gain', [1], init.constant(4)) : undefined;
  }

  /** Per-frame inputs [B, T, N, P] (pixels) or token ids [B, T, N] → embedded [B, T, N, width]. */
  #embed(layer: Linear | Embedding, x: Tensor): Tensor {
    return layer instanceof Embedding ? layer.apply(x) : layer.apply(x, { inputGrad: false });
  }

  /**
   * The encoder's pixel input with motion emphasis (`encoderMotion` λ > 0): x_t + λ·(x_t − x_{t−1})
   * per frame (frame 1 unchanged), or only λ·(x_t − x_{t−1}) with `encoderDeltaOnly` (frame 1: zeros),
   * [B, T, N, P] → [B, T, N, P]. Causal (uses x_{t−1}, x_t only).
   */
  #motion(x: Tensor): Tensor {
    const lam = this.cfg.encoderMotion;
    if (this.tokens || lam === 0) return x;
    const [b, t, n, p] = x.shape as [number, number, number, number];
    const prev = tf.concat([tf.slice(x, [0, 0, 0, 0], [b, 1, n, p]), tf.slice(x, [0, 0, 0, 0], [b, t - 1, n, p])], 1); // x_{t−1} [B, T, N, P]
    const d = tf.mul(tf.sub(x, prev), lam);
    return this.cfg.encoderDeltaOnly ? d : tf.add(x, d);
  }

  /** Encoder position embedding [B, T, N+1, E]: spatial + temporal, or temporal only (`spatialPos` 'none' or 'decoder'). */
  #encPositions(st: StEncoder, h: Tensor): Tensor {
    const sp = this.cfg.spatialPos;
    return sp === 'both' || sp === 'encoder' ? st.encPos.apply(h) : temporalOnly(st.encPos, h);
  }

  /** Decoder position embedding [B, T-1, N, D]: spatial + temporal, or temporal only. */
  #decPositions(h: Tensor): Tensor {
    const sp = this.cfg.spatialPos;
    return sp === 'both' || sp === 'decoder' ? this.decPos.apply(h) : temporalOnly(this.decPos, h);
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

  /**
   * Encoder: model inputs [B, T, N, P] (or token ids [B, T, N]) → pre-quantisation latents
   * [B, T-1, Dc]. Readout 'token' (the paper's set-up): z_t = toCode(action token of frame t+1).
   * 'delta': z_t = toCode(token of frame t+1) − toCode(token of frame t), so whatever the token
   * holds for every input (learned token, positions, static scene) cancels and z_t is the change.
   */
  #latents(x: Tensor, batchStats = false): Tensor {
    if (this.kp) return this.#center(this.#keypointLatents(x), batchStats);
    const st = this.st!;
    const [b, t] = x.shape as [number, number];
    const e = this.cfg.encoder.width;
    const h0 = this.#embed(st.encIn, this.#motion(x)); // [B, T, N, E]
    const act = tf.broadcastTo(tf.reshape(st.actionToken, [1, 1, 1, e]), [b, t, 1, e]); // [B, T, 1, E]
    let h = this.#encPositions(st, tf.concat([h0, act], 2)); // [B, T, N+1, E]
    h = st.encNorm.apply(st.encoder.apply(h)); // [B, T, N+1, E]
    if (this.cfg.actionReadout === 'delta') {
      const a = tf.reshape(tf.slice(h, [0, 0, this.n, 0], [b, t, 1, e]), [b, t, e]); // action tokens of all frames
      const zAll = this.toCode.apply(a); // [B, T, Dc]
      const dc = this.cfg.codeDim;
      return this.#center(tf.sub(tf.slice(zAll, [0, 1, 0], [b, t - 1, dc]), tf.slice(zAll, [0, 0, 0], [b, t - 1, dc])), batchStats); // [B, T-1, Dc]
    }
    const a = tf.slice(h, [0, 1, this.n, 0], [b, t - 1, 1, e]); // action tokens of frames 2..T [B, T-1, 1, E]
    return this.#center(this.toCode.apply(tf.reshape(a, [b, t - 1, e])), batchStats); // [B, T-1, Dc]
  }

  /**
   * encoderKind 'keypoints': patches [B, T, N, P] → latents [B, T-1, Dc], a linear map of how far
   * each of the K keypoints moved from frame t to t+1, in pixels.
   */
  #keypointLatents(x: Tensor): Tensor {
    const c = this.cfg;
    const [b, t] = x.shape as [number, number];
    const k = c.keypoints;
    const kp = this.kp!;
    const pos = patchify(unpatchify(x, c.patch, c.height, c.width, c.channels), c.kpPatch); // [B, T, gh·gw, kp²·C]
    const pts = tf.reshape(kp.apply(tf.reshape(pos, [b * t, kp.gh * kp.gw, -1])), [b, t, k * 2]); // [B, T, 2K] in [-1, 1]
    const px = tf.tensor1d(Array.from({ length: k * 2 }, (_, i) => (i % 2 === 0 ? c.width : c.height) / 2)); // [2K] grid units → pixels
    const moved = tf.mul(tf.sub(tf.slice(pts, [0, 1, 0], [b, t - 1, k * 2]), tf.slice(pts, [0, 0, 0], [b, t - 1, k * 2])), px); // [B, T-1, 2K]
    return this.toCode.apply(moved); // [B, T-1, Dc]
  }

  /**
   * centerLatents, [..., Dc] → [..., Dc]. Training (`batchStats`): z minus the batch mean of z
   * (gradient through the mean, like batch norm, so no loss can pull every latent to one code);
   * the batch mean is kept in `batchMean` for LamTask's EMA of zMean. Otherwise z − zMean.
   */
  #center(z: Tensor, batchStats: boolean): Tensor {
    if (!this.zMean) return z;
    if (!batchStats) return tf.sub(z, stopGradient(this.zMean));
    const m = tf.mean(tf.reshape(z, [-1, this.cfg.codeDim]), 0); // [Dc]
    this.batchMean?.dispose();
    this.batchMean = tf.keep(tf.clone(stopGradient(m)));
    return tf.sub(z, m);
  }

  /**
   * Encoder + VQ: clip (frames [B,T,H,W,C] or tokens [B,T,N]) → actions a_1..a_{T-1}. With
   * `bypass` (the warm-up of `bypassSteps`) the actions are the continuous latents (normalised
   * as the VQ would in cosine mode) and the VQ loss is 0; codes are still reported.
   * `batchStats`: training-mode latent centring (centerLatents).
   */
  encodeActionsDiff(clip: Tensor, bypass = false, batchStats = false): LamActions {
    const z = this.#latents(this.inputs(clip), batchStats); // [B, T-1, Dc]
    if (bypass) {
      const cont = this.vq.cosine ? l2Normalize(z) : z; // [B, T-1, Dc]
      return { actions: cont, codes: this.vq.encode(z), latents: z, vqLoss: tf.scalar(0) as Scalar };
    }
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
    h = this.decNorm.apply(this.decoder.apply(this.#decPositions(h))); // [B, T-1, N, D]
    let y = this.outProj.apply(h); // [B, T-1, N, P] or [B, T-1, N, V]
    if (this.tokens) {
      // residual: a learned bonus on the logit of x_t's token at each position
      if (this.copyGain) y = tf.add(y, tf.mul(tf.oneHot(tf.cast(prev, 'int32'), c.tokenVocab), this.copyGain));
      return y;
    }
    if (this.kernelProj) return this.#warp(prev, y, actions);
    if (c.residual) y = tf.add(y, logit(prev)); // logit(x_t) + output [B, T-1, N, P]
    return unpatchify(tf.sigmoid(y), c.patch, c.height, c.width, c.channels); // [B, T-1, H, W, C]
  }

  /**
   * head 'warp': prev patches [B, T-1, N, P], decoder output [B, T-1, N, p·p·(C+K+1)] and actions
   * [B, T-1, Dc] → predicted frames [B, T-1, H, W, C]. Kernels depend on a_t alone.
   */
  #warp(prev: Tensor, y: Tensor, actions: Tensor): Tensor {
    const c = this.cfg;
    const [b, t1] = prev.shape as [number, number];
    const bt = b * t1;
    const ch = c.channels;
    const kk = c.warpKernels;
    const s = c.warpSize * c.warpSize;
    const px = (v: Tensor, chans: number) => tf.reshape(unpatchify(v, c.patch, c.height, c.width, chans), [bt, c.height, c.width, chans]);
    const x = px(prev, ch); // x_t [BT, H, W, C]
    const out = px(y, ch + kk + 1); // [BT, H, W, C+K+1]
    let paint = tf.slice(out, [0, 0, 0, 0], [bt, c.height, c.width, ch]); // [BT, H, W, C]
    if (c.residual) paint = tf.add(paint, logit(x)); // logit(x_t) + output
    const bonus = tf.tensor1d([...new Array<number>(kk).fill(0), PAINT_BIAS]); // [K+1]
    const masks = tf.add(tf.slice(out, [0, 0, 0, ch], [bt, c.height, c.width, kk + 1]), bonus); // [BT, H, W, K+1]
    const centre = tf.tensor1d(Array.from({ length: s }, (_, i) => (i === (s - 1) / 2 ? CENTRE_BIAS : 0))); // [S]
    const logits = tf.add(tf.reshape(this.kernelProj!.apply(tf.reshape(actions, [bt, c.codeDim])), [bt, kk, s]), centre); // [BT, K, S]
    const frame = warpComposite(x, tf.softmax(logits), tf.sigmoid(paint), masks); // [BT, H, W, C]
    return tf.reshape(frame, [b, t1, c.height, c.width, ch]); // [B, T-1, H, W, C]
  }

  /**
   * Training forward: actions, next-frame predictions and losses (`bypass`: see encodeActionsDiff).
   * loss = recon + VQ + decorrelate · corrLoss (the last only with `batchStats`).
   */
  forward(clip: Tensor, bypass = false, batchStats = false): LamOutput {
    const x = this.inputs(clip);
    const [b, t] = x.shape as [number, number];
    const enc = this.encodeActionsDiff(clip, bypass, batchStats);
    const prediction = this.decode(x, enc.actions);
    let reconLoss: Scalar;
    if (this.tokens) {
      const target = tf.slice(clip, [0, 1, 0], [b, t - 1, this.n]); // [B, T-1, N]
      reconLoss = softmaxCrossEntropy(prediction, target);
    } else {
      reconLoss = this.#pixelLoss(clip, prediction);
    }
    const dc = this.cfg.codeDim;
    const w = batchStats ? this.cfg.decorrelate : 0;
    const corrLoss = w > 0 ? offDiagonalCorrelation(tf.reshape(enc.latents, [-1, dc])) : (tf.scalar(0) as Scalar);
    const base = tf.add(reconLoss, enc.vqLoss) as Scalar;
    const loss = w > 0 ? (tf.add(base, tf.mul(corrLoss, w)) as Scalar) : base;
    return { ...enc, prediction, reconLoss, corrLoss, loss };
  }

  /**
   * Pixel reconstruction loss of predictions [B, T-1, H, W, C] against x_2..x_T. 'mse': plain
   * MSE. 'change': Σ w·e² / Σ w with w = 1 + λ·|x_{t+1} − x_t| / mean|x_{t+1} − x_t| (channel-mean
   * change, normalised over the batch), so the moving pixels carry most of the loss.
   */
  #pixelLoss(clip: Tensor, prediction: Tensor): Scalar {
    const c = this.cfg;
    const [b, t] = clip.shape as [number, number];
    const size = [b, t - 1, c.height, c.width, c.channels];
    const next = tf.slice(clip, [0, 1, 0, 0, 0], size); // [B, T-1, H, W, C]
    if (c.recon === 'mse' || c.changeWeight === 0) return mse(prediction, next);
    const w = tf.tidy(() => {
      const prev = tf.slice(clip, [0, 0, 0, 0, 0], size);
      const d = tf.mean(tf.abs(tf.sub(next, prev)), -1, true); // [B, T-1, H, W, 1]
      const norm = tf.add(tf.mean(d), 1e-6);
      return tf.add(1, tf.mul(tf.div(d, norm), c.changeWeight)); // [B, T-1, H, W, 1]
    });
    const e = tf.mean(tf.square(tf.sub(prediction, next)), -1, true); // [B, T-1, H, W, 1]
    return tf.div(tf.sum(tf.mul(e, w)), tf.sum(w)) as Scalar;
  }

  /**
   * centerLatents, after a training step: zMean ← zMean + rate·(last batch mean − zMean), then the
   * kept batch mean is released. A no-op without centerLatents or before a batch-statistics forward.
   */
  updateCenter(rate = CENTER_RATE): void {
    const z = this.zMean;
    const m = this.batchMean;
    if (!z || !m) return;
    tf.tidy(() => z.assign(tf.add(z, tf.mul(tf.sub(m, z), rate))));
    m.dispose();
    this.batchMean = undefined;
  }

  /** What labelling calls: clip → action codes int32 [B, T-1]. */
  encodeActions(clip: Tensor): Tensor {
    return tf.tidy(() => {
      return this.vq.encode(this.#latents(this.inputs(clip))); // [B, T-1]
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

/** The paper's LAM encoder (encoderKind 'st'): input embedding, action token, positions, ST stack, final norm. */
interface StEncoder {
  encIn: Linear | Embedding;
  actionToken: Variable; // [1, E]
  encPos: PosEmbedding;
  encoder: STStack;
  encNorm: LayerNorm;
}

/** logit(x) of pixel values, clipped to [1e-3, 1 − 1e-3] first (the residual decoder's copy of x_t). */
function logit(x: Tensor): Tensor {
  const p = tf.clipByValue(x, 1e-3, 1 - 1e-3);
  return tf.log(tf.div(p, tf.sub(1, p)));
}

/** x [B, T, N, D] + the temporal half of a position embedding only (its spatial table unused). */
function temporalOnly(pos: PosEmbedding, x: Tensor): Tensor {
  const [, t, , d] = x.shape as [number, number, number, number];
  return tf.add(x, tf.reshape(tf.slice(pos.temporal, [0, 0], [t, d]), [1, t, 1, d]));
}
