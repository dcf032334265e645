/**
 * World-model co-training (Genie §2): LAM and dynamics in one store and one optimiser over a
 * frozen tokenizer. Loss = lamWeight·LAM loss + dynamics cross-entropy; the dynamics model sees
 * the LAM's quantised actions under stop-gradient, so its loss does not shape the LAM. With
 * centerLatents the LAM's latents are batch-centred and its inference mean tracked, and with
 * bypassSteps the VQ warms up, as in `lara train lam`.
 */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';
import { maskedAccuracy } from '../dynamics/train.ts';
import { DynamicsModel, dropActions } from '../dynamics/dynamics.ts';
import { trainingMask } from '../dynamics/masking.ts';
import { LatentActionModel } from '../lam/lam.ts';
import { forwardClip } from '../lam/apply.ts';
import { VqWarmup } from '../lam/warmup.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import type { StepContext, StepResult } from '../train/task.ts';
import type { WorldModelConfig } from './config.ts';
import { StoreTask, type StepLoss } from './task.ts';

export class WorldModelTask extends StoreTask<Tensor> {
  lam!: LatentActionModel;
  dynamics!: DynamicsModel;
  warmup!: VqWarmup;

  constructor(
    readonly cfg: WorldModelConfig,
    readonly tokenizer: VideoTokenizer,
  ) {
    super(cfg.train);
  }

  protected build(store: ParamStore): void {
    this.lam = new LatentActionModel(store.scope('lam'), this.cfg.lam);
    this.dynamics = new DynamicsModel(store.scope('dynamics'), this.cfg.dynamics);
    this.warmup = new VqWarmup(this.lam);
  }

  protected quantizers(): Record<string, VectorQuantizer> {
    return { lam: this.lam.vq };
  }

  protected loss(batch: Tensor, ctx: StepContext): StepLoss {
    const tokens = this.tokenizer.encode(batch); // [B, T, N]
    const bypass = this.warmup.bypass(ctx.step);
    const lo = forwardClip(this.lam, batch, this.tokenizer, true, bypass);
    if (bypass) this.warmup.hold(lo.latents);
    const [b, t, n] = tokens.shape as [number, number, number];
    const mask = tf.tensor3d(trainingMask(b, t, n, ctx.rng, this.cfg.dynamics.maskMin).mask, [b, t, n], 'bool');
    const dyn = this.dynamics.forward(tokens, mask, dropActions(lo.actions, this.cfg.dynamics.actionDropout, ctx.rng)); // stop-gradient inside
    const loss = tf.add(tf.mul(lo.loss, this.cfg.lamWeight), dyn.loss) as Scalar;
    return {
      loss,
      report: { lamRecon: lo.reconLoss, ce: dyn.loss, acc: maskedAccuracy(dyn.logits, tokens, mask) },
      ...(bypass ? {} : { usage: [{ vq: this.lam.vq, indices: lo.codes, latents: lo.latents }] }),
    };
  }

  /** A step, then the LAM's inference mean follows the batch mean (centerLatents) and the VQ warm-up bookkeeping (bypassSteps). */
  override step(batch: Tensor, ctx: StepContext): StepResult {
    const r = super.step(batch, ctx);
    this.lam.updateCenter();
    this.warmup.after(ctx);
    return r;
  }
}
