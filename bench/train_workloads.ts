/**
 * The product's real work at the `small` presets, for bench/train_steps.ts: one function per
 * workload, each building its model from src/ (tokenizer, LAM, dynamics, policy, labelling,
 * agent, MaskGIT sampler) with a seeded Rng and random inputs, and timing it.
 * Every workload returns { ms, cpu_ms, unit, ... } (median wall / process-CPU per unit).
 */
import { tf, type Tensor } from '../src/backend/tf.ts';
import { loadConfig } from '../src/config/presets.ts';
import { resolveConfig } from '../src/config/schema.ts';
import { DynamicsSchema } from '../src/dynamics/config.ts';
import { DynamicsModel } from '../src/dynamics/dynamics.ts';
import { trainingMask } from '../src/dynamics/masking.ts';
import { sampleNextFrame } from '../src/dynamics/sampler.ts';
import { DynamicsTask } from '../src/dynamics/train.ts';
import { LamSchema } from '../src/lam/config.ts';
import { LatentActionModel } from '../src/lam/lam.ts';
import { LamTask } from '../src/lam/train.ts';
import { labelEpisodes } from '../src/label/label.ts';
import { AdamW } from '../src/nn/adamw.ts';
import { ParamStore } from '../src/nn/params.ts';
import { trainStep } from '../src/nn/train.ts';
import { PolicySchema } from '../src/policy/config.ts';
import { EpisodeMemory } from '../src/policy/data.ts';
import { PolicyNet } from '../src/policy/network.ts';
import { Policy } from '../src/policy/policy.ts';
import { PolicyBatches, PolicyTask } from '../src/policy/task.ts';
import { inputSpecFor } from '../src/policy/train.ts';
import type { PolicyMeta } from '../src/policy/io.ts';
import { DictionaryMapping } from '../src/mapping/dictionary.ts';
import { LatentAgent } from '../src/agent/latent.ts';
import { loadRobot } from '../src/robot/load.ts';
import { TokenizerSchema } from '../src/tokenizer/config.ts';
import { VideoTokenizer } from '../src/tokenizer/tokenizer.ts';
import { TokenizerTask } from '../src/tokenizer/train.ts';
import { scheduleFor } from '../src/world/task.ts';
import { Rng } from '../src/util/rng.ts';
import { timeMedian } from './st_step.ts';

export interface WorkloadResult {
  /** Median wall ms per unit. */
  ms: number;
  /** Median process CPU ms per unit (all threads). */
  cpu_ms: number;
  /** What one unit is: 'step', 'frame', 'act'. */
  unit: string;
  params?: number;
  batch?: number;
  /** Labelling: frames per second. */
  fps?: number;
  loss_first?: number;
  loss_last?: number;
}

export interface WorkloadOptions {
  steps: number;
  warmup: number;
}

const rand = (rng: Rng, shape: number[]): Tensor =>
  tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape);

function timed(fn: () => number, o: WorkloadOptions, extra: Partial<WorkloadResult>, unit = 'step'): WorkloadResult {
  const first = fn();
  let last = first;
  const t = timeMedian(() => (last = fn()), o.steps, Math.max(0, o.warmup - 1));
  return { ms: +t.wall.toFixed(2), cpu_ms: +t.cpu.toFixed(2), unit, ...extra, loss_first: +first.toFixed(4), loss_last: +last.toFixed(4) };
}

const lamCfg = () => loadConfig(LamSchema, 'lam', 'small');
const tokCfg = () => loadConfig(TokenizerSchema, 'tokenizer', 'small');
const dynCfg = () => loadConfig(DynamicsSchema, 'dynamics', 'small');

/** One training step of a pixel-clip task (tokenizer, LAM) on random clips [batch, T, H, W, 3]. */
async function pixelTaskStep(
  task: { init(rng: Rng): Promise<void> | void; step(x: Tensor, ctx: { step: number; rng: Rng }): { loss: number }; store: { count(): number } },
  cfg: { model: { frames: number; height: number; width: number }; train: { batch: number } },
  o: WorkloadOptions,
): Promise<WorkloadResult> {
  await task.init(Rng.seeded(0));
  const m = cfg.model;
  const x = rand(Rng.seeded(1), [cfg.train.batch, m.frames, m.height, m.width, 3]);
  const rng = Rng.seeded(2);
  let i = 0;
  const r = timed(() => task.step(x, { step: i++, rng }).loss, o, { params: task.store.count(), batch: cfg.train.batch });
  x.dispose();
  return r;
}

