import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { importImages } from '../../../src/data/import/images.ts';
import { Dataset } from '../../../src/data/Dataset.ts';
import { scopedTempDirs } from '../helpers.ts';

const tmp = scopedTempDirs();
function frame(i: number, w = 10, h = 8): Uint8Array {
  return Uint8Array.from({ length: w * h * 3 }, (_, k) => (k * 3 + i * 17) & 255);
}
async function png(path: string, f: Uint8Array, w = 10, h = 8): Promise<void> {
  writeFileSync(path, await sharp(f, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer());
}

describe('image-folder importer', () => {
  it('imports a folder of PNGs in natural order as one episode, lossless', async () => {
    const dir = tmp();
    const src = join(dir, 'frames');
    mkdirSync(src);
    for (const i of [0, 1, 2, 10]) await png(join(src, `frame_${i}.png`), frame(i));
    const out = join(dir, 'ds');
    const r = await importImages(src, { out, fps: 4 });
    expect(r.info.num_episodes).toBe(1);
    expect(r.info.fps).toBe(4);
    const ep = await Dataset.open(out).readEpisode(0);
    expect(ep.metadata.frames).toEqual(['frame_0.png', 'frame_1.png', 'frame_2.png', 'frame_10.png']);
    [0, 1, 2, 10].forEach((i, k) => expect(Buffer.from(ep.cameras.main!.frames[k]!).equals(Buffer.from(frame(i)))).toBe(true));
  });

  it('imports a folder of folders as episodes and names a corrupt or mis-sized frame', async () => {
    const dir = tmp();
    const src = join(dir, 'eps');
    for (const e of ['ep_a', 'ep_b']) {
      mkdirSync(join(src, e), { recursive: true });
      for (let i = 0; i < 3; i++) await png(join(src, e, `${i}.png`), frame(i));
    }
    const r = await importImages(src, { out: join(dir, 'ds') });
    expect(r.info.num_episodes).toBe(2);
    expect(r.info.num_steps).toBe(6);
    writeFileSync(join(src, 'ep_b', '3.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    await expect(importImages(src, { out: join(dir, 'bad') })).rejects.toThrow(/ep_b\/3\.png: frame: cannot decode image/);
    await png(join(src, 'ep_b', '3.png'), frame(3, 6, 6), 6, 6);
    await expect(importImages(src, { out: join(dir, 'bad') })).rejects.toThrow(/ep_b\/3\.png: frame size differs from the first frame \(pass --size WxH to resize\); expected 10x8, got 6x6/);
    const ok = await importImages(src, { out: join(dir, 'resized'), size: { width: 5, height: 4 } });
    expect(ok.info.cameras[0]).toMatchObject({ width: 5, height: 4 });
    expect(readdirSync(dir).sort()).toEqual(['ds', 'eps', 'resized']);
  });
});
