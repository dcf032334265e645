/**
 * `npm run bench` — the toy ST step (bench/README.md) on lara's backends and, where Debian's
 * PyTorch is importable, the PyTorch reference in the same run.
 *
 *   node bin/run-ts.mjs bench/run.ts [--backends wasm,wasm+native,cpu] [--steps 10] [--warmup 3]
 *                                    [--cpu-steps 3] [--rounds 1] [--no-torch]
 *
 * Each configuration runs in its own child process (fresh tfjs state). With --rounds R every
 * configuration runs R times, interleaved with the reference; the best median per
 * configuration is reported (the machine is shared, so the best round is the least disturbed).
 * Prints a table and one JSON line, and writes bench/results/<timestamp>.json.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeJsonAtomic } from '../src/util/atomic.ts';
import { repoRoot, runTorch, torchUnavailable, type TorchResult } from './torch.ts';

const CONFIGS = ['wasm', 'wasm+native', 'cpu'] as const;
type Config = (typeof CONFIGS)[number];

export interface LaraRun {
  config: Config;
  backend: string;
  accelerator: string;
  params: number;
  steps: number;
  train_step_ms: number;
  forward_ms: number;
  /** Median CPU time of the process per step (steadier under load than wall time). */
  train_step_cpu_ms: number;
  forward_cpu_ms: number;
  loss_first: number;
  loss_last: number;
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

/** Child mode: measure one configuration and print one JSON line. */
async function one(config: Config, steps: number, warmup: number): Promise<void> {
  const { initBackend } = await import('../src/backend/select.ts');
  const { makeToyBench, timeMedian, TOY_PARAMS } = await import('./st_step.ts');
  const choice = await initBackend(config === 'cpu' ? 'cpu' : 'wasm', { accelerator: config === 'wasm+native' });
  if (config === 'wasm+native' && choice.accelerator.status !== 'loaded') {
    process.stdout.write(JSON.stringify({ config, skipped: `native accelerator ${choice.accelerator.status}: ${choice.accelerator.detail}` }) + '\n');
    return;
  }
  const b = makeToyBench();
  const params = b.model.store.count();
  if (params !== TOY_PARAMS) throw new Error(`toy model has ${params} parameters, expected ${TOY_PARAMS}`);
  const lossFirst = b.step();
  let lossLast = lossFirst;
  const train = timeMedian(() => (lossLast = b.step()), steps, Math.max(0, warmup - 1));
  const fwd = timeMedian(() => b.forward(), steps, warmup);
  const r: LaraRun = {
    config,
    backend: choice.chosen,
    accelerator: choice.accelerator.status === 'loaded' ? choice.accelerator.detail : 'none',
    params,
    steps,
    train_step_ms: +train.wall.toFixed(2),
    forward_ms: +fwd.wall.toFixed(2),
    train_step_cpu_ms: +train.cpu.toFixed(2),
    forward_cpu_ms: +fwd.cpu.toFixed(2),
    loss_first: +lossFirst.toFixed(4),
    loss_last: +lossLast.toFixed(4),
  };
  process.stdout.write(JSON.stringify(r) + '\n');
}

function child(config: Config, steps: number, warmup: number): Promise<LaraRun | { config: Config; skipped: string }> {
  return new Promise((res, rej) => {
    const env = { ...process.env };
    if (config === 'wasm') env.LARA_NATIVE = 'off';
    execFile(
      process.execPath,
      [resolve(repoRoot, 'bin/run-ts.mjs'), resolve(repoRoot, 'bench/run.ts'), '--one', config, '--steps', String(steps), '--warmup', String(warmup)],
      { env, timeout: 1_800_000, encoding: 'utf8', maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
        if (err || !line) return rej(new Error(`bench ${config} failed: ${(stderr || err?.message || 'no output').trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`));
        res(JSON.parse(line));
      },
    );
  });
}

