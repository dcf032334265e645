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
import { clipByGlobalNorm } from '../nn/clip.ts';
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
    const r = this.#update(() => {
      const out = this.loss(batch, ctx);
      for (const v of Object.values(out.report ?? {})) tf.keep(v);
      for (const u of out.usage ?? []) {
        tf.keep(u.indices);
        tf.keep(u.latents);
      }
      kept = out;
      return out.loss;
    });
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
  /**
   * Loss, gradients, optional global-norm clipping and the AdamW update, disposing every
   * intermediate (src/nn's trainStep keeps its clipped gradients alive, so it is not used here).
   */
  #update(lossFn: () => Scalar): { loss: number; lr: number; gradNorm?: number } {
    return tf.tidy(() => {
      const { loss, grads } = this.store.valueAndGrads(lossFn);
      let use = grads;
      let gradNorm: number | undefined;
      if (this.train.clipNorm > 0) {
        const c = clipByGlobalNorm(grads, this.train.clipNorm);
        gradNorm = c.norm.dataSync()[0]!;
        use = c.grads;
      }
      const lr = this.opt.apply(use);
      if (use !== grads) tf.dispose([...use.values()]);
      const value = loss.dataSync()[0]!;
      return gradNorm === undefined ? { loss: value, lr } : { loss: value, lr, gradNorm };
    }) as { loss: number; lr: number; gradNorm?: number };
  }

  weights(): NamedTensors {
    return this.store.snapshot();
  }

  loadWeights(w: NamedTensors): void {
    this.store.load(w);
  }

  optimizerState(): OptimizerState {
    const s = this.opt.exportState();
    for (const [name, vq] of Object.entries(this.quantizers())) {
      // every field of the quantizer's usage state (numbers and number arrays) as a float tensor
      for (const [k, v] of Object.entries(vq.usageState() as unknown as Record<string, number | number[]>)) {
        s.tensors[`vq_usage.${name}.${k}`] = tf.tensor1d(Array.isArray(v) ? v : [v], 'float32');
      }
    }
    return s;
  }

  loadOptimizerState(s: OptimizerState): void {
    this.opt.importState(s);
    for (const [name, vq] of Object.entries(this.quantizers())) {
      const prefix = `vq_usage.${name}.`;
      const keys = Object.keys(s.tensors).filter((k) => k.startsWith(prefix));
      if (keys.length === 0) continue; // a checkpoint without usage state: start counting afresh
      const template = vq.usageState() as unknown as Record<string, number | number[]>;
      const u: Record<string, number | number[]> = {};
      for (const [k, v] of Object.entries(template)) {
        const t = s.tensors[prefix + k];
        if (!t) continue;
        const vals = Array.from(t.dataSync());
        u[k] = Array.isArray(v) ? vals : vals[0]!;
      }
      vq.loadUsage({ ...template, ...u } as unknown as Parameters<VectorQuantizer['loadUsage']>[0]);
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