/** Tokenizer training step (TokenizerTask) on random clips. */
export async function tokenizerStep(o: WorkloadOptions): Promise<WorkloadResult> {
  const cfg = tokCfg();
  return pixelTaskStep(new TokenizerTask(cfg), cfg, o);
}

/** LAM training step (LamTask, pixels) on random clips. */
export async function lamStep(o: WorkloadOptions): Promise<WorkloadResult> {
  const cfg = lamCfg();
  return pixelTaskStep(new LamTask(cfg), cfg, o);
}

/**
 * Dynamics model training step alone (the PyTorch twin's work): random tokens, a training
 * mask, random action vectors; AdamW and clipping as the task does.
 */
export async function dynamicsStep(o: WorkloadOptions): Promise<WorkloadResult> {
  const cfg = dynCfg();
  const m = cfg.model;
  const store = new ParamStore(Rng.seeded(0));
  const model = new DynamicsModel(store.scope('dynamics'), m);
  const t = cfg.train;
  const opt = new AdamW(store, { lr: scheduleFor(t), beta1: t.beta1, beta2: t.beta2, weightDecay: t.weightDecay });
  const rng = Rng.seeded(1);
  const b = t.batch;
  const n = m.gridH * m.gridW;
  const tokens = tf.tensor3d(Int32Array.from({ length: b * m.frames * n }, () => rng.int(m.vocab)), [b, m.frames, n], 'int32');
  const mask = tf.tensor3d(trainingMask(b, m.frames, n, rng, m.maskMin).mask, [b, m.frames, n], 'bool');
  const actions = tf.randomNormal([b, m.frames - 1, m.actionDim], 0, 1, 'float32', 3);
  const r = timed(() => trainStep(store, opt, () => model.forward(tokens, mask, actions).loss, { clipNorm: t.clipNorm }).loss, o,
    { params: store.count(), batch: b });
  tf.dispose([tokens, mask, actions]);
  opt.dispose();
  store.dispose();
  return r;
}

/** The whole DynamicsTask step: frozen tokenizer encode + frozen LAM labels + the model step. */
export async function dynamicsTaskStep(o: WorkloadOptions): Promise<WorkloadResult> {
  const cfg = resolveConfig(DynamicsSchema, [dynCfg()], []);
  const tok = new VideoTokenizer(new ParamStore(Rng.seeded(5)).scope('tokenizer'), tokCfg().model);
  const lam = new LatentActionModel(new ParamStore(Rng.seeded(6)).scope('lam'), lamCfg().model);
  const task = new DynamicsTask(cfg, tok, lam);
  await task.init(Rng.seeded(0));
  const tm = tokCfg().model;
  const x = rand(Rng.seeded(1), [cfg.train.batch, cfg.model.frames, tm.height, tm.width, 3]);
  const rng = Rng.seeded(2);
  let i = 0;
  const r = timed(() => task.step(x, { step: i++, rng }).loss, o, { params: task.store.count(), batch: cfg.train.batch });
  x.dispose();
  return r;
}

const SIZE = 64; // the small presets' frame size
function policySetup() {
  const cfg = loadConfig(PolicySchema, 'policy', 'small');
  const rng = Rng.seeded(0);
  const frames = Array.from({ length: 40 }, () => Uint8Array.from({ length: SIZE * SIZE * 3 }, () => rng.int(256)));
  const mem = new EpisodeMemory([{ instruction: 'push the red block to the green zone', frames, states: frames.map(() => new Float32Array(6)), latents: new Int32Array(39).map((_, i) => i % 8) }], SIZE, SIZE, [0]);
  const spec = { input: inputSpecFor(mem, cfg, new Array(6).fill(0), new Array(6).fill(1)), encoder: cfg.encoder, head: 'latent' as const, outDim: 8 };
  return { cfg, mem, spec, frames };
}

