/**
 * Policy and labelling speed on one backend:
 *   node bin/run-ts.mjs bench/policy.ts [--backend wasm] [--size 32] [--preset small] [--lam RUN]
 *                                       [--steps 10] [--acts 50] [--label-frames 400]
 * - act_ms: one policy forward at batch 1 (what an agent pays per control step);
 * - train_step_ms: one AdamW step of the latent policy at the preset's batch;
 * - label_fps: frames/s of frozen-LAM labelling (the LAM of --lam, else a fresh one of
 *   configs/lam/small.json's shape at --size), batch 16.
 * Prints one JSON line.
 */
import { initBackend, type BackendName } from '../src/backend/select.ts';
import { tf } from '../src/backend/tf.ts';
import { loadConfig } from '../src/config/presets.ts';
import { resolveConfig } from '../src/config/schema.ts';
import { LamSchema } from '../src/lam/config.ts';
import { LatentActionModel } from '../src/lam/lam.ts';
import { labelEpisodes } from '../src/label/label.ts';
import { openLam } from '../src/label/dataset.ts';
import { ParamStore } from '../src/nn/params.ts';
import { PolicySchema } from '../src/policy/config.ts';
import { EpisodeMemory } from '../src/policy/data.ts';
import { buildBatch } from '../src/policy/inputs.ts';
import { PolicyNet } from '../src/policy/network.ts';
import { PolicyBatches, PolicyTask } from '../src/policy/task.ts';
import { inputSpecFor } from '../src/policy/train.ts';
import { Rng } from '../src/util/rng.ts';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const backend = await initBackend(arg('backend', 'wasm') as BackendName);
const size = Number(arg('size', '32'));
const cfg = loadConfig(PolicySchema, 'policy', arg('preset', 'small'));
const rng = Rng.seeded(0);
const frames = Array.from({ length: 40 }, () => Uint8Array.from({ length: size * size * 3 }, () => rng.int(256)));
const mem = new EpisodeMemory([{ instruction: 'push the red block to the green zone', frames, states: frames.map(() => new Float32Array(6)), latents: new Int32Array(39).map((_, i) => i % 8) }], size, size, [0]);
const spec = { input: inputSpecFor(mem, cfg, new Array(6).fill(0), new Array(6).fill(1)), encoder: cfg.encoder, head: 'latent' as const, outDim: 8 };

// act latency
const net = new PolicyNet(spec, Rng.seeded(1));
const acts: number[] = [];
for (let i = 0; i < Number(arg('acts', '50')); i++) {
  const x = buildBatch([{ frames: mem.history(0, i % 40, cfg.encoder.frames), instruction: 'push the red block to the green zone', state: new Float32Array(6) }], spec.input);
  const t0 = performance.now();
  tf.tidy(() => net.forward(x).dataSync());
  acts.push(performance.now() - t0);
}
net.dispose();

// train step
const task = new PolicyTask(spec, cfg);
task.init(Rng.seeded(2));
const batches = new PolicyBatches(mem, Array.from({ length: 39 }, (_, t) => ({ i: 0, t, target: t % 8 })), spec, 0, cfg.train.batch, cfg.train.augment);
const steps: number[] = [];
for (let s = 0; s < Number(arg('steps', '10')) + 2; s++) {
  const b = batches.batch(s);
  const t0 = performance.now();
  task.step(b);
  if (s >= 2) steps.push(performance.now() - t0);
}
task.dispose();

// labelling throughput
const lamPath = process.argv.includes('--lam') ? arg('lam', '') : '';
let lam: LatentActionModel;
if (lamPath) lam = openLam(lamPath).model;
else {
  const lc = resolveConfig(LamSchema, [loadConfig(LamSchema, 'lam', 'small')], [`model.height=${size}`, `model.width=${size}`]);
  lam = new LatentActionModel(new ParamStore(Rng.seeded(3)).scope('lam'), lc.model);
}
const n = Number(arg('label-frames', '400'));
const eps = Array.from({ length: Math.ceil(n / 40) }, () => frames);
const lr = await labelEpisodes(lam, { count: eps.length, width: size, height: size, frames: async (k) => eps[k]! }, { batch: 16 });

console.log(JSON.stringify({
  backend: backend.chosen, accelerator: backend.accelerator.status, size, preset: arg('preset', 'small'), lam: lamPath || `fresh small LAM at ${size}x${size}`,
  act_ms: Number(median(acts).toFixed(2)), train_step_ms: Number(median(steps).toFixed(1)), batch: cfg.train.batch, label_fps: Number(lr.framesPerSecond.toFixed(1)), label_frames: lr.frames,
}));
