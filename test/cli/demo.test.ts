/**
 * `lara demo` end to end on a small config: the report's sections, and a SIGKILLed demo run
 * resumed with --resume (no other flags: the saved config is reused) ends with weights and
 * optimizer state byte-identical to an uninterrupted run (nn ST-transformer + AdamW); section 4
 * (the shipped agent's LAM labels fresh expert episodes) writes its report and plot, section 5 (the
 * shipped reach agent vs expert and random) its table, plot and GIF; --skip-agent skips both.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listCheckpoints } from '../../src/checkpoint/checkpoint.ts';
import { readMetrics } from '../../src/train/metrics.ts';
import { lara, ROOT } from './helpers.ts';

const STEPS = 150;
const SMALL = ['--steps', String(STEPS), '--set', 'data.batch=2', '--set', 'data.frames=4', '--set', 'model.width=8', '--set', 'model.heads=2', '--set', 'model.layers=1', '--set', 'train.checkpointEvery=10'];

function countLines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')).length : 0;
}

/** Start `lara demo`, SIGKILL it once metrics.jsonl has `after` lines. */
function demoKilledAfter(out: string, after: number): Promise<{ signal: string | null; seen: number }> {
  return new Promise((res, rej) => {
    const child = spawn('node', [resolve(ROOT, 'bin/lara.mjs'), 'demo', '--out', out, ...SMALL], { cwd: ROOT, stdio: 'ignore' });
    const metrics = join(out, 'metrics.jsonl');
    let seen = 0;
    const timer = setInterval(() => {
      seen = countLines(metrics);
      if (seen >= after) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('error', rej);
    child.on('close', (_c, signal) => {
      clearInterval(timer);
      res({ signal, seen });
    });
  });
}

/** A demo toy model that trains in a second (sections 1-3 are not what these tests look at). */
const TINY = ['--steps', '5', '--set', 'data.batch=2', '--set', 'data.frames=4', '--set', 'model.width=8', '--set', 'model.heads=2', '--set', 'model.layers=1'];

describe('lara demo', () => {
  it('runs, reports, and a killed run resumes to the same bytes as an uninterrupted one', async () => {
    const base = mkdtempSync(join(tmpdir(), 'lara-demo-'));
    const straight = join(base, 'straight');
    const killed = join(base, 'killed');
    const [full, kill] = await Promise.all([lara(['demo', '--out', straight, ...SMALL]), demoKilledAfter(killed, 15)]);

    expect(full.code, full.stderr).toBe(0);
    for (const s of ['== 1. machine', 'backend ', '== 2. train a toy ST-transformer', '== 3. result', `training loss (${STEPS} steps)`, 'first loss ', 'last loss ', 'held-out loss ', 'sparkline ']) {
      expect(full.stdout).toContain(s);
    }
    expect(full.stdout).toContain(`checkpoint    ${join(straight, 'ckpt', 'ckpt-00000150')}`);
    const m = readMetrics(join(straight, 'metrics.jsonl'));
    expect(m).toHaveLength(STEPS);
    const first = Number(/first loss +([\d.]+)/.exec(full.stdout)![1]);
    const last = Number(/last loss +([\d.]+)/.exec(full.stdout)![1]);
    expect(first).toBeCloseTo(m[0]!.loss, 4);
    expect(last).toBeCloseTo(m.at(-1)!.loss, 4);

    expect(kill.signal).toBe('SIGKILL');
    const steps = listCheckpoints(join(killed, 'ckpt')).map((c) => c.step);
    expect(steps.length).toBeGreaterThan(0);
    const lastCkpt = Math.max(...steps);
    expect(lastCkpt).toBeLessThan(STEPS);
    // at most the steps since the last checkpoint are lost
    expect(countLines(join(killed, 'metrics.jsonl')) - lastCkpt).toBeLessThan(10 + 1);

    const resumed = await lara(['demo', '--out', killed, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resumed from .*ckpt-${String(lastCkpt).padStart(8, '0')} at step ${lastCkpt}`));
    expect(resumed.stdout).toContain(`(resumed at step ${lastCkpt})`);
    const f = (run: string, name: string): Buffer => readFileSync(join(run, 'ckpt', 'ckpt-00000150', name));
    expect(f(killed, 'model.safetensors').equals(f(straight, 'model.safetensors'))).toBe(true);
    expect(f(killed, 'optimizer.safetensors').equals(f(straight, 'optimizer.safetensors'))).toBe(true);
    expect(f(killed, 'config.json').equals(f(straight, 'config.json'))).toBe(true);
    expect(readMetrics(join(killed, 'metrics.jsonl'))).toEqual(m);

    // section 4: the shipped agent's LAM labels fresh expert episodes from their frames
    expect(full.stdout).toContain("== 4. label demonstrations with the agent's frozen LAM");
    const report = join(straight, 'report');
    const labels = JSON.parse(readFileSync(join(report, 'labels', 'report.json'), 'utf8')) as { transitions: number; perCode: { count: number; actionMean?: number[] }[]; actionNames: string[] };
    expect(labels.transitions).toBeGreaterThan(30);
    expect(labels.perCode.reduce((a, c) => a + c.count, 0)).toBe(labels.transitions);
    // the codes mean motions: the code used most and the one with the most leftward expert motion differ in mean x by > 0.5
    const ix = labels.actionNames.indexOf('world_vector.x');
    const used = labels.perCode.filter((c) => c.count > 0).map((c) => c.actionMean![ix]!);
    expect(Math.max(...used) - Math.min(...used)).toBeGreaterThan(0.5);
    expect(full.stdout).toMatch(/\d+ transitions at \d+ frames\/s on wasm/);
    const codesSvg = readFileSync(join(report, 'labels', 'codes.svg'), 'utf8');
    expect(codesSvg.match(/class="bar"/g)?.length).toBe(8);
    expect(readFileSync(join(report, 'labels', 'strip.png')).subarray(1, 4).toString('latin1')).toBe('PNG');

    // section 5: the shipped agent, the expert and random on the same seeded episodes
    expect(full.stdout).toContain('== 5. act with a shipped agent');
    expect(readFileSync(join(report, 'agent-success.svg'), 'utf8').match(/class="bar"/g)?.length).toBe(3);
    const rows = ['tabletop-reach-latent', 'scripted-expert', 'random'].map((name) => new RegExp(`\\| ${name} \\| (\\d+)/10 [\\d.]+% \\[[\\d.]+, [\\d.]+\\]`).exec(full.stdout));
    expect(rows.every((r) => r !== null)).toBe(true);
    expect(Number(rows[1]![1])).toBe(10); // the scripted expert always reaches
    expect(Number(rows[2]![1])).toBeLessThanOrEqual(2); // random rarely does
    expect(Number(rows[0]![1])).toBeGreaterThanOrEqual(6); // the shipped latent agent: 82/100 on 100 seeds, 8/10 on these
    const md = readFileSync(join(report, 'agent-eval.md'), 'utf8');
    for (const name of ['tabletop-reach-latent', 'scripted-expert', 'random']) expect(md).toContain(`| ${name} |`);
    const json = JSON.parse(readFileSync(join(report, 'agent-eval.json'), 'utf8')) as { comparison: { rows: { agent: string; overall: { episodes: number; lo: number; hi: number } }[] } };
    expect(json.comparison.rows.map((r) => r.agent)).toEqual(['tabletop-reach-latent', 'scripted-expert', 'random']);
    for (const r of json.comparison.rows) expect(r.overall.episodes).toBe(10);
    const gif = readFileSync(join(report, 'agent-episode.gif'));
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(gif.readUInt16LE(6)).toBe(128); // 32 px upscaled 4x
    expect(resumed.stdout).toContain('== 5. act with a shipped agent');
  });

  it('--from-scratch retrains the agent with the shipped recipe and shows that one (LARA_QUICK: plumbing only)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lara-demo-scratch-')), 'run');
    const r = await lara(['demo', '--out', out, '--from-scratch', '--agent-episodes', '2', '--label-episodes', '2', ...TINY], { env: { LARA_QUICK: '1', LARA_THREADS: '1' } });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toContain('== 4. retrain the latent agent from scratch');
    expect(r.stdout).toMatch(/\| tabletop-reach-latent \| \d\/4 /); // the recipe's own evaluation (4 episodes under LARA_QUICK)
    expect(r.stdout).toContain("== 5. label demonstrations with the agent's frozen LAM");
    expect(r.stdout).toContain('== 6. act with the retrained agent');
    const agent = join(out, 'agents', 'tabletop-reach-latent');
    expect(r.stdout).toContain(agent);
    for (const f of ['agent.json', 'mapping.json', 'policy/policy.json', 'lam/model.safetensors']) expect(existsSync(join(agent, f)), f).toBe(true);
    expect(existsSync(join(out, 'from-scratch', 'lam-small-motion', 'ckpt'))).toBe(true);
    expect(existsSync(join(out, 'report', 'agent-episode.gif'))).toBe(true);
  }, 600_000);

  it('--skip-agent leaves out sections 4 and 5', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lara-demo-skip-')), 'run');
    const r = await lara(['demo', '--out', out, '--skip-agent', ...TINY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('== 3. result');
    expect(r.stdout).not.toContain('== 4.');
    expect(existsSync(join(out, 'report'))).toBe(false);
  });
});
