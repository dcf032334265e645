/**
 * Fast in-process decoder for the PNGs lara writes: 8-bit RGB (colour type 2) or grey (type 0),
 * not interlaced. Uses node:zlib (native inflate) and undoes the five PNG row filters; avoids the
 * per-call thread-pool hop of sharp, which dominates for small (64x64) frames. Returns null for
 * any other PNG flavour so callers can fall back to a general decoder.
 */
import { inflateSync } from 'node:zlib';

export function decodePngRgb(png: Uint8Array): { width: number; height: number; data: Uint8Array } | null {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (png.length < 33 || dv.getUint32(0) !== 0x89504e47 || dv.getUint32(12) !== 0x49484452) return null;
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const depth = png[24];
  const colour = png[25];
  const interlace = png[28];
  if (depth !== 8 || (colour !== 2 && colour !== 0) || interlace !== 0) return null;
  const bpp = colour === 2 ? 3 : 1;
  const idat: Uint8Array[] = [];
  let off = 8;
  while (off + 8 <= png.length) {
    const len = dv.getUint32(off);
    const type = dv.getUint32(off + 4);
    if (off + 12 + len > png.length) return null;
    if (type === 0x49444154) idat.push(png.subarray(off + 8, off + 8 + len));
    else if (type === 0x49454e44) break;
    off += 12 + len;
  }
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat));
  } catch {
    return null;
  }
  const stride = width * bpp;
  if (raw.length < (stride + 1) * height) return null;
  const px = new Uint8Array(stride * height); // [H, W*bpp]
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const up = dst - stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? px[dst + i - bpp]! : 0;
      const b = y > 0 ? px[up + i]! : 0;
      let v: number;
      switch (f) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const c = y > 0 && i >= bpp ? px[up + i - bpp]! : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          return null;
      }
      px[dst + i] = v & 0xff;
    }
  }
  if (bpp === 3) return { width, height, data: px };
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < px.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = px[i]!;
  return { width, height, data: rgb };
}
