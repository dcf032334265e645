/**
 * Stock wasm kernels vs lara's native accelerator (docs/native.md), in one process:
 * - GFLOP/s of matMul variants (plain, transposeA, transposeB, batched) at the toy ST step's sizes;
 * - a training-step-like microbench (2-layer tanh MLP + softmax cross-entropy, forward + backward
 *   + SGD update) built from plain tf ops;
 * - the toy ST step of bench/st_step.ts, when that file is present.
 *
 *   node bin/run-ts.mjs bench/native_kernels.ts [--reps N] [--no-st]
 *
 * LARA_THREADS sets OpenBLAS's threads. matMul rows: best of `reps` runs (each includes reading the
 * result back); step rows: median of `reps` steps after 3 warm-up steps, wall and process CPU.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../src/backend/tf.ts';
import { loadNative, nativeStatus, unloadNative } from '../src/backend/native.ts';
import { Rng } from '../src/util/rng.ts';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1]) > 0 && args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Median ms of `n` runs of f after `warm` untimed ones; f must force its result. Also the
 * median process CPU ms (all threads): on a shared machine wall time swings with others' load,
 * CPU time much less.
 */
function timeBoth(f: () => void, n: number, warm = 2): { ms: number; cpu: number } {
  for (let i = 0; i < warm; i++) f();
  const ts: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000);
  }
  return { ms: median(ts), cpu: median(cs) };
}
/** Best of `n` runs, in ms: for the kernel rows, where the least disturbed run is the kernel's speed. */
function best(f: () => void, n: number, warm = 2): number {
  for (let i = 0; i < warm; i++) f();
  let m = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    m = Math.min(m, performance.now() - t0);
  }
  return m;
}

function randn(rng: Rng, shape: number[]): tf.Tensor {
  const v = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

interface Variant { name: string; a: number[]; b: number[]; tA: boolean; tB: boolean; flops: number }

// The toy step's products: tokens N=1024, width D=128, MLP 4D=512, vocab V=1024; attention
// heads as [B·T·H, S, dh] = [256, 16, 32].
const N = 1024, D = 128, F = 512, V = 1024;
const variants: Variant[] = [
  { name: `plain [${N},${D}]·[${D},${F}]`, a: [N, D], b: [D, F], tA: false, tB: false, flops: 2 * N * D * F },
  { name: `plain [${N},${D}]·[${D},${V}]`, a: [N, D], b: [D, V], tA: false, tB: false, flops: 2 * N * D * V },
  { name: `transposeA [${F},${N}]ᵀ·[${F},${D}]`, a: [F, N], b: [F, D], tA: true, tB: false, flops: 2 * N * D * F },
  { name: `transposeA [${N},${D}]ᵀ·[${N},${V}] (dW)`, a: [N, D], b: [N, V], tA: true, tB: false, flops: 2 * N * D * V },
  { name: `transposeB [${N},${V}]·[${D},${V}]ᵀ (dX)`, a: [N, V], b: [D, V], tA: false, tB: true, flops: 2 * N * D * V },
  { name: 'batched [256,16,32]·[256,32,16]', a: [256, 16, 32], b: [256, 32, 16], tA: false, tB: false, flops: 2 * 256 * 16 * 16 * 32 },
  { name: 'batched tB [256,16,32]·[256,16,32]ᵀ', a: [256, 16, 32], b: [256, 16, 32], tA: false, tB: true, flops: 2 * 256 * 16 * 16 * 32 },
  { name: 'batched [64,128,128]·[64,128,128]', a: [64, 128, 128], b: [64, 128, 128], tA: false, tB: false, flops: 2 * 64 * 128 ** 3 },
];

function matMulRows(rng: Rng): Array<{ name: string; ms: number; gflops: number }> {
  return variants.map((v) => {
    const a = randn(rng, v.a);
    const b = randn(rng, v.b);
    const ms = best(() => tf.tidy(() => { tf.matMul(a, b, v.tA, v.tB).dataSync(); }), reps);
    tf.dispose([a, b]);
    return { name: v.name, ms, gflops: v.flops / (ms * 1e6) };
  });
}

/** A training step of a 2-layer tanh MLP with softmax cross-entropy on the toy step's sizes. */
function makeMlpStep(rng: Rng): { step: () => number; dispose: () => void } {
  const x = randn(rng, [N, D]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: N }, () => rng.int(V)), 'int32'), V);
  const w1 = tf.variable(tf.mul(randn(rng, [D, F]), 0.05));
  const b1 = tf.variable(tf.zeros([F]));
  const w2 = tf.variable(tf.mul(randn(rng, [F, V]), 0.05));
  const opt = tf.train.sgd(0.01);
  const loss = (): tf.Scalar => {
    const h = tf.tanh(tf.add(tf.matMul(x, w1), b1)); // [N, F]
    const logits = tf.matMul(h, w2); // [N, V]
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  return {
    step: () => {
      const l = opt.minimize(loss, true, [w1, b1, w2])!;
      const v = l.dataSync()[0]!;
      l.dispose();
      return v;
    },
    dispose: () => tf.dispose([x, labels, w1, b1, w2]),
  };
}

