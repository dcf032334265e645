/**
 * Animated GIF of episode frames (gifenc), upscaled with nearest-neighbour so 64x64 frames are
 * easy to look at.
 */
import gifencDefault from 'gifenc';
import * as gifencNs from 'gifenc';

// gifenc is CommonJS with an ESM build: Node's loader gives { default: exports }, bundlers
// (vitest) give named exports with default = GIFEncoder. Accept both.
const gifenc: typeof gifencDefault =
  typeof (gifencNs as unknown as { GIFEncoder?: unknown }).GIFEncoder === 'function' ? (gifencNs as unknown as typeof gifencDefault) : gifencDefault;

/** GIF bytes of [H, W, 3] frames at `fps`, one 256-colour palette per frame. */
export function encodeGif(frames: Uint8Array[], width: number, height: number, fps: number): Uint8Array {
  const gif = gifenc.GIFEncoder();
  const rgba = new Uint8Array(width * height * 4); // [H, W, 4]
  const delay = Math.round(1000 / fps);
  for (const f of frames) {
    for (let p = 0; p < width * height; p++) {
      rgba[p * 4] = f[p * 3]!;
      rgba[p * 4 + 1] = f[p * 3 + 1]!;
      rgba[p * 4 + 2] = f[p * 3 + 2]!;
      rgba[p * 4 + 3] = 255;
    }
    const palette = gifenc.quantize(rgba, 256);
    gif.writeFrame(gifenc.applyPalette(rgba, palette), width, height, { palette, delay });
  }
  gif.finish();
  return gif.bytes();
}

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
  return encodeGif(frames.map((f) => upscale(f, width, height, scale)), width * scale, height * scale, fps);
}
