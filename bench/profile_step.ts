/**
 * Per-kernel CPU profile of the toy ST training step (bench/st_step.ts) on wasm (+ native).
 *
 *   node bin/run-ts.mjs bench/profile_step.ts [--native off] [--steps 10] [--shapes]
 *                                             [--workload lam]   (a bench/train_workloads.ts workload)
 *
 * With --workload the whole workload run (its setup, warm-ups and timed steps) is profiled and
 * the figures are per timed step (setup included, so read them as relative). --shapes splits
 * every kernel by its input shapes.
 * Wraps every wasm kernel with a timer (process CPU time) and prints, per kernel name, calls and
 * CPU ms per step, plus the step's CPU time outside kernels (tfjs engine and JS overhead).
 */
import { tf } from '../src/backend/tf.ts';
import { initBackend } from '../src/backend/select.ts';
import { makeToyBench } from './st_step.ts';

const arg = (n: string, d: string): string => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : d;
};
const steps = Number(arg('steps', '10'));
const byShape = process.argv.includes('--shapes');
await initBackend('wasm', { accelerator: arg('native', 'on') !== 'off' });
const workload = arg('workload', '');
const b = workload ? undefined : makeToyBench();
if (b) for (let i = 0; i < 3; i++) b.step();

const stats = new Map<string, { calls: number; us: number }>();
let depth = 0;
const cpuUs = (): number => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
for (const k of tf.getKernelsForBackend('wasm')) {
  const f = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, 'wasm');
  tf.registerKernel({
    ...k,
    kernelFunc: ((args: unknown) => {
      if (depth > 0) return (f as (a: unknown) => unknown)(args);
      depth++;
      const t0 = cpuUs();
      try {
        return (f as (a: unknown) => unknown)(args);
      } finally {
        depth--;
        const key = byShape ? `${k.kernelName} ${Object.values((args as { inputs: Record<string, tf.TensorInfo | undefined> }).inputs).map((t) => (t ? `[${t.shape.join(',')}]` : '-')).join(' ')}` : k.kernelName;
        const s = stats.get(key) ?? { calls: 0, us: 0 };
        s.calls++;
        s.us += cpuUs() - t0;
        stats.set(key, s);
      }
    }) as tf.KernelFunc,
  });
}
const t0 = cpuUs();
const w0 = performance.now();
if (b) for (let i = 0; i < steps; i++) b.step();
else {
  const { WORKLOADS } = await import('./train_workloads.ts');
  const r = await WORKLOADS[workload]!({ steps, warmup: 1 });
  console.log(`${workload}: ${r.ms} ms/${r.unit} (cpu ${r.cpu_ms}) while profiled`);
}
const total = (cpuUs() - t0) / 1000 / steps;
const wall = (performance.now() - w0) / steps;
const rows = [...stats].sort((x, y) => y[1].us - x[1].us);
let inKernels = 0;
for (const [name, s] of rows) {
  inKernels += s.us / 1000 / steps;
  console.log(`${name.padEnd(byShape ? 60 : 24)} ${String(s.calls / steps).padStart(6)} calls  ${(s.us / 1000 / steps).toFixed(2).padStart(8)} ms`);
}
console.log(`kernels ${inKernels.toFixed(1)} ms, outside kernels ${(total - inKernels).toFixed(1)} ms, step CPU ${total.toFixed(1)} ms, wall ${wall.toFixed(1)} ms`);
b?.dispose();
