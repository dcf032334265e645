/**
 * The toy ST step (bench/README.md, /work/shared/bench/README.md) built from lara's nn blocks:
 * token embedding + spatial/temporal position embeddings → one ST block → LayerNorm → linear to
 * V logits → softmax cross-entropy; Adam lr 1e-3.
 */
import { tf, type Scalar, type Tensor } from '../src/backend/tf.ts';
import { AdamW } from '../src/nn/adamw.ts';
import { Embedding } from '../src/nn/embedding.ts';
import { init } from '../src/nn/init.ts';
import { LayerNorm } from '../src/nn/layernorm.ts';
import { Linear } from '../src/nn/linear.ts';
import { softmaxCrossEntropy } from '../src/nn/losses.ts';
import { ParamStore } from '../src/nn/params.ts';
import { STStack } from '../src/nn/st_block.ts';
import { trainStep } from '../src/nn/train.ts';
import { Rng } from '../src/util/rng.ts';

export interface ToyShape {
  B: number;
  T: number;
  S: number;
  V: number;
  D: number;
  H: number;
  layers: number;
}

export const TOY_SHAPE: ToyShape = { B: 8, T: 8, S: 16, V: 1024, D: 128, H: 4, layers: 1 };
export const TOY_PARAMS = 531_072;

export class ToyST {
  readonly store: ParamStore;
  readonly emb: Embedding;
  readonly posS: tf.Variable; // [S, D]
  readonly posT: tf.Variable; // [T, D]
  readonly stack: STStack;
  readonly ln: LayerNorm;
  readonly head: Linear;

  constructor(
    readonly shape: ToyShape,
    rng: Rng,
  ) {
    const { S, T, V, D, H, layers } = shape;
    this.store = new ParamStore(rng);
    const root = this.store.root();
    this.emb = new Embedding(root.child('emb'), V, D);
    this.posS = root.param('pos_s', [S, D], init.normal(0.02));
    this.posT = root.param('pos_t', [T, D], init.normal(0.02));
    this.stack = new STStack(root, D, { heads: H, layers });
    this.ln = new LayerNorm(root.child('ln'), D);
    this.head = new Linear(root.child('head'), D, V);
  }

  /** tokens int32 [B, T, S] → logits [B·T·S, V]. */
  logits(tokens: Tensor): Tensor {
    const { B, T, S, D } = this.shape;
    const e = this.emb.apply(tokens); // [B, T, S, D]
    const pos = tf.add(tf.reshape(this.posS, [1, S, D]), tf.reshape(this.posT, [T, 1, D])); // [T, S, D]
    const h = this.stack.apply(tf.add(e, pos)); // [B, T, S, D]
    return this.head.apply(this.ln.apply(tf.reshape(h, [B * T * S, D]))); // [BTS, V]
  }

  loss(tokens: Tensor, targets: Tensor): Scalar {
    return softmaxCrossEntropy(this.logits(tokens), targets);
  }
}

export interface ToyBench {
  model: ToyST;
  opt: AdamW;
  x: Tensor;
  y: Tensor;
  /** One training step; returns the loss. */
  step(): number;
  /** One forward pass; returns sum of logits (forces the computation). */
  forward(): number;
  dispose(): void;
}

export function makeToyBench(shape: ToyShape = TOY_SHAPE, seed = 0): ToyBench {
  const rng = Rng.seeded(seed);
  const model = new ToyST(shape, rng);
  const opt = new AdamW(model.store, { lr: 1e-3 });
  const n = shape.B * shape.T * shape.S;
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = rng.int(shape.V);
    ys[i] = rng.int(shape.V);
  }
  const x = tf.tensor(xs, [shape.B, shape.T, shape.S], 'int32');
  const y = tf.tensor(ys, [shape.B, shape.T, shape.S], 'int32');
  return {
    model,
    opt,
    x,
    y,
    step: () => trainStep(model.store, opt, () => model.loss(x, y)).loss,
    forward: () => tf.tidy(() => tf.sum(model.logits(x)).dataSync()[0]!),
    dispose: () => {
      x.dispose();
      y.dispose();
      opt.dispose();
      model.store.dispose();
    },
  };
}

export interface Timing {
  /** Median wall-clock ms. */
  wall: number;
  /** Median CPU ms of this process (user + system): steadier than wall time on a shared machine. */
  cpu: number;
}

const median = (xs: number[]): number => {
  const ts = [...xs].sort((a, b) => a - b);
  const mid = ts.length >> 1;
  return ts.length % 2 ? ts[mid]! : (ts[mid - 1]! + ts[mid]!) / 2;
};

/** Median of n timed calls after `warmup` untimed ones, in ms (wall and CPU). */
export function timeMedian(fn: () => unknown, n: number, warmup: number, now: () => number = () => performance.now()): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = now();
    fn();
    walls.push(now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}
