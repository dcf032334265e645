/** Tokenizer training task: reconstruction MSE + VQ losses on clips [B, T, H, W, C]. */
import type { Tensor } from '../backend/tf.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import { StoreTask, type StepLoss } from '../world/task.ts';
import type { TokenizerConfig } from './config.ts';
import { VideoTokenizer } from './tokenizer.ts';

export class TokenizerTask extends StoreTask<Tensor> {
  model!: VideoTokenizer;

  constructor(readonly cfg: TokenizerConfig) {
    super(cfg.train);
  }

  protected build(store: ParamStore): void {
    this.model = new VideoTokenizer(store.scope('tokenizer'), this.cfg.model);
  }

  protected quantizers(): Record<string, VectorQuantizer> {
    return { tokenizer: this.model.vq };
  }

  protected loss(batch: Tensor): StepLoss {
    const out = this.model.forward(batch);
    return { loss: out.loss, report: { recon: out.reconLoss, vq: out.vqLoss }, usage: [{ vq: this.model.vq, indices: out.tokens, latents: out.latents }] };
  }
}
