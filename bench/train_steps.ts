/**
 * The product's real work at the `small` presets (bench/train_workloads.ts), on wasm and
 * wasm + native accelerator, beside PyTorch twins of the LAM and dynamics steps
 * (bench/torch_models.py) in the same run.
 *
 *   node bin/run-ts.mjs bench/train_steps.ts [--backends wasm,wasm+native] [--only lam,dynamics]
 *                                            [--steps 5] [--warmup 2] [--rounds 1] [--no-torch]
 *
 * Each configuration runs every workload in its own child process. With --rounds R the best
 * (lowest wall) median per configuration and workload is reported. Prints a table (wall ms, CPU
 * ms, native speed-up, ×torch) and one JSON line; writes bench/results/train-steps-<time>.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeJsonAtomic } from '../src/util/atomic.ts';
import { PYTHON, repoRoot, torchUnavailable } from './torch.ts';
import type { WorkloadResult } from './train_workloads.ts';

const CONFIGS = ['wasm', 'wasm+native'] as const;
type Config = (typeof CONFIGS)[number];
const ALL = ['tokenizer', 'lam', 'dynamics', 'dynamics-task', 'policy', 'agent', 'label', 'maskgit'];
/** Workloads with a PyTorch twin (bench/torch_models.py), by twin name. */
const TWINS: Record<string, string> = { lam: 'lam', dynamics: 'dynamics' };
const twinScript = resolve(repoRoot, 'bench', 'torch_models.py');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

interface ChildOut {
  config: Config;
  accelerator: string;
  results: Record<string, WorkloadResult>;
  skipped?: string;
}

/** Child mode: all requested workloads on one configuration, one JSON line. */
async function one(config: Config, only: string[], steps: number, warmup: number): Promise<void> {
  const { initBackend } = await import('../src/backend/select.ts');
  const { WORKLOADS } = await import('./train_workloads.ts');
  const choice = await initBackend('wasm', { accelerator: config === 'wasm+native' });
  const accelerator = choice.accelerator.status === 'loaded' ? choice.accelerator.detail : 'none';
  if (config === 'wasm+native' && choice.accelerator.status !== 'loaded') {
    process.stdout.write(JSON.stringify({ config, accelerator, results: {}, skipped: `native accelerator ${choice.accelerator.status}: ${choice.accelerator.detail}` }) + '\n');
    return;
  }
  const results: Record<string, WorkloadResult> = {};
  for (const w of only) {
    results[w] = await WORKLOADS[w]!({ steps, warmup });
    process.stderr.write(`  ${config} ${w}: ${results[w]!.ms} ms/${results[w]!.unit} (cpu ${results[w]!.cpu_ms})\n`);
  }
  process.stdout.write(JSON.stringify({ config, accelerator, results }) + '\n');
}

