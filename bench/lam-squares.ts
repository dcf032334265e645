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
import { trainOnSquares } from '../test/models/moving-square.ts';

const args = process.argv.slice(2);
const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
const steps = Number(args[0]);
if (!(steps > 0)) throw new Error('usage: bench/lam-squares.ts STEPS [--set k=v ...]');
await initBackend('wasm');
await trainOnSquares(sets, steps, (s, loss, recon, p) =>
  console.log(`step ${s}: loss ${loss.toExponential(3)}, recon ${recon.toExponential(3)}, codes used ${p.used}/4, purity ${p.purity.toFixed(2)}`),
);
