import { describeFx } from '../fixtures.ts';
import { describe, it, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir, FIXTURES } from '../data/helpers.ts';

const t = tempDir('lara-cli-ds-');
afterAll(() => t.cleanup());
/** Run the CLI without blocking the test worker (spawnSync starves vitest's RPC on a busy machine). */
const lara = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((res) => {
    execFile(process.execPath, [resolve('bin/lara.mjs'), ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      res({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

describeFx('lara dataset import / info / view / split', { timeout: 120_000 }, () => {
  const out = join(t.dir, 'crafter');
  it('imports a video and prints the summary', async () => {
    const r = await lara('dataset', 'import', join(FIXTURES, 'video/crafter-64px.mp4'), '--format', 'video', '--out', out, '--episode-length', '50', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/imported 2 episodes, 100 steps/);
    expect(r.stdout).toMatch(/cameras\s+main 64x64 png/);
  });

  it('view writes a contact sheet PNG and a GIF', async () => {
    const prefix = join(t.dir, 'view', 'ep1');
    const r = await lara('dataset', 'view', out, '--episode', '1', '--out', prefix, '--max-frames', '16');
    expect(r.status).toBe(0);
    expect(readFileSync(`${prefix}.png`).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(`${prefix}.gif`).subarray(0, 6).toString()).toBe('GIF89a');
  });

  it('split writes splits.json; the info table shows it', async () => {
    const r = await lara('dataset', 'split', out, '--val', '0.5', '--seed', '3');
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'splits.json'), 'utf8'));
    expect(s.train.length + s.val.length).toBe(2);
    const info = (await lara('dataset', 'info', out)).stdout;
    expect(info).toMatch(/splits\s+train 1, val 1/);
    expect(info).toMatch(/episode length\s+min 50, median 50, mean 50.0, max 50/);
    expect(info).toMatch(/actions\s+none \(video only\)/);
  });

  it('bad input exits non-zero with one clear line and no output folder', async () => {
    const r = await lara('dataset', 'import', join(FIXTURES, 'rosbag/turtlesim-lz4.bag'), '--format', 'rosbag', '--out', join(t.dir, 'turtle'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^lara: error: .*turtlesim-lz4\.bag: bag has no image topic/m);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(join(t.dir, 'turtle'))).toBe(false);
    expect(readdirSync(t.dir).filter((f) => f.startsWith('.lara-tmp'))).toEqual([]);
  });
});
