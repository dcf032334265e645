import { itFx } from '../../fixtures.ts';
import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { importVideo } from '../../../src/data/import/video.ts';
import { ffmpegPath, probeVideo } from '../../../src/data/import/ffmpeg.ts';
import { Dataset } from '../../../src/data/Dataset.ts';
import { FIXTURES, scopedTempDirs } from '../helpers.ts';

const CRAFTER = join(FIXTURES, 'video/crafter-64px.mp4');
const tmp = scopedTempDirs();

describe('video importer (ffmpeg)', () => {
  itFx('imports the crafter fixture: 100 frames of 64x64 at 10 fps', async () => {
    expect(probeVideo(CRAFTER)).toEqual({ width: 64, height: 64, fps: 10 });
    const out = join(tmp(), 'crafter');
    const r = await importVideo(CRAFTER, { out, episodeLength: 40 });
    expect(r.info.fps).toBe(10);
    expect(r.info.action).toBeNull();
    expect(r.info.num_steps).toBe(100);
    const ds = Dataset.open(out);
    expect(ds.index.episodes.map((e) => e.length)).toEqual([40, 40, 20]);
    const w = await ds.readWindow(1, 0, 2);
    expect(w.frames[0]!.length).toBe(64 * 64 * 3);
    expect(Buffer.from(w.frames[0]!).equals(Buffer.from(w.frames[1]!))).toBe(false);
    await ds.close();
  });

  it('imports a testsrc video it makes, resampled in size and rate', async () => {
    const dir = tmp();
    const src = join(dir, 'testsrc.mp4');
    const mk = spawnSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=96x72:rate=25:duration=2', '-pix_fmt', 'yuv420p', src]);
    expect(mk.status).toBe(0);
    const out = join(dir, 'ds');
    const r = await importVideo(src, { out, fps: 5, size: { width: 32, height: 24 } });
    expect(r.info.cameras[0]).toEqual({ name: 'main', width: 32, height: 24, encoding: 'png' });
    expect(r.info.num_steps).toBe(10);
    const ds = Dataset.open(out);
    const ep = await ds.readEpisode(0);
    expect(ep.timestamps[9]).toBeCloseTo(1.8, 9);
    // testsrc has a moving gradient and counter: consecutive frames differ
    expect(Buffer.from(ep.cameras.main!.frames[0]!).equals(Buffer.from(ep.cameras.main!.frames[5]!))).toBe(false);
    await ds.close();
  });

  itFx('reports a broken or truncated video and leaves no output', async () => {
    const dir = tmp();
    const junk = join(dir, 'junk.mp4');
    writeFileSync(junk, Buffer.from('this is not a video at all'.repeat(10)));
    await expect(importVideo(junk, { out: join(dir, 'o1') })).rejects.toThrow(/junk\.mp4: not a readable video; expected a file with a video stream/);
    const trunc = join(dir, 'trunc.mp4');
    const b = readFileSync(CRAFTER);
    writeFileSync(trunc, b.subarray(0, Math.floor(b.length * 0.5)));
    await expect(importVideo(trunc, { out: join(dir, 'o2') })).rejects.toThrow(/trunc\.mp4: /);
    expect(readdirSync(dir).sort()).toEqual(['junk.mp4', 'trunc.mp4']);
  });
});
