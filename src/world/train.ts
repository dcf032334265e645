/**
 * World-model co-training (Genie §2): LAM and dynamics in one store and one optimiser over a
 * frozen tokenizer. Loss = lamWeight·LAM loss + dynamics cross-entropy; the dynamics model sees
 * the LAM's quantised actions under stop-gradient, so its loss does not shape the LAM.
 */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';
import { maskedAccuracy } from '../dynamics/train.ts';
import { DynamicsModel } from '../dynamics/dynamics.ts';
import { trainingMask } from '../dynamics/masking.ts';
import { LatentActionModel } from '../lam/lam.ts';
import { forwardClip } from '../lam/apply.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import type { StepContext } from '../train/task.ts';
import type { WorldModelConfig } from './config.ts';
import { StoreTask, type StepLoss } from './task.ts';

export class WorldModelTask extends StoreTask<Tensor> {
  lam!: LatentActionModel;
  dynamics!: DynamicsModel;

  constructor(
    readonly cfg: WorldModelConfig,
    readonly tokenizer: VideoTokenizer,
  ) {
    super(cfg.train);
  }

  protected build(store: ParamStore): void {
    this.lam = new LatentActionModel(store.scope('lam'), this.cfg.lam);
    this.dynamics = new DynamicsModel(store.scope('dynamics'), this.cfg.dynamics);
  }

  protected quantizers(): Record<string, VectorQuantizer> {
    return { lam: this.lam.vq };
  }

  protected loss(batch: Tensor, ctx: StepContext): StepLoss {
    const tokens = this.tokenizer.encode(batch); // [B, T, N]
    const lo = forwardClip(this.lam, batch, this.tokenizer);
    const [b, t, n] = tokens.shape as [number, number, number];
    const mask = tf.tensor3d(trainingMask(b, t, n, ctx.rng, this.cfg.dynamics.maskMin).mask, [b, t, n], 'bool');
    const dyn = this.dynamics.forward(tokens, mask, lo.actions); // stop-gradient inside
    const loss = tf.add(tf.mul(lo.loss, this.cfg.lamWeight), dyn.loss) as Scalar;
    return {
      loss,
      report: { lamRecon: lo.reconLoss, ce: dyn.loss, acc: maskedAccuracy(dyn.logits, tokens, mask) },
      usage: [{ vq: this.lam.vq, indices: lo.codes, latents: lo.latents }],
    };
  }
}
