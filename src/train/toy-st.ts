/**
 * The demo's model: a tiny Genie-style next-frame predictor over token videos, built from the
 * shared nn blocks (embedding + spatial/temporal position embeddings → ST-transformer stack with
 * causal time → LayerNorm → linear to V logits), trained with AdamW on softmax cross-entropy of
 * frame t+1 given frames ≤ t.
 *
 * Dimensions: B clips, T frames (T' = T-1 inputs), S tokens per frame, D width, V vocabulary.
 */
import { AdamW, Embedding, LayerNorm, Linear, ParamStore, STStack, init, softmaxCrossEntropy, tf, trainStep, warmupCosine, type Tensor } from '../nn/index.ts';
import type { Rng } from '../util/rng.ts';
import type { OptimizerState } from '../checkpoint/checkpoint.ts';
import type { NamedTensors } from '../checkpoint/tf-tensors.ts';
import type { StepContext, StepResult, TrainTask } from './task.ts';
import type { DemoConfig } from './demo-config.ts';

export class ToyStModel {
  readonly embed: Embedding;
  readonly posS: tf.Variable; // [S, D]
  readonly posT: tf.Variable; // [T, D]
  readonly body: STStack;
  readonly lnOut: LayerNorm;
  readonly head: Linear;

  constructor(
    readonly store: ParamStore,
    readonly cfg: DemoConfig,
  ) {
    const { width: d, layers, heads } = cfg.model;
    const { grid, frames, vocab } = cfg.data;
    const root = store.root();
    this.embed = new Embedding(root.child('embed'), vocab, d);
    this.posS = root.param('pos.spatial', [grid * grid, d], init.normal(0.02));
    this.posT = root.param('pos.temporal', [frames, d], init.normal(0.02));
    this.body = new STStack(root.child('body'), d, { layers, heads, mlpRatio: 4 });
    this.lnOut = new LayerNorm(root.child('ln_out'), d);
    this.head = new Linear(root.child('head'), d, vocab);
  }

  /** tokens int32 [B, T', S] → logits [B, T', S, V] (position t sees frames ≤ t only). */
  logits(tokens: Tensor): Tensor {
    const [, t] = tokens.shape as [number, number, number];
    let h = this.embed.apply(tokens); // [B, T', S, D]
    h = tf.add(h, this.posS); // + [S, D]
    h = tf.add(h, tf.reshape(tf.slice(this.posT, [0, 0], [t, -1]), [t, 1, -1])); // + [T', 1, D]
    h = this.body.apply(h); // [B, T', S, D]
    return this.head.apply(this.lnOut.apply(h)); // [B, T', S, V]
  }

  /** Mean cross-entropy of frames 2..T given the frames before; clips int32 [B, T, S]. */
  loss(clips: Tensor): tf.Scalar {
    const [b, t, s] = clips.shape as [number, number, number];
    const inputs = tf.slice(clips, [0, 0, 0], [b, t - 1, s]); // [B, T-1, S]
    const targets = tf.slice(clips, [0, 1, 0], [b, t - 1, s]); // [B, T-1, S]
    return softmaxCrossEntropy(this.logits(inputs), targets);
  }
}

/** The demo's TrainTask: ToyStModel + AdamW with warmup and cosine decay to lr/10. */
export class ToyStTask implements TrainTask<Tensor> {
  #store: ParamStore | undefined;
  #model: ToyStModel | undefined;
  #opt: AdamW | undefined;

  constructor(readonly cfg: DemoConfig) {}

  init(rng: Rng): void {
    this.dispose();
    const { lr, warmup, steps, weightDecay } = this.cfg.train;
    this.#store = new ParamStore(rng);
    this.#model = new ToyStModel(this.#store, this.cfg);
    this.#opt = new AdamW(this.#store, { lr: warmupCosine({ peak: lr, warmup, total: steps, final: lr / 10 }), weightDecay, beta2: 0.99 });
  }

  get model(): ToyStModel {
    if (!this.#model) throw new Error('ToyStTask: init() first');
    return this.#model;
  }

  /** Number of scalar parameters. */
  paramCount(): number {
    return this.#store?.count() ?? 0;
  }

  step(clips: Tensor, _ctx: StepContext): StepResult {
    const r = trainStep(this.#store!, this.#opt!, () => this.model.loss(clips), { clipNorm: 1 });
    return { loss: r.loss, metrics: { lr: r.lr, ...(r.gradNorm !== undefined ? { gradNorm: r.gradNorm } : {}) } };
  }

  /** Mean loss on a batch without updating (for evaluation). */
  evalLoss(clips: Tensor): number {
    return tf.tidy(() => this.model.loss(clips).dataSync()[0]!);
  }

  weights(): NamedTensors {
    return this.#store!.snapshot();
  }
  loadWeights(w: NamedTensors): void {
    this.#store!.load(w);
  }
  optimizerState(): OptimizerState {
    return this.#opt!.exportState();
  }
  loadOptimizerState(s: OptimizerState): void {
    this.#opt!.importState(s);
  }
  dispose(): void {
    this.#opt?.dispose();
    this.#store?.dispose();
    this.#opt = undefined;
    this.#store = undefined;
    this.#model = undefined;
  }
}
