/**
 * The policy network: an observation encoder (patch embedding + ST-transformer over the recent
 * frames, conditioned on the instruction and the proprioceptive state) and one head. The latent
 * policy's head gives logits over the K LAM codes; the BC baselines' head regresses the A native
 * action dims (normalised). Built only from the shared blocks in src/nn.
 * Dimension legend: B batch, T frames, N patches, P patch values, D width, V instruction
 * buckets, S state dims, O outputs (K or A).
 */
import { tf, type Tensor, type Tensor2D } from '../backend/tf.ts';
import { gelu } from '../nn/activations.ts';
import { init } from '../nn/init.ts';
import { LayerNorm } from '../nn/layernorm.ts';
import { Linear } from '../nn/linear.ts';
import { ParamStore, type Scope } from '../nn/params.ts';
import { STStack } from '../nn/st_block.ts';
import type { Variable } from '../backend/tf.ts';
import type { Rng } from '../util/rng.ts';
import type { EncoderConfig } from './config.ts';
import { KeypointEncoder } from './keypoints.ts';
import type { BinSpec } from './bins.ts';
import { checkSpec, numPatches, patchDim, type PolicyBatch, type PolicyInputSpec } from './inputs.ts';

export type HeadKind = 'latent' | 'regress';

export interface PolicyNetSpec {
  input: PolicyInputSpec;
  encoder: EncoderConfig;
  head: HeadKind;
  /** K codes (latent) or A action dims (regress). */
  outDim: number;
  /** Regress head only: binned (classification) outputs, n logits per action dim. */
  bins?: BinSpec;
}

export class ObservationEncoder {
  readonly patchEmbed: Linear;
  readonly pos: Variable; // [N, D]
  readonly time: Variable; // [T, D]
  readonly instr: Linear;
  readonly state: Linear | undefined;
  readonly stack: STStack;
  readonly norm: LayerNorm;

  constructor(scope: Scope, readonly spec: PolicyInputSpec, readonly cfg: EncoderConfig) {
    checkSpec(spec);
    const d = cfg.width;
    this.patchEmbed = new Linear(scope.child('patch_embed'), patchDim(spec), d);
    this.pos = scope.param('pos', [numPatches(spec), d], init.normal(0.02));
    this.time = scope.param('time', [spec.frames, d], init.normal(0.02));
    this.instr = new Linear(scope.child('instr'), spec.vocab, d, { bias: false, init: init.glorot() });
    this.state = spec.stateDim > 0 ? new Linear(scope.child('state'), spec.stateDim, d, { init: init.glorot() }) : undefined;
    this.stack = new STStack(scope.child('st'), d, { layers: cfg.layers, heads: cfg.heads, mlpRatio: cfg.mlpRatio });
    this.norm = new LayerNorm(scope.child('norm'), d);
  }

  /** Conditioning vector from instruction and state: [B, D]. */
  condition(x: PolicyBatch): Tensor2D {
    let c = this.instr.apply(tf.tensor2d(x.instr, [x.b, this.spec.vocab]), { inputGrad: false }); // [B, D]
    if (this.state) c = tf.add(c, this.state.apply(tf.tensor2d(x.state, [x.b, this.spec.stateDim]), { inputGrad: false })); // [B, D]
    return c;
  }

  /** Width of apply()'s features: the current frame's N tokens flattened, plus the condition. */
  get featureDim(): number {
    return (numPatches(this.spec) + 1) * this.cfg.width;
  }

  /** Features [B, (N+1)·D]: the current frame's normalised tokens (flattened, so positions stay) and the condition. */
  apply(x: PolicyBatch): Tensor2D {
    const { frames: t } = this.spec;
    const n = numPatches(this.spec);
    const d = this.cfg.width;
    const p = tf.tensor2d(x.patches, [x.b * t * n, patchDim(this.spec)]); // [BTN, P]
    const c = this.condition(x); // [B, D]
    let h: Tensor = tf.reshape(this.patchEmbed.apply(p, { inputGrad: false }), [x.b, t, n, d]); // [B, T, N, D]
    h = tf.add(h, tf.reshape(this.pos, [1, 1, n, d]));
    h = tf.add(h, tf.reshape(this.time, [1, t, 1, d]));
    h = tf.add(h, tf.reshape(c, [x.b, 1, 1, d]));
    h = this.stack.apply(h); // [B, T, N, D]
    const last = tf.reshape(tf.slice(h, [0, t - 1, 0, 0], [x.b, 1, n, d]), [x.b * n, d]); // [BN, D]
    const flat = tf.reshape(this.norm.apply(last), [x.b, n * d]); // [B, N·D]
    return tf.concat([flat, c], 1) as Tensor2D; // [B, (N+1)·D]
  }
}

export class PolicyNet {
  readonly store: ParamStore;
  readonly encoder: ObservationEncoder | KeypointEncoder;
  readonly fc1: Linear;
  readonly fc2: Linear;

  constructor(readonly spec: PolicyNetSpec, rng: Rng) {
    this.store = new ParamStore(rng);
    const root = this.store.root();
    const enc = root.child('encoder');
    this.encoder = spec.encoder.kind === 'keypoints' ? new KeypointEncoder(enc, spec.input, spec.encoder) : new ObservationEncoder(enc, spec.input, spec.encoder);
    // Glorot-scaled head: with std-0.02 weights the small head stays in GELU's near-linear range
    // and BC fitted a linear function of the gripper-to-block offset (reach: |u - expert| ~0.6)
    this.fc1 = new Linear(root.child('head').child('fc1'), this.encoder.featureDim, spec.encoder.hidden, { init: init.glorot() });
    this.fc2 = new Linear(root.child('head').child('fc2'), spec.encoder.hidden, this.outWidth, { init: init.glorot() });
  }

  /** Width of forward()'s rows: O, or A·n for a binned regress head. */
  get outWidth(): number {
    return this.spec.bins ? this.spec.outDim * this.spec.bins.n : this.spec.outDim;
  }

  /** [B, O]: logits over codes (latent) or normalised actions (regress). */
  forward(x: PolicyBatch): Tensor2D {
    return this.fc2.apply(gelu(this.fc1.apply(this.encoder.apply(x)))); // [B, O]
  }

  dispose(): void {
    this.store.dispose();
  }
}
