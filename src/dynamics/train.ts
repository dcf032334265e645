/**
 * Dynamics training task: a frozen tokenizer turns clips into tokens, a frozen LAM labels the
 * transitions, and the MaskGIT model learns to fill masked tokens (cross-entropy on masked
 * tokens, Genie App. C.3). The training mask is drawn from the loop's rng.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import type { ParamStore } from '../nn/params.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { LatentActionModel } from '../lam/lam.ts';
import { inferCodes } from '../lam/apply.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import type { StepContext } from '../train/task.ts';
import { StoreTask, type StepLoss } from '../world/task.ts';
import type { DynamicsConfig } from './config.ts';
import { DynamicsModel, dropActions } from './dynamics.ts';
import { trainingMask } from './masking.ts';

/** Masked-token accuracy of logits [B,T,N,V] against tokens [B,T,N] where mask = 1. */
export function maskedAccuracy(logits: Tensor, tokens: Tensor, mask: Tensor): Tensor {
  return tf.tidy(() => {
    const hit = tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(tokens, 'int32')), 'float32');
    const m = tf.cast(mask, 'float32');
    return tf.div(tf.sum(tf.mul(hit, m)), tf.maximum(tf.sum(m), 1));
  });
}

export class DynamicsTask extends StoreTask<Tensor> {
  model!: DynamicsModel;

  constructor(
    readonly cfg: DynamicsConfig,
    readonly tokenizer: VideoTokenizer,
    readonly lam: LatentActionModel,
  ) {
    super(cfg.train);
  }

  protected build(store: ParamStore): void {
    this.model = new DynamicsModel(store.scope('dynamics'), this.cfg.model);
  }

  protected quantizers(): Record<string, VectorQuantizer> {
    return {};
  }

  protected loss(batch: Tensor, ctx: StepContext): StepLoss {
    const tokens = this.tokenizer.encode(batch); // [B, T, N]
    const actions = this.lam.actionVectors(inferCodes(this.lam, batch, this.tokenizer)); // [B, T-1, Dc]
    const [b, t, n] = tokens.shape as [number, number, number];
    const mask = tf.tensor3d(trainingMask(b, t, n, ctx.rng, this.cfg.model.maskMin).mask, [b, t, n], 'bool');
    const out = this.model.forward(tokens, mask, dropActions(actions, this.cfg.model.actionDropout, ctx.rng));
    return { loss: out.loss, report: { ce: out.loss, acc: maskedAccuracy(out.logits, tokens, mask) } };
  }
}
