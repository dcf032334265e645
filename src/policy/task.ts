/**
 * Policy training as a TrainTask for the resumable loop (src/train/loop.ts), and the batch
 * source: batch k depends only on (seed, k). Targets are LAM codes (latent head, cross-entropy)
 * or normalised native actions (regress head, mean squared error).
 * Dimension legend: B batch, O outputs.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import type { OptimizerState } from '../checkpoint/checkpoint.ts';
import type { NamedTensors } from '../checkpoint/tf-tensors.ts';
import { AdamW } from '../nn/adamw.ts';
import { mse, softmaxCrossEntropy } from '../nn/losses.ts';
import { warmupCosine } from '../nn/schedule.ts';
import { trainStep } from '../nn/train.ts';
import { stepRng, type BatchSource, type StepResult, type TrainTask } from '../train/task.ts';
import type { Rng } from '../util/rng.ts';
import type { PolicyConfig } from './config.ts';
import type { EpisodeMemory } from './data.ts';
import { binIndex } from './bins.ts';
import { buildBatch, type PolicyBatch, type PolicySample } from './inputs.ts';
import { PolicyNet, type PolicyNetSpec } from './network.ts';

/** One training example: step t of held episode i, and its target. */
export interface PolicyExample {
  i: number;
  t: number;
  /** Code (latent head) or normalised action (regress head). */
  target: number | Float32Array;
}

export interface PolicyTrainBatch {
  x: PolicyBatch;
  /** [B] int codes or [B, O] normalised actions. */
  y: Int32Array | Float32Array;
}

/**
 * What the policy sees at step t of held episode i during training: the T frames ending at t
 * (oldest first, frame 0 repeated before the start), the instruction and state t. At run time
 * Policy.observe builds the same sample from the live observations (test/policy/pipeline.test.ts).
 */
export function trainingSample(mem: EpisodeMemory, i: number, t: number, frames: number): PolicySample {
  const ep = mem.episodes[i]!;
  const s: PolicySample = { frames: mem.history(i, t, frames), instruction: ep.instruction };
  if (ep.states) s.state = ep.states[t]!;
  return s;
}

export class PolicyBatches implements BatchSource<PolicyTrainBatch> {
  constructor(
    readonly mem: EpisodeMemory,
    readonly examples: readonly PolicyExample[],
    readonly spec: PolicyNetSpec,
    readonly seed: number,
    readonly batchSize: number,
    readonly augment: number,
  ) {}

  batch(step: number): PolicyTrainBatch {
    const r = stepRng(this.seed, step);
    const picks = Array.from({ length: this.batchSize }, () => this.examples[r.int(this.examples.length)]!);
    const samples: PolicySample[] = picks.map((e) => {
      const s = trainingSample(this.mem, e.i, e.t, this.spec.input.frames);
      if (this.augment > 0) s.shift = [r.int(2 * this.augment + 1) - this.augment, r.int(2 * this.augment + 1) - this.augment];
      return s;
    });
    const x = buildBatch(samples, this.spec.input);
    if (this.spec.head === 'latent') return { x, y: Int32Array.from(picks, (e) => e.target as number) };
    const o = this.spec.outDim;
    const bins = this.spec.bins;
    if (bins) {
      const y = new Int32Array(picks.length * o);
      picks.forEach((e, i) => (e.target as Float32Array).forEach((z, j) => (y[i * o + j] = binIndex(bins, j, z))));
      return { x, y };
    }
    const y = new Float32Array(picks.length * o);
    picks.forEach((e, i) => y.set(e.target as Float32Array, i * o));
    return { x, y };
  }
}

/** The loss of a batch under the network (cross-entropy or MSE). */
export function policyLoss(net: PolicyNet, b: PolicyTrainBatch): tf.Scalar {
  const out = net.forward(b.x); // [B, O]
  if (net.spec.head === 'latent') return softmaxCrossEntropy(out, tf.tensor1d(b.y as Int32Array, 'int32'));
  if (net.spec.bins) return softmaxCrossEntropy(tf.reshape(out, [b.x.b * net.spec.outDim, net.spec.bins.n]), tf.tensor1d(b.y as Int32Array, 'int32')); // [B·A, n]
  return mse(out, tf.tensor2d(b.y as Float32Array, [b.x.b, net.spec.outDim]));
}

/** Weights a fresh run starts from (a subset of the net's parameters) and the file they came from. */
export interface InitialWeights {
  weights: Record<string, Tensor>;
  source: string;
}

export class PolicyTask implements TrainTask<PolicyTrainBatch> {
  net: PolicyNet | undefined;
  #opt: AdamW | undefined;

  constructor(
    readonly spec: PolicyNetSpec,
    readonly cfg: PolicyConfig,
    readonly start?: InitialWeights,
  ) {}

  init(rng: Rng): void {
    this.dispose();
    this.net = new PolicyNet(this.spec, rng);
    if (this.start) this.net.store.load(this.start.weights, { partial: true, source: this.start.source });
    const t = this.cfg.train;
    this.#opt = new AdamW(this.net.store, { lr: warmupCosine({ peak: t.lr, warmup: Math.min(t.warmup, t.steps), total: t.steps, final: t.lr * 0.05 }), weightDecay: t.weightDecay });
  }

  step(batch: PolicyTrainBatch): StepResult {
    const r = trainStep(this.net!.store, this.#opt!, () => policyLoss(this.net!, batch), { clipNorm: 1 });
    return { loss: r.loss, metrics: { lr: r.lr } };
  }

  weights(): NamedTensors {
    return this.net!.store.snapshot() as Record<string, Tensor>;
  }

  loadWeights(w: NamedTensors): void {
    this.net!.store.load(w, { source: 'checkpoint' });
  }

  optimizerState(): OptimizerState {
    return this.#opt!.exportState();
  }

  loadOptimizerState(s: OptimizerState): void {
    this.#opt!.importState(s, 'checkpoint');
  }

  dispose(): void {
    this.#opt?.dispose();
    this.net?.dispose();
    this.#opt = undefined;
    this.net = undefined;
  }
}
