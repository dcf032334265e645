/**
 * End to end on tiny configs: simulator dataset -> lara label (frozen LAM) -> lara train policy
 * (latent and BC) -> lara fit-mapping -> lara agent create / info -> evaluation with baselines,
 * sweep and confusion matrix. Plus the three clear errors the issue asks for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lara } from '../cli/helpers.ts';
import { lamRun, simDataset } from '../label/fixtures.ts';
import { useWasm } from '../policy/helpers.ts';
import { loadRobot } from '../../src/robot/load.ts';
import { loadAgent } from '../../src/agent/load.ts';

beforeAll(useWasm);
const tmp = mkdtempSync(join(tmpdir(), 'lara-e2e-'));
const ok = (r: { code: number | null; stderr: string }) => expect(r.code, r.stderr).toBe(0);
const tinyPolicy = ['--preset', 'tiny', '--set', 'encoder.patch=4', '--steps', '30', '--backend', 'wasm', '--overwrite'];

describe('label -> policy -> mapping -> agent -> eval', () => {
  it('runs the whole recipe with the CLI and evaluates against baselines', async () => {
    const data = join(tmp, 'push');
    await simDataset(data, { episodes: 6 });
    const lam = await lamRun(join(tmp, 'lam'));
    const lab = await lara(['label', data, '--lam', lam, '--backend', 'wasm', '--batch', '8']);
    ok(lab);
    expect(lab.stdout).toMatch(/labelled \d+ frames .* frames\/s on wasm/);
    expect(existsSync(join(data, 'label-report', 'strip.png'))).toBe(true);

    const [pol, bc, bcN, map] = await Promise.all([
      lara(['train', 'policy', '--data', data, '--out', join(tmp, 'policy'), ...tinyPolicy]),
      lara(['train', 'policy', '--data', data, '--out', join(tmp, 'bc-all'), '--set', 'head=regress', ...tinyPolicy]),
      lara(['train', 'policy', '--data', data, '--out', join(tmp, 'bc-n', 'n20'), '--set', 'head=regress', '--labelled', '20', ...tinyPolicy]),
      lara(['fit-mapping', '--data', data, '--labelled', '20', '--robot', 'tabletop-sim', '--out', join(tmp, 'mapping.json')]),
    ]);
    for (const r of [pol, bc, bcN, map]) ok(r);
    expect(map.stdout).toMatch(/dictionary mapping for robot 'tabletop-sim' fitted on 20 labelled transitions/);
    expect(JSON.parse(readFileSync(join(tmp, 'bc-n', 'n20', 'policy', 'policy.json'), 'utf8')).trainedOn.labelled).toBe(20);

    writeFileSync(join(tmp, 'recipe.txt'), 'lara label ...\nlara train policy ...\n');
    const agentDir = join(tmp, 'agents', 'tiny-push');
    const mk = await lara(['agent', 'create', agentDir, '--lam', lam, '--policy', join(tmp, 'policy', 'policy'), '--mapping', join(tmp, 'mapping.json'), '--robot', 'tabletop-sim', '--recipe', join(tmp, 'recipe.txt')]);
    ok(mk);
    const info = await lara(['agent', 'info', agentDir]);
    ok(info);
    expect(info.stdout).toContain('agent tiny-push');
    expect(info.stdout).toMatch(/LAM +4 codes x 8 dims/);
    expect(info.stdout).toMatch(/mapping +mapping\.json: dictionary, fitted on 20 labelled transitions/);
    expect(info.stdout).toContain('lara train policy ...');
    // the bundle carries the LAM's weights (no optimizer state) and labels with the same codes
    expect(existsSync(join(agentDir, 'lam', 'model.safetensors'))).toBe(true);
    expect(existsSync(join(agentDir, 'lam', 'optimizer.safetensors'))).toBe(false);
    const counts = () => JSON.parse(readFileSync(join(data, 'label-report', 'report.json'), 'utf8')).perCode.map((c: { count: number }) => c.count);
    const fromRun = counts();
    ok(await lara(['label', data, '--lam', agentDir, '--backend', 'wasm', '--batch', '8']));
    expect(counts()).toEqual(fromRun);

    const out = join(tmp, 'report');
    const ev = await lara(['eval', 'agent', '--agent', agentDir, '--robot', 'tabletop-sim', '--episodes', '3', '--max-steps', '12', '--seed', '7', '--task', 'push',
      '--bc-oracle', join(tmp, 'bc-all', 'policy'), '--bc', join(tmp, 'bc-n', 'n20', 'policy'), '--sweep', '10,20', '--bc-sweep', join(tmp, 'bc-n'), '--data', data, '--out', out, '--backend', 'wasm']);
    ok(ev);
    expect(ev.stdout).toMatch(/^\| agent \| success \(95% Wilson CI\) \| 95% Clopper-Pearson \| ÷ bc-oracle \|$/m);
    expect(ev.stdout).toMatch(/policy code = LAM code on [\d.]+% of \d+ held-out transitions/);
    const rep = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(rep.comparison.rows.map((x: { agent: string }) => x.agent)).toEqual(['tiny-push', 'bc-20', 'bc-oracle', 'scripted-expert', 'random']);
    expect(rep.comparison.rows.every((x: { overall: { episodes: number } }) => x.overall.episodes === 3)).toBe(true);
    expect(rep.sweep.map((p: { n: number; bc?: unknown }) => [p.n, p.bc !== undefined])).toEqual([[10, false], [20, true]]);
    expect(rep.confusion.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
    for (const f of ['comparison.md', 'comparison.json', 'sweep.svg', 'sweep.json', 'confusion.svg', 'confusion.md']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'comparison.md'), 'utf8')).toMatch(/\| bc-oracle \| \d\/3 /);

    // a latent bundle that records its simulator settings is evaluated in them by default
    const base = ['--lam', lam, '--policy', join(tmp, 'policy', 'policy'), '--mapping', join(tmp, 'mapping.json'), '--robot', 'tabletop-sim'];
    const rec = join(tmp, 'agents', 'tiny-push-rec');
    ok(await lara(['agent', 'create', rec, ...base, '--sim-from', data, '--task', 'push', '--max-steps', '12']));
    expect(JSON.parse(readFileSync(join(rec, 'agent.json'), 'utf8')).eval).toMatchObject({ task: 'push', maxSteps: 12 });
    const ev2 = await lara(['eval', 'agent', '--agent', rec, '--episodes', '2', '--no-random', '--no-scripted', '--out', join(tmp, 'report-rec'), '--backend', 'wasm']);
    ok(ev2);
    expect(ev2.stdout + ev2.stderr).toMatch(/"maxSteps":12.*eval\.sim/);
    const noTask = await lara(['agent', 'create', join(tmp, 'agents', 'no-task'), ...base, '--sim-from', data]);
    expect(noTask.code).not.toBe(0);
    expect(noTask.stderr).toMatch(/--task/);
  }, 300_000);
});

describe('clear errors', () => {
  it('a dataset without actions given to fit-mapping', async () => {
    const data = join(tmp, 'video-only');
    await simDataset(data, { episodes: 2, actions: false });
    const r = await lara(['fit-mapping', '--data', data, '--robot', 'tabletop-sim', '--out', join(tmp, 'm.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lara: error: .*video-only: info.json action: fit-mapping needs native actions, but this dataset has none/m);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(join(tmp, 'm.json'))).toBe(false);
  }, 120_000);
  it('a LAM checkpoint of the wrong shape (and an agent bundle without a LAM)', async () => {
    const data = join(tmp, 'push2');
    await simDataset(data, { episodes: 1 });
    const r = await lara(['label', data, '--lam', await lamRun(join(tmp, 'lam64'), { height: 64, width: 64 }), '--backend', 'wasm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LAM checkpoint does not fit the frames to label; expected 16x16x3 \(the data's frames\), got 64x64x3/);
    const bc = await lara(['label', data, '--lam', 'agents/tabletop-push-bc', '--backend', 'wasm']);
    expect(bc.code).toBe(1);
    expect(bc.stderr).toMatch(/tabletop-push-bc\/agent\.json: lam\.source: this agent has no LAM/);
  }, 120_000);
  it('a mapping fitted for another robot', async () => {
    const agentDir = join(tmp, 'agents', 'tiny-push');
    const spec = JSON.parse(readFileSync(join(agentDir, 'agent.json'), 'utf8'));
    const m = JSON.parse(readFileSync(join(agentDir, 'mapping.json'), 'utf8'));
    writeFileSync(join(agentDir, 'mapping.json'), JSON.stringify({ ...m, robot: 'arm7' }));
    try {
      expect(() => loadAgent(agentDir, loadRobot('tabletop-sim'))).toThrow(/mapping was fitted for robot 'arm7' and cannot drive robot 'tabletop-sim'/);
      expect(() => loadAgent(agentDir, loadRobot('arm7'))).toThrow(new RegExp(`agent '${spec.name}' drives robot 'tabletop-sim', not robot 'arm7'`));
    } finally {
      writeFileSync(join(agentDir, 'mapping.json'), JSON.stringify(m));
    }
  });
});
