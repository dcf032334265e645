/**
 * Video tokenizer (Genie §2): an ST-ViViT VQ-VAE, causal in time, so token z_t depends only on
 * frames x_1..x_t. Built from src/nn: patchify → linear → ST stack → VQ → linear → ST stack →
 * linear → unpatchify. With `localEncoder` the encoder is token-wise MLP blocks instead (no
 * attention, no positions): a token depends only on its own patch, so a static patch keeps its
 * token (the ST encoder re-codes about a third of unchanged patches from frame to frame on
 * tabletop-sim, noise the dynamics model then has to predict; docs/models.md).
 *
 * Dimension legend: B clips, T frames, H × W × C pixels, p patch, N = (H/p)(W/p) tokens per
 * frame, P = p·p·C patch values, E / D encoder / decoder width, Dc code dimension.
 */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';
import { LayerNorm } from '../nn/layernorm.ts';
import { Linear } from '../nn/linear.ts';
import { mse } from '../nn/losses.ts';
import type { Scope } from '../nn/params.ts';
import { patchify, unpatchify } from '../nn/patch.ts';
import { STStack } from '../nn/st_block.ts';
import { TokenMlpStack } from '../nn/token_mlp.ts';
import { VectorQuantizer } from '../nn/vq.ts';
import { PosEmbedding } from '../world/layers.ts';
import type { TokenizerModelConfig } from './config.ts';
import { checkFrames } from '../world/shapes.ts';

export interface TokenizerOutput {
  /** Reconstruction [B, T, H, W, C]. */
  recon: Tensor;
  /** Token ids int32 [B, T, N]. */
  tokens: Tensor;
  /** Pre-quantisation latents [B, T, N, Dc] (for dead-code resets). */
  latents: Tensor;
  reconLoss: Scalar;
  vqLoss: Scalar;
  /** reconLoss + vqLoss. */
  loss: Scalar;
}

export class VideoTokenizer {
  readonly n: number;
  readonly patchDim: number;
  readonly inProj: Linear;
  /** Absent with localEncoder. */
  readonly encPos: PosEmbedding | undefined;
  readonly encoder: STStack | TokenMlpStack;
  readonly encNorm: LayerNorm;
  readonly toCode: Linear;
  readonly vq: VectorQuantizer;
  readonly fromCode: Linear;
  readonly decPos: PosEmbedding;
  readonly decoder: STStack;
  readonly decNorm: LayerNorm;
  readonly outProj: Linear;

  /** Parameters under `scope` (conventionally 'tokenizer'). */
  constructor(
    scope: Scope,
    readonly cfg: TokenizerModelConfig,
  ) {
    const c = cfg;
    this.n = (c.height / c.patch) * (c.width / c.patch);
    this.patchDim = c.patch * c.patch * c.channels;
    const enc = scope.child('encoder');
    const dec = scope.child('decoder');
    const e = c.encoder;
    const d = c.decoder;
    this.inProj = new Linear(enc.child('in'), this.patchDim, e.width);
    if (c.localEncoder) {
      this.encPos = undefined;
      this.encoder = new TokenMlpStack(enc, e.width, { layers: e.layers, mlpRatio: e.ffnMult });
    } else {
      this.encPos = new PosEmbedding(enc.child('pos'), this.n, c.frames, e.width);
      this.encoder = new STStack(enc, e.width, { layers: e.layers, heads: e.heads, mlpRatio: e.ffnMult, qkNorm: e.qkNorm });
    }
    this.encNorm = new LayerNorm(enc.child('ln_f'), e.width);
    this.toCode = new Linear(enc.child('out'), e.width, c.codeDim);
    this.vq = new VectorQuantizer(scope.child('vq'), { codes: c.codes, dim: c.codeDim, beta: c.commitment, deadAfter: c.resetAfter });
    this.fromCode = new Linear(dec.child('in'), c.codeDim, d.width);
    this.decPos = new PosEmbedding(dec.child('pos'), this.n, c.frames, d.width);
    this.decoder = new STStack(dec, d.width, { layers: d.layers, heads: d.heads, mlpRatio: d.ffnMult, qkNorm: d.qkNorm });
    this.decNorm = new LayerNorm(dec.child('ln_f'), d.width);
    this.outProj = new Linear(dec.child('out'), d.width, this.patchDim);
  }

  /** Continuous latents: frames [B, T, H, W, C] in [0,1] → [B, T, N, Dc]. */
  latents(frames: Tensor): Tensor {
    const c = this.cfg;
    checkFrames(frames, c.height, c.width, c.channels, c.frames, 'tokenizer');
    const x = patchify(frames, c.patch); // [B, T, N, P]
    let h = this.inProj.apply(x, { inputGrad: false }); // [B, T, N, E]
    h = this.encoder.apply(this.encPos ? this.encPos.apply(h) : h); // [B, T, N, E]
    return this.toCode.apply(this.encNorm.apply(h)); // [B, T, N, Dc]
  }

  /** Code vectors [B, T, N, Dc] → frames [B, T, H, W, C]. */
  decodeCodes(q: Tensor): Tensor {
    const c = this.cfg;
    let h = this.decPos.apply(this.fromCode.apply(q)); // [B, T, N, D]
    h = this.decNorm.apply(this.decoder.apply(h)); // [B, T, N, D]
    const y = this.outProj.apply(h); // [B, T, N, P]
    return unpatchify(y, c.patch, c.height, c.width, c.channels); // [B, T, H, W, C]
  }

  /** Training forward: reconstruction, tokens and losses. */
  forward(frames: Tensor): TokenizerOutput {
    const z = this.latents(frames); // [B, T, N, Dc]
    const v = this.vq.apply(z);
    const recon = this.decodeCodes(v.quantized); // [B, T, H, W, C]
    const reconLoss = mse(recon, frames);
    return { recon, tokens: v.indices, latents: z, reconLoss, vqLoss: v.loss, loss: tf.add(reconLoss, v.loss) as Scalar };
  }

  /** frames [B, T, H, W, C] in [0,1] → token ids int32 [B, T, N]. */
  encode(frames: Tensor): Tensor {
    return tf.tidy(() => this.vq.encode(this.latents(frames)));
  }

  /** token ids [B, T, N] → frames [B, T, H, W, C], clipped to [0, 1]. */
  decode(tokens: Tensor): Tensor {
    return tf.tidy(() => tf.clipByValue(this.decodeCodes(this.vq.lookup(tokens)), 0, 1));
  }
}
