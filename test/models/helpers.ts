/** Shared setup for the model tests: wasm backend and tiny configs from configs/<component>/tiny.json. */
import { initBackend } from '../../src/backend/select.ts';
import { loadConfig } from '../../src/config/presets.ts';
import { DynamicsSchema } from '../../src/dynamics/config.ts';
import { LamSchema } from '../../src/lam/config.ts';
import { TokenizerSchema } from '../../src/tokenizer/config.ts';
import { tf } from '../../src/backend/tf.ts';
import { Rng } from '../../src/util/rng.ts';

export async function setup(): Promise<void> {
  await initBackend('wasm');
}

export const tinyTokenizer = (sets: string[] = []) => loadConfig(TokenizerSchema, 'tokenizer', 'tiny', sets);
export const tinyLam = (sets: string[] = []) => loadConfig(LamSchema, 'lam', 'tiny', sets);
export const tinyDynamics = (sets: string[] = []) => loadConfig(DynamicsSchema, 'dynamics', 'tiny', sets);

/** Random frames [B, T, H, W, C] in [0,1] from a seed. */
export function randomFrames(b: number, t: number, h: number, w: number, seed: number, c = 3): tf.Tensor {
  const r = Rng.seeded(seed);
  return tf.tensor(Float32Array.from({ length: b * t * h * w * c }, () => r.next()), [b, t, h, w, c]);
}

/** Max |a − b| over two tensors' values. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Values of frames [t0, t1) of a [B, T, ...] tensor. */
export function framesSlice(x: tf.Tensor, t0: number, t1: number): Float32Array {
  return tf.tidy(() => {
    const begin = x.shape.map((_, i) => (i === 1 ? t0 : 0));
    const size = x.shape.map((d, i) => (i === 1 ? t1 - t0 : d));
    return tf.slice(x, begin, size).dataSync() as Float32Array;
  });
}

/** A 4-frame 16×16 clip `a` [1, 4, 16, 16, 3] and a copy whose last frame is other random pixels (for causality tests). */
export function lastFrameChanged(seed = 3): { a: tf.Tensor; b: tf.Tensor } {
  const a = randomFrames(1, 4, 16, 16, seed);
  return { a, b: tf.concat([tf.slice(a, [0, 0, 0, 0, 0], [1, 3, 16, 16, 3]), randomFrames(1, 1, 16, 16, seed + 1)], 1) };
}
