/**
 * Can a LAM decoder use an action at all? Train only the decoder of a 2-frame LAM preset on a
 * dataset's (x_t, x_{t+stride}) pairs, fed the true native action (world_vector and yaw, averaged
 * over the stride; 'oracle') or zeros ('zero'), and print held-out next-frame MSE against the
 * copy-x_t baseline. If oracle ≈ zero, the decoder cannot learn to use a_t in that many steps, and
 * no encoder can teach it to (docs/models.md, "Why the paper's LAM collapses here").
 *   node bin/run-ts.mjs bench/lam-oracle.ts DATASET oracle|zero [STEPS=400] [STRIDE=3] [--set model.head=warp ...]
 * The preset is lam/small with frames 2; seed 0 for the weights, 1 for the batches, 99 for the held-out batch.
 */
import { initBackend } from '../src/backend/select.ts';
import { tf, type Tensor } from '../src/backend/tf.ts';
import { loadConfig } from '../src/config/presets.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { LamSchema } from '../src/lam/config.ts';
import { LatentActionModel } from '../src/lam/lam.ts';
import { AdamW } from '../src/nn/adamw.ts';
import { mse } from '../src/nn/losses.ts';
import { ParamStore } from '../src/nn/params.ts';
import { constantLr } from '../src/nn/schedule.ts';
import { Rng } from '../src/util/rng.ts';
import { clipActions, clipPixels, loadClips, samplerFor, splitEpisodes, type ClipStore } from '../src/world/clips.ts';

const args = process.argv.slice(2);
const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
const [data, mode, stepsArg = '400', strideArg = '3'] = args.filter((a, i) => a !== '--set' && args[i - 1] !== '--set');
if (!data || (mode !== 'oracle' && mode !== 'zero')) throw new Error('usage: bench/lam-oracle.ts DATASET oracle|zero [STEPS] [STRIDE] [--set k=v ...]');
const steps = Number(stepsArg);
const stride = Number(strideArg);
await initBackend('wasm');
const cfg = loadConfig(LamSchema, 'lam', 'small', ['model.frames=2', ...sets]);
const m = cfg.model;
const ds = Dataset.open(data);
const split = splitEpisodes(ds, 0.1);
const train = await loadClips(ds, { height: m.height, width: m.width, episodes: split.train });
const val = await loadClips(ds, { height: m.height, width: m.width, episodes: split.val });
await ds.close();

const store = new ParamStore(Rng.seeded(0));
const lam = new LatentActionModel(store.scope('lam'), m);
const opt = new AdamW(store, { lr: constantLr(cfg.train.lr), beta1: cfg.train.beta1, beta2: cfg.train.beta2, weightDecay: cfg.train.weightDecay });

/** n pairs [n, 2, H, W, 3] and their actions [n, 1, Dc] (x, y, z, yaw, zero-padded; zeros in 'zero' mode). */
function batch(st: ClipStore, n: number, rng: Rng): { x: Tensor; a: Tensor } {
  const s = samplerFor(st, 2, stride, 0);
  const fsz = 2 * m.height * m.width * 3;
  const x = new Float32Array(n * fsz);
  const a = new Float32Array(n * m.codeDim);
  for (let i = 0; i < n; i++) {
    const ref = s.sample(rng);
    x.set(clipPixels(st, ref, 2, stride), i * fsz);
    const u = clipActions(st, ref, 2, stride)?.[0];
    if (mode === 'oracle' && u) [u[0]!, u[1]!, u[2]!, u[5]!].forEach((v, j) => (a[i * m.codeDim + j] = v));
  }
  return { x: tf.tensor(x, [n, 2, m.height, m.width, 3]), a: tf.tensor(a, [n, 1, m.codeDim]) };
}

const next = (x: Tensor) => tf.slice(x, [0, 1], [-1, 1]);
const loss = (b: { x: Tensor; a: Tensor }) => mse(lam.decode(lam.inputs(b.x), b.a), next(b.x));
const held = batch(val, 64, Rng.seeded(99));
const copy = tf.tidy(() => mse(tf.slice(held.x, [0, 0], [-1, 1]), next(held.x)).dataSync()[0]!);
console.log(`${mode}: ${data}, stride ${stride}, head ${m.head}, ${steps} steps of batch ${cfg.train.batch}; copy-x_t baseline ${copy.toExponential(3)}`);
const rng = Rng.seeded(1);
for (let s = 1; s <= steps; s++) {
  const b = batch(train, cfg.train.batch, rng);
  tf.tidy(() => opt.apply(store.valueAndGrads(() => loss(b)).grads));
  tf.dispose([b.x, b.a]);
  if (s % 100 === 0 || s === steps) console.log(`step ${s}: held-out next-frame MSE ${tf.tidy(() => loss(held).dataSync()[0]!).toExponential(3)}`);
}
