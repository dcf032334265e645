/**
 * LAM training task. Pixels: next-frame MSE + VQ losses on clips. Tokens (ablation): a frozen
 * tokenizer turns each clip into token ids first, then next-frame cross-entropy + VQ losses.
 */
import type { Tensor } from '../backend/tf.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import { StoreTask, type StepLoss } from '../world/task.ts';
import type { StepContext, StepResult } from '../train/task.ts';
import type { LamConfig } from './config.ts';
import { LatentActionModel } from './lam.ts';
import { VqWarmup } from './warmup.ts';

export class LamTask extends StoreTask<Tensor> {
  model!: LatentActionModel;
  warmup!: VqWarmup;

  /** `tokenizer` is required when cfg.model.input is 'tokens'. */
  constructor(
    readonly cfg: LamConfig,
    readonly tokenizer?: VideoTokenizer,
  ) {
    super(cfg.train);
  }

  protected build(store: ParamStore): void {
    this.model = new LatentActionModel(store.scope('lam'), this.cfg.model);
    this.warmup = new VqWarmup(this.model);
  }

  protected quantizers(): Record<string, VectorQuantizer> {
    return { lam: this.model.vq };
  }

  protected loss(batch: Tensor, ctx: StepContext): StepLoss {
    const input = lamInput(this.model, batch, this.tokenizer);
    const bypass = this.warmup.bypass(ctx.step);
    const out = this.model.forward(input, bypass, true);
    const report = { recon: out.reconLoss, vq: out.vqLoss, ...(this.cfg.model.decorrelate > 0 ? { corr: out.corrLoss } : {}) };
    if (bypass) {
      this.warmup.hold(out.latents);
      return { loss: out.loss, report };
    }
    return { loss: out.loss, report, usage: [{ vq: this.model.vq, indices: out.codes, latents: out.latents }] };
  }

  /** A step, then the latent-mean EMA (centerLatents) and the VQ warm-up bookkeeping (bypassSteps). */
  override step(batch: Tensor, ctx: StepContext): StepResult {
    const r = super.step(batch, ctx);
    this.model.updateCenter();
    this.warmup.after(ctx);
    return r;
  }
}

/** What the LAM reads from a pixel clip: the clip itself, or its tokens from a frozen tokenizer. */
export function lamInput(lam: LatentActionModel, clip: Tensor, tokenizer?: VideoTokenizer): Tensor {
  if (!lam.tokens) return clip;
  if (!tokenizer) throw new Error('a LAM over tokens needs a tokenizer');
  return tokenizer.encode(clip);
}
