/** Input shape checks shared by the models, with errors that say what was expected. */
import type { Tensor } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';

/** frames must be [B, T, H, W, C] with T ≤ maxT. */
export function checkFrames(x: Tensor, h: number, w: number, c: number, maxT: number, who: string): void {
  const s = x.shape;
  if (s.length !== 5 || s[2] !== h || s[3] !== w || s[4] !== c || s[1]! > maxT || s[1]! < 1) {
    throw new LaraError(`${who}: frames have the wrong shape`, { expected: `[B, T ≤ ${maxT}, ${h}, ${w}, ${c}]`, got: `[${s.join(', ')}]` });
  }
}

/** tokens must be [B, T, N] with T ≤ maxT. */
export function checkTokens(x: Tensor, n: number, maxT: number, who: string): void {
  const s = x.shape;
  if (s.length !== 3 || s[2] !== n || s[1]! > maxT || s[1]! < 1) {
    throw new LaraError(`${who}: tokens have the wrong shape`, { expected: `[B, T ≤ ${maxT}, ${n}]`, got: `[${s.join(', ')}]` });
  }
}
