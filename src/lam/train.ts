/**
 * LAM training task. Pixels: next-frame MSE + VQ losses on clips. Tokens (ablation): a frozen
 * tokenizer turns each clip into token ids first, then next-frame cross-entropy + VQ losses.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { kmeans } from '../nn/kmeans.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import { StoreTask, type StepLoss } from '../world/task.ts';
import type { StepContext, StepResult } from '../train/task.ts';
import type { LamConfig } from './config.ts';
import { LatentActionModel } from './lam.ts';

/** Encoder outputs of this many latest warm-up transitions feed the k-means codebook init. */
const KMEANS_POOL = 2048;
/** EMA rate of the latent mean (centerLatents). */
const CENTER_RATE = 0.1;

export class LamTask extends StoreTask<Tensor> {
  model!: LatentActionModel;
  #batchMean: Tensor | undefined; // centerLatents: this step's batch mean of the raw latents [Dc]
  #pending: Tensor | undefined; // this warm-up step's latents [B, T-1, Dc]
  #pool: Float32Array[] = []; // recent warm-up latents, one [n·Dc] array per step

  /** `tokenizer` is required when cfg.model.input is 'tokens'. */
  constructor(
    readonly cfg: LamConfig,
    readonly tokenizer?: VideoTokenizer,
  ) {
    super(cfg.train);
  }

  protected build(store: ParamStore): void {
    this.model = new LatentActionModel(store.scope('lam'), this.cfg.model);
  }

  protected quantizers(): Record<string, VectorQuantizer> {
    return { lam: this.model.vq };
  }

  protected loss(batch: Tensor, ctx: StepContext): StepLoss {
    const input = lamInput(this.model, batch, this.tokenizer);
    const bypass = ctx.step < this.cfg.model.bypassSteps;
    const out = this.model.forward(input, bypass, true);
    this.#batchMean = this.model.batchMean;
    this.model.batchMean = undefined;
    if (bypass) {
      this.#pending = tf.keep(out.latents);
      return { loss: out.loss, report: { recon: out.reconLoss, vq: out.vqLoss } };
    }
    return { loss: out.loss, report: { recon: out.reconLoss, vq: out.vqLoss }, usage: [{ vq: this.model.vq, indices: out.codes, latents: out.latents }] };
  }

  /**
   * A step; during the VQ warm-up its latents are pooled, and after the last warm-up step the
   * codebook is set to k-means centroids of the pool (so the checkpoint of that step holds it).
   */
  override step(batch: Tensor, ctx: StepContext): StepResult {
    const r = super.step(batch, ctx);
    const zMean = this.model.zMean;
    if (zMean && this.#batchMean) {
      // zMean ← zMean + rate·(batch mean of the raw latents − zMean)
      const m = this.#batchMean;
      tf.tidy(() => zMean.assign(tf.add(zMean, tf.mul(tf.sub(m, zMean), CENTER_RATE))));
      m.dispose();
      this.#batchMean = undefined;
    }
    if (this.#pending) {
      this.#pool.push(this.#pending.dataSync() as Float32Array);
      this.#pending.dispose();
      this.#pending = undefined;
      const dc = this.cfg.model.codeDim;
      while (this.#pool.reduce((n, a) => n + a.length / dc, 0) > KMEANS_POOL && this.#pool.length > 1) this.#pool.shift();
      if (ctx.step === this.cfg.model.bypassSteps - 1) {
        this.initCodebook(concat(this.#pool), ctx);
        this.#pool = [];
      }
    }
    return r;
  }

  /** Codebook ← k-means (k = |A|) of encoder outputs [n·Dc] (spherical in cosine mode). */
  initCodebook(latents: Float32Array, ctx: StepContext): void {
    const vq = this.model.vq;
    const c = kmeans(latents, vq.dim, vq.codes, ctx.rng, { cosine: vq.cosine, iters: 25 });
    tf.tidy(() => vq.codebook.assign(tf.tensor2d(c, [vq.codes, vq.dim])));
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** What the LAM reads from a pixel clip: the clip itself, or its tokens from a frozen tokenizer. */
export function lamInput(lam: LatentActionModel, clip: Tensor, tokenizer?: VideoTokenizer): Tensor {
  if (!lam.tokens) return clip;
  if (!tokenizer) throw new Error('a LAM over tokens needs a tokenizer');
  return tokenizer.encode(clip);
}
