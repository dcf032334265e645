import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { decodePngRgb } from '../../src/data/png.ts';
import { decodeImage, encodeImage } from '../../src/data/image.ts';
import { Rng } from '../../src/util/rng.ts';

describe('fast PNG decoder', () => {
  it('matches sharp for RGB PNGs using every row filter, and for grey PNGs', async () => {
    const rng = Rng.seeded(2);
    const w = 37;
    const h = 23;
    // smooth gradients + noise so libpng's adaptive filtering picks several filter types
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => ((i % (w * 3)) * 2 + Math.floor(i / (w * 3)) * 3 + rng.int(6)) & 255);
    for (const opts of [{ adaptiveFiltering: true, compressionLevel: 9 }, { adaptiveFiltering: false, compressionLevel: 1 }]) {
      const png = new Uint8Array(await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png(opts).toBuffer());
      const fast = decodePngRgb(png)!;
      expect(fast).not.toBeNull();
      expect(fast.width).toBe(w);
      expect(Buffer.from(fast.data).equals(Buffer.from(rgb))).toBe(true);
    }
    const grey = Uint8Array.from({ length: w * h }, (_, i) => (i * 5) & 255);
    const gpng = new Uint8Array(await sharp(grey, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer());
    const g = decodePngRgb(gpng)!;
    expect(Array.from(g.data.subarray(0, 6))).toEqual([grey[0], grey[0], grey[0], grey[1], grey[1], grey[1]]);
    // what lara writes decodes back identically through decodeImage
    const enc = await encodeImage({ width: w, height: h, data: rgb }, 'png');
    expect(Buffer.from((await decodeImage(enc, { file: 'f', where: 'w' })).data).equals(Buffer.from(rgb))).toBe(true);
  });

  it('returns null for PNG flavours it does not handle (falls back to sharp)', async () => {
    const rgba = new Uint8Array(4 * 4 * 4).fill(200);
    const png = new Uint8Array(await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } }).png().toBuffer());
    expect(decodePngRgb(png)).toBeNull();
    const viaSharp = await decodeImage(png, { file: 'f', where: 'w' });
    expect(viaSharp.data.length).toBe(4 * 4 * 3);
    expect(decodePngRgb(Uint8Array.of(1, 2, 3))).toBeNull();
  });
});
