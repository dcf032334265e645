/**
 * Kill/resume: a real child process trains with checkpoints every 10 steps, is SIGKILLed between
 * checkpoints, then resumed with --resume; the result must equal an uninterrupted run bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, cpSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readMetrics } from '../../src/train/metrics.ts';
import { listCheckpoints } from '../../src/checkpoint/checkpoint.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = 'test/train/tiny-run.ts';
const STEPS = 60;
const EVERY = 10;
const SEED = 3;

/** Run the child to completion (async, so the vitest worker stays responsive). */
function runToEnd(runDir: string, resume: boolean): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn('node', ['bin/run-ts.mjs', SCRIPT, runDir, String(STEPS), String(EVERY), String(SEED), resume ? '1' : '0', '0'], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`child failed (${code}): ${err}`))));
  });
}

/** Start a run that pauses after step `pauseAt` (between checkpoints) and SIGKILL it there. */
function runAndKill(runDir: string, pauseAt: number): Promise<{ lastSeen: number; signal: string | null }> {
  return new Promise((res, rej) => {
    const child = spawn('node', ['bin/run-ts.mjs', SCRIPT, runDir, String(STEPS), String(EVERY), String(SEED), '0', String(pauseAt)], { cwd: ROOT });
    let out = '';
    let lastSeen = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/^step (\d+)$/gm)) lastSeen = Math.max(lastSeen, Number(m[1]));
      if (lastSeen >= pauseAt && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', rej);
    child.on('close', (_code, signal) => res({ lastSeen, signal }));
  });
}

describe('kill and resume', () => {
  it('a SIGKILLed run resumes from its last checkpoint and ends bit-identical to an uninterrupted run', async () => {
    const base = mkdtempSync(join(tmpdir(), 'lara-resume-'));
    const straight = join(base, 'straight');
    const killed = join(base, 'killed');
    const straightRun = runToEnd(straight, false);
    const { lastSeen, signal } = await runAndKill(killed, 25);
    expect(signal).toBe('SIGKILL');
    expect(lastSeen).toBe(25);
    // the newest checkpoint is the last multiple of EVERY before the kill: at most EVERY-1 steps lost
    const steps = listCheckpoints(join(killed, 'ckpt')).map((c) => c.step);
    const lastCkpt = Math.max(...steps);
    expect(lastCkpt).toBe(20);
    expect(readMetrics(join(killed, 'metrics.jsonl'))).toHaveLength(25); // 5 steps past the checkpoint, lost

    await straightRun;
    const out = await runToEnd(killed, true);
    expect(out).toMatch(new RegExp(`resumed from .*ckpt-${String(lastCkpt).padStart(8, '0')} at step ${lastCkpt}`));
    expect(out).toMatch(`done start=${lastCkpt} step=${STEPS}`);

    const final = (run: string, f: string): Buffer => readFileSync(join(run, 'ckpt', `ckpt-${String(STEPS).padStart(8, '0')}`, f));
    expect(final(killed, 'model.safetensors').equals(final(straight, 'model.safetensors'))).toBe(true);
    expect(final(killed, 'optimizer.safetensors').equals(final(straight, 'optimizer.safetensors'))).toBe(true);
    const st = (run: string): unknown => {
      const { savedAt: _ignored, ...rest } = JSON.parse(final(run, 'state.json').toString());
      return rest;
    };
    expect(st(killed)).toEqual(st(straight));

    // metrics: one history, each step once, the same losses as the uninterrupted run
    const a = readMetrics(join(killed, 'metrics.jsonl'));
    const b = readMetrics(join(straight, 'metrics.jsonl'));
    expect(a.map((r) => r.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(a).toEqual(b);
    // the model learned something (loss went down), so equality is not vacuous
    expect(b.at(-1)!.loss).toBeLessThan(b[0]!.loss);
  });

  it('a leftover partial checkpoint (.tmp) is ignored: resume uses the previous good one', async () => {
    const base = mkdtempSync(join(tmpdir(), 'lara-resume-'));
    const straight = join(base, 'straight');
    await runToEnd(straight, false);
    // Make a run that stopped at step 30 with a half-written ckpt-40.tmp, by copying the
    // straight run's ckpt-50/60 away and faking the state a kill during a save leaves.
    const partial = join(base, 'partial');
    mkdirSync(join(partial, 'ckpt'), { recursive: true });
    const src = join(straight, 'ckpt');
    const keep = readdirSync(src).filter((n) => n.startsWith('ckpt-'));
    // the straight run kept 2 (keep: 2): ckpt-50 and ckpt-60. Use ckpt-50 as the good one.
    expect(keep).toEqual(['ckpt-00000050', 'ckpt-00000060']);
    cpSync(join(src, 'ckpt-00000050'), join(partial, 'ckpt', 'ckpt-00000050'), { recursive: true });
    writeFileSync(join(partial, 'ckpt', 'latest'), 'ckpt-00000050\n');
    mkdirSync(join(partial, 'ckpt', 'ckpt-00000060.tmp'));
    writeFileSync(join(partial, 'ckpt', 'ckpt-00000060.tmp', 'model.safetensors'), 'garbage');
    const metrics = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 55).join('\n') + '\n{"step": 56, "lo';
    writeFileSync(join(partial, 'metrics.jsonl'), metrics);

    const out = await runToEnd(partial, true);
    expect(out).toMatch(/resumed from .*ckpt-00000050 at step 50/);
    const f = (run: string): Buffer => readFileSync(join(run, 'ckpt', 'ckpt-00000060', 'model.safetensors'));
    expect(f(partial).equals(f(straight))).toBe(true);
    expect(readdirSync(join(partial, 'ckpt')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readMetrics(join(partial, 'metrics.jsonl'))).toEqual(readMetrics(join(straight, 'metrics.jsonl')));
  });
});
