import { FIXTURES, itFx } from '../fixtures.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Dataset } from '../../src/data/Dataset.ts';
import { labelDataset } from '../../src/label/dataset.ts';
import { labelEpisodes } from '../../src/label/label.ts';
import { openLam } from '../../src/label/dataset.ts';
import { summariseCodes } from '../../src/label/report.ts';
import { tf } from '../../src/backend/tf.ts';
import { useWasm } from '../policy/helpers.ts';
import { lamRun, simDataset } from './fixtures.ts';

beforeAll(useWasm);
const tmp = mkdtempSync(join(tmpdir(), 'lara-label-'));

describe('labelEpisodes', () => {
  it('gives every transition the code a one-clip-per-window LAM call gives it', async () => {
    const lam = openLam(await lamRun(join(tmp, 'lam-a'))).model;
    const rnd = (n: number) => Array.from({ length: n }, (_, i) => Uint8Array.from({ length: 16 * 16 * 3 }, (_, j) => (i * 37 + j * 11) % 256));
    const eps = [rnd(9), rnd(3), rnd(1)];
    const res = await labelEpisodes(lam, { count: 3, width: 16, height: 16, frames: async (k) => eps[k]! }, { batch: 2 });
    expect(res.codes.map((c) => c.length)).toEqual([8, 2, 0]);
    expect(res.frames).toBe(13);
    // reference: episode 0 windows [0..3], [3..6], [6..8 + pad] one at a time
    const ref: number[] = [];
    for (const s of [0, 3, 6]) {
      const fr = Array.from({ length: 4 }, (_, j) => eps[0]![Math.min(s + j, 8)]!);
      const clip = tf.tensor(Float32Array.from(fr.flatMap((f) => Array.from(f, (v) => v / 255))), [1, 4, 16, 16, 3]);
      const c = Array.from(lam.encodeActions(clip).dataSync());
      ref.push(...c.slice(0, Math.min(3, 8 - s)));
      clip.dispose();
    }
    expect(Array.from(res.codes[0]!)).toEqual(ref);
  });
  it('horizon h: a 2-frame LAM labels transition t from (x_t, x_{t+h}), clamped to the last frame; a longer LAM refuses h > 1', async () => {
    const lam = openLam(await lamRun(join(tmp, 'lam-pair'), { frames: 2 })).model;
    const eps = [Array.from({ length: 7 }, (_, i) => Uint8Array.from({ length: 16 * 16 * 3 }, (_, j) => (i * 53 + j * 7) % 256))];
    const res = await labelEpisodes(lam, { count: 1, width: 16, height: 16, frames: async () => eps[0]! }, { batch: 4, horizon: 3 });
    const ref = [0, 1, 2, 3, 4, 5].map((t) => {
      const fr = [eps[0]![t]!, eps[0]![Math.min(t + 3, 6)]!];
      return tf.tidy(() => lam.encodeActions(tf.tensor(Float32Array.from(fr.flatMap((f) => Array.from(f, (v) => v / 255))), [1, 2, 16, 16, 3])).dataSync()[0]!);
    });
    expect(Array.from(res.codes[0]!)).toEqual(ref);
    const long = openLam(await lamRun(join(tmp, 'lam-long'))).model;
    await expect(labelEpisodes(long, { count: 1, width: 16, height: 16, frames: async () => eps[0]! }, { batch: 4, horizon: 3 })).rejects.toThrow(/--horizon/);
  });
  it('summarises codes with per-code action means', () => {
    const s = summariseCodes([Int32Array.of(0, 0, 2)], 3, [[Float32Array.of(1), Float32Array.of(3), Float32Array.of(5)]]);
    expect(s.perCode.map((c) => c.count)).toEqual([2, 0, 1]);
    expect(s.perCode[0]!.actionMean).toEqual([2]);
    expect(s.perCode[0]!.actionStd![0]).toBeCloseTo(1, 6);
    expect(s.unused).toEqual([1]);
    expect(s.perplexity).toBeCloseTo(Math.exp(-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3)), 6);
  });
});

describe('labelDataset', () => {
  it('writes latents into a simulator dataset and a report with a PNG strip', async () => {
    const ds = join(tmp, 'sim');
    await simDataset(ds, { episodes: 3 });
    const r = await labelDataset(ds, { lam: await lamRun(join(tmp, 'lam-b')), batch: 4, examples: 3 });
    const d = Dataset.open(ds);
    expect(d.info.has_latents).toBe(true);
    expect(d.info.latent_codes).toBe(4);
    const e = await d.readEpisode(1);
    expect(e.latents!.length).toBe(e.timestamps.length - 1);
    expect(Array.from(e.latents!)).toEqual(Array.from(r.codes[1]!));
    await d.close();
    expect(r.framesPerSecond).toBeGreaterThan(0);
    const rep = JSON.parse(readFileSync(join(ds, 'label-report', 'report.json'), 'utf8'));
    expect(rep.transitions).toBe(r.codes.reduce((a, c) => a + c.length, 0));
    expect(rep.actionNames).toHaveLength(8);
    expect(readFileSync(join(ds, 'label-report', 'report.md'), 'utf8')).toContain('world_vector.x mean');
    const meta = await sharp(join(ds, 'label-report', 'strip.png')).metadata();
    expect(meta.format).toBe('png');
    expect(meta.height).toBe(4 * 20);
    expect(meta.width).toBe(3 * 34 + 2 * 6);
  }, 60_000);
  it('refuses a LAM checkpoint whose frame size does not fit the data, naming both', async () => {
    const ds = join(tmp, 'sim2');
    await simDataset(ds, { episodes: 1 });
    const lam = await lamRun(join(tmp, 'lam-32'), { height: 32, width: 32 });
    await expect(labelDataset(ds, { lam })).rejects.toThrow(/LAM checkpoint does not fit the frames to label.*expected 16x16x3 \(the data's frames\), got 32x32x3/);
    expect(Dataset.open(ds).info.has_latents).toBe(false);
  }, 60_000);
  it('refuses a folder that is not a LAM checkpoint', async () => {
    await expect(labelDataset(join(tmp, 'sim2'), { lam: tmp })).rejects.toThrow(/cannot use this LAM checkpoint: .*no checkpoint found/);
    expect(existsSync(join(tmp, 'sim2', 'label-report'))).toBe(false);
  });
});

describe('labelling a video', () => {
  itFx('imports the video at the LAM frame size into --out and labels it', async () => {
    const video = join(FIXTURES, 'video/crafter-64px.mp4');
    const out = join(tmp, 'crafter');
    const r = await labelDataset(video, { lam: await lamRun(join(tmp, 'lam-v')), out });
    const d = Dataset.open(out);
    expect(d.info.action).toBeNull();
    expect(d.info.cameras[0]).toMatchObject({ width: 16, height: 16 });
    expect(d.info.has_latents).toBe(true);
    expect(r.report.transitions).toBe(d.info.num_steps - d.numEpisodes);
    expect(r.report.actionNames).toBeUndefined();
    await d.close();
    await expect(labelDataset(video, { lam: join(tmp, 'lam-v') })).rejects.toThrow(/labelling a video writes a new dataset; expected the folder of the labelled dataset to create/);
  }, 60_000);
});