/** Latent policy training step (PolicyTask) at the preset's batch, 64×64 frames. */
export async function policyStep(o: WorkloadOptions): Promise<WorkloadResult> {
  const { cfg, mem, spec } = policySetup();
  const task = new PolicyTask(spec, cfg);
  task.init(Rng.seeded(2));
  const batches = new PolicyBatches(mem, Array.from({ length: 39 }, (_, t) => ({ i: 0, t, target: t % 8 })), spec, 0, cfg.train.batch, cfg.train.augment);
  const b = batches.batch(0);
  const r = timed(() => task.step(b).loss, o, { params: task.net!.store.count(), batch: cfg.train.batch });
  task.dispose();
  return r;
}

/** One agent control step: LatentAgent.act = policy forward on the frame history + mapping + clamp. */
export async function agentAct(o: WorkloadOptions): Promise<WorkloadResult> {
  const { cfg, spec, frames } = policySetup();
  const robot = loadRobot('tabletop-sim');
  const net = new PolicyNet(spec, Rng.seeded(1));
  const meta: PolicyMeta = { format: 'lara-policy', version: 1, head: 'latent', outDim: 8, robot: robot.name, codes: 8, input: spec.input, config: cfg, trainedOn: {} };
  const rng = Rng.seeded(3);
  const samples = Array.from({ length: 64 }, (_, i) => ({ code: i % 8, action: Float32Array.from(robot.dof, () => rng.normal() * 0.1) }));
  const agent = new LatentAgent(new Policy(meta, net), DictionaryMapping.fit(samples, robot, 8), robot);
  agent.reset('push the red block to the green zone', 0);
  let k = 0;
  const state = new Float32Array(Math.max(6, spec.input.stateDim));
  const r = timed(() => agent.act({ image: frames[k++ % frames.length]!, state })[0]!, { steps: Math.max(o.steps, 20), warmup: o.warmup }, { params: net.store.count() }, 'act');
  net.dispose();
  return { ...r, loss_first: undefined, loss_last: undefined };
}

/** Labelling throughput of a fresh small LAM encoder (frames/s, batch 16) over 400 random frames. */
export async function labelling(_o: WorkloadOptions): Promise<WorkloadResult> {
  const lam = new LatentActionModel(new ParamStore(Rng.seeded(3)).scope('lam'), lamCfg().model);
  const rng = Rng.seeded(4);
  const frames = Array.from({ length: 40 }, () => Uint8Array.from({ length: SIZE * SIZE * 3 }, () => rng.int(256)));
  const src = { count: 10, width: SIZE, height: SIZE, frames: async () => frames };
  await labelEpisodes(lam, { ...src, count: 2 }, { batch: 16 }); // warm-up
  const c0 = process.cpuUsage();
  const r = await labelEpisodes(lam, src, { batch: 16 });
  const c = process.cpuUsage(c0);
  return { ms: +(1000 / r.framesPerSecond).toFixed(3), cpu_ms: +((c.user + c.system) / 1000 / r.frames).toFixed(3), unit: 'frame', fps: +r.framesPerSecond.toFixed(1) };
}

/** MaskGIT generation of one 8×8-token frame after 3 context frames (batch 1, the preset's sampler steps). */
export async function maskgitFrame(o: WorkloadOptions): Promise<WorkloadResult> {
  const cfg = dynCfg();
  const m = cfg.model;
  const model = new DynamicsModel(new ParamStore(Rng.seeded(0)).scope('dynamics'), m);
  const rng = Rng.seeded(1);
  const n = m.gridH * m.gridW;
  const t = m.frames - 1;
  const context = Int32Array.from({ length: t * n }, () => rng.int(m.vocab));
  const actions = tf.randomNormal([1, t, m.actionDim], 0, 1, 'float32', 2);
  const r = timed(() => sampleNextFrame(model, context, 1, t, actions, cfg.sampler, rng)[0]!, { steps: Math.max(3, Math.min(o.steps, 5)), warmup: 1 },
    { batch: 1 }, 'frame');
  actions.dispose();
  return { ...r, loss_first: undefined, loss_last: undefined };
}

export const WORKLOADS: Record<string, (o: WorkloadOptions) => Promise<WorkloadResult>> = {
  tokenizer: tokenizerStep,
  lam: lamStep,
  dynamics: dynamicsStep,
  'dynamics-task': dynamicsTaskStep,
  policy: policyStep,
  agent: agentAct,
  label: labelling,
  maskgit: maskgitFrame,
};
