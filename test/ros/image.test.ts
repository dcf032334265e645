import { describe, expect, it } from 'vitest';
import { decodeCompressed, decodeImage, encodeCompressed, encodeImage, resizeRgb } from '../../src/ros/image.ts';

const W = 5;
const H = 3;
const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256); // [H, W, 3]

describe('camera images', () => {
  it('round-trips rgb8 and decodes bgr8 / mono8 / padded rows', () => {
    const msg = encodeImage({ width: W, height: H, data: rgb }, 'cam', 7, 1500);
    expect(msg.encoding).toBe('rgb8');
    expect(msg.step).toBe(W * 3);
    expect(msg.header!.stamp).toEqual({ secs: 1, nsecs: 500_000_000 });
    expect(Array.from(decodeImage(msg).data)).toEqual(Array.from(rgb));

    const bgr = Uint8Array.from(rgb);
    for (let i = 0; i < bgr.length; i += 3) [bgr[i], bgr[i + 2]] = [rgb[i + 2]!, rgb[i]!];
    expect(Array.from(decodeImage({ width: W, height: H, encoding: 'bgr8', step: W * 3, data: Array.from(bgr) }).data)).toEqual(Array.from(rgb));

    const step = W + 3; // padded rows
    const mono = new Uint8Array(step * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mono[y * step + x] = 10 * y + x;
    const m = decodeImage({ width: W, height: H, encoding: 'mono8', step, data: mono }).data;
    expect([m[0], m[1], m[2], m[(1 * W + 2) * 3 + 1]]).toEqual([0, 0, 0, 12]);
  });

  it('rejects unknown encodings and short data with a clear error', () => {
    expect(() => decodeImage({ width: 2, height: 2, encoding: '16UC1', step: 4, data: new Uint8Array(8) }, '/cam')).toThrow(/\/cam: unsupported image encoding; expected rgb8/);
    expect(() => decodeImage({ width: 2, height: 2, encoding: 'rgb8', step: 6, data: new Uint8Array(5) }, '/cam')).toThrow(/inconsistent size/);
  });

  it('decodes png exactly and jpeg approximately', async () => {
    const img = { width: 16, height: 8, data: Uint8Array.from({ length: 16 * 8 * 3 }, (_, i) => (i % 3 === 0 ? 200 : i % 3 === 1 ? 40 : 90)) };
    const png = await decodeCompressed(await encodeCompressed(img, 'png'));
    expect(png.width).toBe(16);
    expect(Array.from(png.data)).toEqual(Array.from(img.data));
    const jpg = await decodeCompressed(await encodeCompressed(img, 'jpeg'));
    const err = jpg.data.reduce((s, v, i) => s + Math.abs(v - img.data[i]!), 0) / jpg.data.length;
    expect(err).toBeLessThan(4);
    await expect(decodeCompressed({ format: 'jpeg', data: [1, 2, 3] }, '/cam/compressed')).rejects.toThrow(/\/cam\/compressed: cannot decode/);
  });

  it('resizes bilinearly (constant stays constant, 2x2 -> 1x1 averages)', () => {
    const flat = { width: 8, height: 6, data: new Uint8Array(8 * 6 * 3).fill(77) };
    const r = resizeRgb(flat, 3, 5);
    expect(r.data.length).toBe(3 * 5 * 3);
    expect(r.data.every((v) => v === 77)).toBe(true);
    const q = resizeRgb({ width: 2, height: 2, data: Uint8Array.from([0, 0, 0, 100, 100, 100, 100, 100, 100, 200, 200, 200]) }, 1, 1);
    expect(Array.from(q.data)).toEqual([100, 100, 100]);
    expect(resizeRgb(flat, 8, 6)).toBe(flat);
  });
});
