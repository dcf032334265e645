/**
 * LAM training task. Pixels: next-frame MSE + VQ losses on clips. Tokens (ablation): a frozen
 * tokenizer turns each clip into token ids first, then next-frame cross-entropy + VQ losses.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import { StoreTask, type StepLoss } from '../world/task.ts';
import type { LamConfig } from './config.ts';
import { LatentActionModel } from './lam.ts';

export class LamTask extends StoreTask<Tensor> {
  model!: LatentActionModel;

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

  protected loss(batch: Tensor): StepLoss {
    const input = lamInput(this.model, batch, this.tokenizer);
    const out = this.model.forward(input);
    return { loss: out.loss, report: { recon: out.reconLoss, vq: out.vqLoss }, usage: [{ vq: this.model.vq, indices: out.codes, latents: out.latents }] };
  }
}

/** What the LAM reads from a pixel clip: the clip itself, or its tokens from a frozen tokenizer. */
export function lamInput(lam: LatentActionModel, clip: Tensor, tokenizer?: VideoTokenizer): Tensor {
  if (!lam.tokens) return clip;
  if (!tokenizer) throw new Error('a LAM over tokens needs a tokenizer');
  return tokenizer.encode(clip);
}