function runJsonLines(cmd: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<string[]> {
  return new Promise((res, rej) => {
    const p = execFile(cmd, args, { env, timeout: 1_800_000, encoding: 'utf8', maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{'));
      if (err || lines.length === 0) return rej(new Error(`${what} failed: ${(stderr || err?.message || 'no output').trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`));
      res(lines);
    });
    p.stderr?.pipe(process.stderr);
  });
}

async function child(config: Config, only: string[], steps: number, warmup: number): Promise<ChildOut> {
  const env = { ...process.env };
  if (config === 'wasm') env.LARA_NATIVE = 'off';
  const lines = await runJsonLines(process.execPath, [resolve(repoRoot, 'bin/run-ts.mjs'), resolve(repoRoot, 'bench/train_steps.ts'), '--one', config,
    '--only', only.join(','), '--steps', String(steps), '--warmup', String(warmup)], env, `bench ${config}`);
  return JSON.parse(lines.pop()!) as ChildOut;
}

interface TwinResult { model: string; framework: string; params: number; train_step_ms: number; forward_ms: number }

async function twins(models: string[], steps: number): Promise<TwinResult[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const lines = await runJsonLines(PYTHON, [twinScript, '--threads', '1', '--steps', String(steps), '--models', models.join(',')], env, 'torch twins');
  return lines.map((l) => JSON.parse(l) as TwinResult);
}

async function main(): Promise<void> {
  const steps = Number(arg('steps', '5'));
  const warmup = Number(arg('warmup', '2'));
  const only = arg('only', ALL.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const w of only) if (!ALL.includes(w)) throw new Error(`--only: unknown workload ${w}; expected some of ${ALL.join(',')}`);
  const oneCfg = arg('one', '');
  if (oneCfg) return one(oneCfg as Config, only, steps, warmup);

  const configs = arg('backends', CONFIGS.join(',')).split(',').map((s) => s.trim()) as Config[];
  for (const c of configs) if (!CONFIGS.includes(c)) throw new Error(`--backends: unknown ${c}; expected some of ${CONFIGS.join(',')}`);
  const rounds = Math.max(1, Number(arg('rounds', '1')));
  const twinModels = only.filter((w) => TWINS[w]).map((w) => TWINS[w]!);
  const torchWhy = process.argv.includes('--no-torch') ? 'disabled by --no-torch'
    : twinModels.length === 0 ? 'no workload with a twin selected'
    : !existsSync(twinScript) ? `${twinScript} missing` : await torchUnavailable();

  const best: Record<string, Record<string, WorkloadResult & { all_ms: number[] }>> = {};
  const accel: Record<string, string> = {};
  const skipped: Record<string, string> = {};
  const torchBest: Record<string, TwinResult & { all_ms: number[] }> = {};
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) {
      process.stderr.write(`round ${r + 1}/${rounds} ${c}\n`);
      const out = await child(c, only, steps, warmup);
      accel[c] = out.accelerator;
      if (out.skipped) skipped[c] = out.skipped;
      for (const [w, res] of Object.entries(out.results)) {
        const prev = (best[c] ??= {})[w];
        const all = [...(prev?.all_ms ?? []), res.ms];
        best[c]![w] = !prev || res.ms < prev.ms ? { ...res, all_ms: all } : { ...prev, all_ms: all };
      }
    }
    if (!torchWhy) {
      process.stderr.write(`round ${r + 1}/${rounds} torch twins (${twinModels.join(', ')})\n`);
      for (const t of await twins(twinModels, steps)) {
        const prev = torchBest[t.model];
        const all = [...(prev?.all_ms ?? []), t.train_step_ms];
        torchBest[t.model] = !prev || t.train_step_ms < prev.train_step_ms ? { ...t, all_ms: all } : { ...prev, all_ms: all };
      }
    }
  }

  const f = (x: number | undefined, d = 1): string => (x === undefined ? '-' : x.toFixed(d));
  const lines = [`${'workload'.padEnd(14)} ${'unit'.padEnd(6)} ${'wasm ms'.padStart(9)} ${'cpu'.padStart(8)} ${'native ms'.padStart(10)} ${'cpu'.padStart(8)} ${'speed-up'.padStart(9)} ${'torch ms'.padStart(9)} ${'×torch'.padStart(7)}  notes`];
  const rows = only.map((w) => {
    const a = best.wasm?.[w];
    const n = best['wasm+native']?.[w];
    const t = TWINS[w] ? torchBest[TWINS[w]!] : undefined;
    const fast = n ?? a;
    const row = {
      workload: w,
      unit: (a ?? n)?.unit ?? '-',
      wasm: a ?? null,
      native: n ?? null,
      native_speedup: a && n ? +(a.ms / n.ms).toFixed(2) : null,
      torch: t ?? null,
      vs_torch: t && fast ? +(fast.ms / t.train_step_ms).toFixed(2) : null,
      params_match: t && fast?.params !== undefined ? t.params === fast.params : null,
    };
    const notes = [fast?.fps !== undefined ? `${a?.fps ?? '-'} → ${n?.fps ?? '-'} frames/s` : '', fast?.params !== undefined ? `${fast.params} params` : '', t && row.params_match === false ? `torch ${t.params} params` : ''].filter(Boolean).join(', ');
    lines.push(`${w.padEnd(14)} ${row.unit.padEnd(6)} ${f(a?.ms).padStart(9)} ${f(a?.cpu_ms).padStart(8)} ${f(n?.ms).padStart(10)} ${f(n?.cpu_ms).padStart(8)} ${(row.native_speedup === null ? '-' : row.native_speedup.toFixed(2) + '×').padStart(9)} ${f(t?.train_step_ms).padStart(9)} ${(row.vs_torch === null ? '-' : row.vs_torch.toFixed(2)).padStart(7)}  ${notes}`);
    return row;
  });
  lines.push(torchWhy ? `torch twins: not run (${torchWhy})` : `torch twins: ${Object.values(torchBest)[0]?.framework ?? ''}, 1 thread; ×torch = wasm+native (or wasm) ÷ torch`);
  for (const [c, why] of Object.entries(skipped)) lines.push(`${c}: skipped (${why})`);
  for (const [c, a] of Object.entries(accel)) lines.push(`${c}: accelerator ${a}`);
  process.stdout.write(lines.join('\n') + '\n');

  const result = { bench: 'train-steps', when: new Date().toISOString(), steps, warmup, rounds, accelerator: accel, rows, torch_skipped: torchWhy ?? undefined, skipped };
  process.stdout.write(JSON.stringify(result) + '\n');
  mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
  const file = resolve(repoRoot, 'bench/results', `train-steps-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeJsonAtomic(file, result);
  process.stderr.write(`saved ${file}\n`);
}

await main();