async function stStep(): Promise<{ step: () => unknown; dispose: () => void } | null> {
  if (args.includes('--no-st')) return null;
  const file = fileURLToPath(new URL('./st_step.ts', import.meta.url));
  if (!existsSync(file)) return null;
  const spec = './st_step.ts';
  const mod = (await import(/* @vite-ignore */ spec)) as { makeToyBench?: () => { step: () => unknown; dispose: () => void } };
  return mod.makeToyBench ? mod.makeToyBench() : null;
}

await tf.setBackend('wasm');
const rng = Rng.seeded(1);
unloadNative();
const stockMm = matMulRows(rng);
const mlp = makeMlpStep(rng);
const st = await stStep();
const none = { ms: NaN, cpu: NaN };
const stockMlp = timeBoth(() => mlp.step(), reps, 3);
const stockSt = st ? timeBoth(() => st.step(), reps, 3) : none;
const status = await loadNative();
if (!status.active) {
  console.log(`native accelerator off: ${status.reason}; only the stock figures are shown`);
}
const nativeMm = status.active ? matMulRows(rng) : stockMm.map((r) => ({ ...r, ms: NaN, gflops: NaN }));
const nativeMlp = status.active ? timeBoth(() => mlp.step(), reps, 3) : none;
const nativeSt = status.active && st ? timeBoth(() => st.step(), reps, 3) : none;

const s = nativeStatus();
console.log(`native: ${s.active ? s.reason : 'off'}${s.coretype ? ` (${s.coretype})` : ''}; ${reps} runs a row`);
const pad = (t: string, n: number): string => t.padEnd(n);
const num = (v: number, d = 1): string => (Number.isFinite(v) ? v.toFixed(d) : '-').padStart(9);
console.log(`\n${pad('matMul', 42)}${'stock ms'.padStart(9)}${'GFLOP/s'.padStart(9)}${'native ms'.padStart(10)}${'GFLOP/s'.padStart(9)}${'speed-up'.padStart(9)}`);
stockMm.forEach((r, i) => {
  const n = nativeMm[i]!;
  console.log(`${pad(r.name, 42)}${num(r.ms, 2)}${num(r.gflops)} ${num(n.ms, 2)}${num(n.gflops)}${num(r.ms / n.ms)}x`);
});
console.log(`\n${pad('training step (wall ms | process CPU ms)', 42)}${'stock'.padStart(9)}${'cpu'.padStart(9)}${'native'.padStart(10)}${'cpu'.padStart(9)}${'speed-up'.padStart(9)}`);
const stepRow = (name: string, a: { ms: number; cpu: number }, b: { ms: number; cpu: number }): void =>
  console.log(`${pad(name, 42)}${num(a.ms)}${num(a.cpu)} ${num(b.ms)}${num(b.cpu)}${num(a.ms / b.ms)}x`);
stepRow('MLP 1024x128->512->1024, softmax CE, SGD', stockMlp, nativeMlp);
if (st) stepRow('toy ST step (bench/st_step.ts)', stockSt, nativeSt);
mlp.dispose();
st?.dispose();
