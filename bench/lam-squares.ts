/**
 * Does a LAM variant learn codes that mean the motion? Train a 2-frame tiny LAM (4 codes, width
 * 32) on pairs of a 4×4 square moved 2 px left / right / up / down (test/models/moving-square.ts)
 * and print, every 100 steps, the loss and the purity of its codes on 256 fresh pairs (the share
 * whose code's majority move is their own; 1 = codes are the moves, ~0.27 = no information).
 *   node bin/run-ts.mjs bench/lam-squares.ts STEPS [--set k=v ...]
 * e.g. --set model.centerLatents=true (the paper's ST encoder, pixel head), adding
 * --set model.encoderKind=keypoints --set model.keypoints=4, and --set model.head=warp --set model.warpSize=5.
 * Seeds: 0 weights, 1 training rng, 2 batches, 99 evaluation pairs.
 */
import { initBackend } from '../src/backend/select.ts';
import { loadConfig } from '../src/config/presets.ts';
import { LamSchema } from '../src/lam/config.ts';
import { LamTask } from '../src/lam/train.ts';
import { Rng } from '../src/util/rng.ts';
import { codePurity, squarePairs } from '../test/models/moving-square.ts';

const args = process.argv.slice(2);
const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
const steps = Number(args[0]);
if (!(steps > 0)) throw new Error('usage: bench/lam-squares.ts STEPS [--set k=v ...]');
await initBackend('wasm');
const cfg = loadConfig(LamSchema, 'lam', 'tiny', ['model.frames=2', 'model.codes=4', 'model.encoder.width=32', 'model.decoder.width=32', 'train.lr=0.003', 'train.warmup=10', 'train.batch=16', ...sets]);
const task = new LamTask(cfg);
await task.init(Rng.seeded(0));
const rng = Rng.seeded(1);
const data = Rng.seeded(2);
for (let s = 1; s <= steps; s++) {
  const { clip } = squarePairs(16, data);
  const r = task.step(clip, { step: s - 1, rng });
  clip.dispose();
  if (s % 100 !== 0 && s !== steps) continue;
  const evalPairs = squarePairs(256, Rng.seeded(99));
  const codes = Array.from(task.model.encodeActions(evalPairs.clip).dataSync());
  evalPairs.clip.dispose();
  const { used, purity } = codePurity(codes, evalPairs.moves);
  console.log(`step ${s}: loss ${r.loss.toExponential(3)}, recon ${(r.metrics?.recon ?? NaN).toExponential(3)}, codes used ${used}/4, purity ${purity.toFixed(2)}`);
}
task.dispose();
