/**
 * Can the dynamics model learn to use actions at all? A token "object" on an 8×8 grid moves one
 * cell in the direction its action names (4 directions, cube-corner action vectors); everything
 * else is background. Prints held-out CE with true vs shuffled actions as training goes.
 *   node bin/run-ts.mjs bench/dynamics-toy.ts [steps=300] [width=64] [layers=2] [lr=1e-3] [spatialInit=normal] [maskMin=0.5] [spatialBias=false] [actionGain=1]
 */
import { initBackend } from '../src/backend/select.ts';
import { tf, type Tensor } from '../src/backend/tf.ts';
import { loadConfig } from '../src/config/presets.ts';
import { DynamicsModel } from '../src/dynamics/dynamics.ts';
import { DynamicsSchema } from '../src/dynamics/config.ts';
import { trainingMask } from '../src/dynamics/masking.ts';
import { AdamW } from '../src/nn/adamw.ts';
import { ParamStore } from '../src/nn/params.ts';
import { softmaxCrossEntropy } from '../src/nn/losses.ts';
import { Rng } from '../src/util/rng.ts';

const [stepsA = '300', widthA = '64', layersA = '2', lrA = '1e-3', initA = 'normal', maskMinA = '0.5', biasA = 'false', gainA = '1'] = process.argv.slice(2);
await initBackend('wasm');
const G = 8, N = G * G, T = 4, V = 8;
const cfg = loadConfig(DynamicsSchema, 'dynamics', 'tiny', [
  `model.gridH=${G}`, `model.gridW=${G}`, `model.frames=${T}`, `model.vocab=${V}`, 'model.actionDim=3',
  `model.body.width=${widthA}`, `model.body.layers=${layersA}`, 'model.body.heads=4', `model.spatialInit=${initA}`, `model.spatialBias=${biasA}`, `model.actionGain=${gainA}`,
]).model;
const DIRS = [[0, 1], [0, -1], [1, 0], [-1, 0]];
const VEC = [[1, 1, -1], [-1, -1, 1], [1, -1, 1], [-1, 1, -1]];
function batch(b: number, rng: Rng): { tok: Tensor; act: Tensor; actShuf: Tensor } {
  const tok = new Int32Array(b * T * N);
  const act = new Float32Array(b * (T - 1) * 3);
  const codes: number[] = [];
  for (let i = 0; i < b; i++) {
    const bgSeed = rng.int(64);
    let r = 2 + rng.int(4), c = 2 + rng.int(4);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < N; j++) tok[(i * T + t) * N + j] = 2 + ((j * 7 + i * 5 + bgSeed) % 3 === 0 ? 1 : 0); // textured background
      tok[(i * T + t) * N + r * G + c] = 1;
      if (t < T - 1) {
        const a = rng.int(4);
        codes.push(a);
        act.set(VEC[a]!, (i * (T - 1) + t) * 3);
        r = Math.min(G - 1, Math.max(0, r + DIRS[a]![0]!));
        c = Math.min(G - 1, Math.max(0, c + DIRS[a]![1]!));
      }
    }
  }
  const shuf = new Float32Array(act.length);
  for (let k = 0; k < codes.length; k++) shuf.set(VEC[(codes[k]! + 1) % 4]!, k * 3);
  return { tok: tf.tensor3d(tok, [b, T, N], 'int32'), act: tf.tensor3d(act, [b, T - 1, 3]), actShuf: tf.tensor3d(shuf, [b, T - 1, 3]) };
}
const store = new ParamStore(Rng.seeded(0));
const model = new DynamicsModel(store.scope('dynamics'), cfg);
const opt = new AdamW(store, { lr: Number(lrA), weightDecay: 0.01 });
const rng = Rng.seeded(1);
const held = batch(32, Rng.seeded(99));
const f2 = new Uint8Array(32 * T * N);
for (let i = 0; i < 32; i++) f2.fill(1, (i * T + 1) * N, (i * T + 2) * N);
const m2 = tf.tensor3d(f2, [32, T, N], 'bool');
const evalCe = (a: Tensor) => tf.tidy(() => softmaxCrossEntropy(model.logits(held.tok, m2, a), held.tok, tf.cast(m2, 'float32')).dataSync()[0]!);
for (let s = 1; s <= Number(stepsA); s++) {
  const bt = batch(8, rng);
  const mask = tf.tensor3d(trainingMask(8, T, N, rng, Number(maskMinA)).mask, [8, T, N], 'bool');
  const { loss, grads } = store.valueAndGrads(() => model.forward(bt.tok, mask, bt.act).loss);
  opt.apply(grads);
  const l = loss.dataSync()[0]!;
  tf.dispose([loss, ...grads.values(), bt.tok, bt.act, bt.actShuf, mask]);
  if (s % 50 === 0) console.log(`step ${s} loss ${l.toFixed(4)}  frame-2 CE true ${evalCe(held.act).toFixed(4)} wrong ${evalCe(held.actShuf).toFixed(4)}`);
}
