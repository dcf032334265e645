import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset } from '../../src/data/Dataset.ts';
import { generateDataset, simulatedRobot } from '../../src/cli/dataset-generate.ts';
import { lara } from './helpers.ts';

describe('lara dataset generate', () => {
  it('writes a readable dataset with per-task success (library form)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lara-gen-')), 'ds');
    const lines: string[] = [];
    const s = await generateDataset(out, { task: 'all', episodes: 6, seed: 2, noise: 0.1, workers: 1, sim: { width: 32, height: 32 } }, 'png', false, (l) => lines.push(l));
    expect(s.episodes).toBe(6);
    expect(Object.keys(s.perTask)).toEqual(['reach', 'push', 'pick-place']);
    expect(s.perTask.push).toEqual({ episodes: 2, success: 2 });
    expect(lines.at(-1)).toMatch(/6\/6 episodes, success 6\/6/);
    const ds = Dataset.open(out);
    expect(ds.numEpisodes).toBe(6);
    expect(ds.info.robot).toBe('tabletop-sim');
    expect(ds.info.action!.dim).toBe(8);
    expect(ds.info.fps).toBe(10);
    const ep = await ds.readEpisode(1);
    expect(ep.instruction).toMatch(/^push the \w+ block to the \w+ zone$/);
    expect(ep.cameras.image!.frames[0]!.length).toBe(32 * 32 * 3);
    expect(ep.actions!.length).toBe(ep.timestamps.length);
    expect(ep.actions!.at(-1)![7]).toBe(1);
    await ds.close();
  });

  it('runs from the command line and rejects bad options without leaving output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-gen-'));
    const out = join(dir, 'ds');
    const ok = await lara(['dataset', 'generate', '--task', 'reach', '--episodes', '3', '--out', out, '--size', '32', '--workers', '1']);
    expect(ok.stderr).toMatch(/3\/3 episodes/);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/wrote 3 episodes .*\n.*\n\s+reach\s+3\/3\s+100.0%/);
    expect(existsSync(join(out, 'info.json'))).toBe(true);
    const bad = await lara(['dataset', 'generate', '--task', 'stack', '--episodes', '3', '--out', join(dir, 'x')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--task: unknown task 'stack'; expected one of reach, push, pick-place, all/);
    expect(readdirSync(dir).sort()).toEqual(['ds']);
  });

  it('refuses robots without the simulator and existing outputs', async () => {
    expect(() => simulatedRobot('rt1')).toThrow(/--robot: robot 'rt1' has no embedded simulator/);
    expect(simulatedRobot('tabletop-sim').name).toBe('tabletop-sim');
    const dir = mkdtempSync(join(tmpdir(), 'lara-gen-'));
    const gen = { task: 'reach' as const, episodes: 1, seed: 0, noise: 0, workers: 1, sim: { width: 16, height: 16 } };
    await generateDataset(join(dir, 'ds'), gen, 'raw', false);
    await expect(generateDataset(join(dir, 'ds'), gen, 'raw', false)).rejects.toThrow(/already exists/);
    await generateDataset(join(dir, 'ds'), gen, 'raw', true);
    expect(readdirSync(dir)).toEqual(['ds']);
  });
});
