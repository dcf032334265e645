/**
 * Animated GIF of simulator frames, upscaled with nearest-neighbour so 64x64 frames are easy to
 * look at. Encoding is src/data/view.ts's episodeGif (gifenc).
 */
import { episodeGif } from '../data/view.ts';

/** Nearest-neighbour upscale of one [H, W, 3] frame by an integer factor. */
export function upscale(frame: Uint8Array, width: number, height: number, k: number): Uint8Array {
  if (k === 1) return frame;
  const W = width * k;
  const out = new Uint8Array(W * height * k * 3); // [H*k, W*k, 3]
  for (let y = 0; y < height * k; y++) {
    const sy = Math.floor(y / k);
    for (let x = 0; x < W; x++) {
      const s = (sy * width + Math.floor(x / k)) * 3, d = (y * W + x) * 3;
      out[d] = frame[s]!;
      out[d + 1] = frame[s + 1]!;
      out[d + 2] = frame[s + 2]!;
    }
  }
  return out;
}

/** GIF bytes of the frames at `fps`, each upscaled by `scale`. */
export function framesToGif(frames: Uint8Array[], width: number, height: number, fps: number, scale = 4): Uint8Array {
  return episodeGif(frames.map((f) => upscale(f, width, height, scale)), width * scale, height * scale, fps);
}