async function main(): Promise<void> {
  const steps = Number(arg('steps', '10'));
  const warmup = Number(arg('warmup', '3'));
  const oneCfg = arg('one', '');
  if (oneCfg) return one(oneCfg as Config, steps, warmup);

  const configs = arg('backends', 'wasm,wasm+native').split(',').map((s) => s.trim()) as Config[];
  for (const c of configs) if (!CONFIGS.includes(c)) throw new Error(`--backends: unknown ${c}; expected some of ${CONFIGS.join(',')}`);
  const cpuSteps = Number(arg('cpu-steps', '3'));
  const rounds = Math.max(1, Number(arg('rounds', '1')));
  const noTorch = process.argv.includes('--no-torch');
  const torchWhy = noTorch ? 'disabled by --no-torch' : await torchUnavailable();

  const laraRuns: Record<string, LaraRun[]> = {};
  const skipped: Record<string, string> = {};
  const torchRuns: TorchResult[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) {
      const res = await child(c, c === 'cpu' ? cpuSteps : steps, c === 'cpu' ? 1 : warmup);
      if ('skipped' in res) skipped[c] = res.skipped;
      else (laraRuns[c] ??= []).push(res);
      process.stderr.write(`round ${r + 1}/${rounds} ${c}: ${'skipped' in res ? res.skipped : `${res.train_step_ms} ms/step (cpu ${res.train_step_cpu_ms}), ${res.forward_ms} ms/fwd`}\n`);
    }
    if (!torchWhy) {
      const t = await runTorch(steps);
      torchRuns.push(t);
      process.stderr.write(`round ${r + 1}/${rounds} torch: ${t.train_step_ms} ms/step, ${t.forward_ms} ms/fwd\n`);
    }
  }
  const best = <T extends { train_step_ms: number }>(xs: T[]): T => xs.reduce((a, b) => (b.train_step_ms < a.train_step_ms ? b : a));
  const torch = torchRuns.length ? best(torchRuns) : undefined;
  const rows = Object.entries(laraRuns).map(([c, xs]) => {
    const b = best(xs);
    return { ...b, all_train_ms: xs.map((x) => x.train_step_ms), vs_torch: torch ? +(b.train_step_ms / torch.train_step_ms).toFixed(2) : null };
  });

  const head = `${'config'.padEnd(12)} ${'params'.padStart(8)} ${'ms/step'.padStart(9)} ${'ms/fwd'.padStart(8)} ${'×torch'.padStart(7)} ${'cpu/step'.padStart(9)}  loss`;
  const lines = [head];
  for (const r of rows) {
    lines.push(`${r.config.padEnd(12)} ${String(r.params).padStart(8)} ${r.train_step_ms.toFixed(1).padStart(9)} ${r.forward_ms.toFixed(1).padStart(8)} ${(r.vs_torch === null ? '-' : r.vs_torch.toFixed(2)).padStart(7)} ${r.train_step_cpu_ms.toFixed(1).padStart(9)}  ${r.loss_first}→${r.loss_last}`);
  }
  if (torch) lines.push(`${'torch 1thr'.padEnd(12)} ${String(torch.params).padStart(8)} ${torch.train_step_ms.toFixed(1).padStart(9)} ${torch.forward_ms.toFixed(1).padStart(8)} ${'1.00'.padStart(7)}  (${torch.framework})`);
  else lines.push(`torch: not run (${torchWhy})`);
  for (const [c, why] of Object.entries(skipped)) lines.push(`${c}: skipped (${why})`);
  process.stdout.write(lines.join('\n') + '\n');

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const result = {
    bench: 'toy-st-step',
    when: new Date().toISOString(),
    shape: { B: 8, T: 8, S: 16, V: 1024, D: 128, H: 4, layers: 1 },
    steps,
    warmup,
    rounds,
    lara: rows,
    torch: torch ?? null,
    torch_all_train_ms: torchRuns.map((t) => t.train_step_ms),
    torch_skipped: torch ? undefined : torchWhy,
    skipped,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
  const file = resolve(repoRoot, 'bench/results', `${stamp}.json`);
  writeJsonAtomic(file, result);
  process.stderr.write(`saved ${file}\n`);
}

await main();
