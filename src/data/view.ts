/**
 * Visual summaries of an episode: a contact sheet (grid of frames, PNG) and an animated GIF.
 * Frames are [H, W, 3] uint8.
 */
import sharp from 'sharp';
import { encodeGif } from './gif.ts';

/** Tile `frames` into a grid with `cols` columns and a 2-pixel gap (dark grey), scaled by `scale`. */
export async function contactSheet(frames: Uint8Array[], width: number, height: number, opts: { cols?: number; scale?: number } = {}): Promise<Uint8Array> {
  const n = frames.length;
  const cols = Math.max(1, Math.min(n, opts.cols ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const gap = 2;
  const W = cols * width + (cols + 1) * gap;
  const H = rows * height + (rows + 1) * gap;
  const sheet = new Uint8Array(W * H * 3).fill(40); // [H, W, 3]
  frames.forEach((f, i) => {
    const x0 = gap + (i % cols) * (width + gap);
    const y0 = gap + Math.floor(i / cols) * (height + gap);
    for (let y = 0; y < height; y++) sheet.set(f.subarray(y * width * 3, (y + 1) * width * 3), ((y0 + y) * W + x0) * 3);
  });
  const scale = opts.scale ?? 1;
  let s = sharp(sheet, { raw: { width: W, height: H, channels: 3 } });
  if (scale !== 1) s = s.resize(Math.round(W * scale), Math.round(H * scale), { kernel: 'nearest' });
  return new Uint8Array(await s.png().toBuffer());
}

/** Animated GIF of the frames at `fps`, each frame with its own 256-colour palette. */
export function episodeGif(frames: Uint8Array[], width: number, height: number, fps: number): Uint8Array {
  return encodeGif(frames, width, height, fps);
}
