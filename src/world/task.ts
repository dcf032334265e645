/**
 * A training task over one ParamStore trained with AdamW (src/nn), for src/train/loop.ts. The
 * component tasks (tokenizer, LAM, dynamics, world model) say how to build the model and how to
 * compute a step's loss; this base does the optimiser, clipping, checkpoint state and the
 * dead-code bookkeeping of every vector quantizer in the model.
 */
import { tf, type Scalar, type Tensor } from '../backend/tf.ts';
import { AdamW } from '../nn/adamw.ts';
import { ParamStore } from '../nn/params.ts';
import { constantLr, warmupCosine, type Schedule } from '../nn/schedule.ts';
import { trainStep } from '../nn/train.ts';
import type { VectorQuantizer } from '../nn/vq.ts';
import type { OptimizerState } from '../checkpoint/checkpoint.ts';
import type { NamedTensors } from '../checkpoint/tf-tensors.ts';
import type { StepContext, StepResult, TrainTask } from '../train/task.ts';
import type { Rng } from '../util/rng.ts';
import type { ConfigOf } from '../config/schema.ts';
import type { trainSection } from './sections.ts';

export type TrainSettings = ConfigOf<ReturnType<typeof trainSection>>;

/** lr(step): linear warmup, then constant or cosine decay to lrMin at the last step. */
export function scheduleFor(t: TrainSettings): Schedule {
  if (t.schedule === 'cosine') return warmupCosine({ peak: t.lr, warmup: t.warmup, total: t.steps, final: t.lrMin });
  if (t.warmup === 0) return constantLr(t.lr);
  return warmupCosine({ peak: t.lr, warmup: t.warmup, total: t.steps, final: t.lr });
}

/** What one step's loss function hands back: the loss and tensors kept for after the update. */
export interface StepLoss {
  loss: Scalar;
  /** Scalars to report (kept, read after the step, then disposed). */
  report?: Record<string, Tensor>;
  /** Per quantizer: chosen indices and the latents to reset dead codes from (kept, then disposed). */
  usage?: { vq: VectorQuantizer; indices: Tensor; latents: Tensor }[];
}

export abstract class StoreTask<B> implements TrainTask<B> {
  store!: ParamStore;
  opt!: AdamW;

  constructor(readonly train: TrainSettings) {}

  /** Declare the trainable model in `store`. */
  protected abstract build(store: ParamStore): void | Promise<void>;
  /** The vector quantizers whose usage is tracked and checkpointed, by name. */
  protected abstract quantizers(): Record<string, VectorQuantizer>;
  /** The step's loss; every tensor it returns must survive the tape's tidy (tf.keep is applied here). */
  protected abstract loss(batch: B, ctx: StepContext): StepLoss;
  /** Extra metrics computed outside the tape (optional). */
  protected extraMetrics(_batch: B, _ctx: StepContext): Record<string, number> {
    return {};
  }

  async init(rng: Rng): Promise<void> {
    this.store = new ParamStore(rng);
    await this.build(this.store);
    const t = this.train;
    this.opt = new AdamW(this.store, { lr: scheduleFor(t), beta1: t.beta1, beta2: t.beta2, weightDecay: t.weightDecay });
  }

  step(batch: B, ctx: StepContext): StepResult {
    let kept: StepLoss | undefined;
    const r = trainStep(
      this.store,
      this.opt,
      () => {
        const out = this.loss(batch, ctx);
        for (const v of Object.values(out.report ?? {})) tf.keep(v);
        for (const u of out.usage ?? []) {
          tf.keep(u.indices);
          tf.keep(u.latents);
        }
        kept = out;
        return out.loss;
      },
      this.train.clipNorm > 0 ? { clipNorm: this.train.clipNorm } : {},
    );
    const metrics: Record<string, number> = { lr: r.lr };
    if (r.gradNorm !== undefined) metrics.gradNorm = r.gradNorm;
    for (const [k, v] of Object.entries(kept?.report ?? {})) {
      metrics[k] = v.dataSync()[0]!;
      v.dispose();
    }
    for (const u of kept?.usage ?? []) {
      u.vq.update(u.indices, u.latents, ctx.rng);
      metrics[`${nameOf(this.quantizers(), u.vq)}.active`] = u.vq.activeCodes();
      tf.dispose([u.indices, u.latents]);
    }
    Object.assign(metrics, this.extraMetrics(batch, ctx));
    return { loss: r.loss, metrics };
  }

  /** Clones of the weights; the caller (the loop) disposes them. */
  weights(): NamedTensors {
    return this.store.snapshot();
  }

  loadWeights(w: NamedTensors): void {
    this.store.load(w);
  }

  optimizerState(): OptimizerState {
    const s = this.opt.exportState();
    for (const [name, vq] of Object.entries(this.quantizers())) {
      const u = vq.usageState();
      s.tensors[`vq_usage.${name}.counts`] = tf.tensor1d(u.counts, 'float32');
      s.tensors[`vq_usage.${name}.last_used`] = tf.tensor1d(u.lastUsed, 'float32');
      s.tensors[`vq_usage.${name}.step`] = tf.tensor1d([u.step], 'float32');
    }
    return s;
  }

  loadOptimizerState(s: OptimizerState): void {
    this.opt.importState(s);
    for (const [name, vq] of Object.entries(this.quantizers())) {
      const c = s.tensors[`vq_usage.${name}.counts`];
      const l = s.tensors[`vq_usage.${name}.last_used`];
      const st = s.tensors[`vq_usage.${name}.step`];
      if (c && l && st) vq.loadUsage({ step: st.dataSync()[0]!, counts: Array.from(c.dataSync()), lastUsed: Array.from(l.dataSync()) });
    }
  }

  dispose(): void {
    this.opt?.dispose();
    this.store?.dispose();
  }
}

function nameOf(all: Record<string, VectorQuantizer>, vq: VectorQuantizer): string {
  for (const [k, v] of Object.entries(all)) if (v === vq) return k;
  return 'vq';
}
