/**
 * Two small pieces the Genie models need beyond src/nn: a factorised learned position embedding
 * (spatial table [N, D] + temporal table [T, D]) and a stop-gradient (tfjs has none).
 */
import { tf, type Tensor, type Variable } from '../backend/tf.ts';
import { init } from '../nn/init.ts';
import type { Scope } from '../nn/params.ts';
import { LaraError } from '../util/errors.ts';

type Save = (ts: Tensor[]) => void;

/** Learned position embedding: `<scope>.spatial` [N, D] and `<scope>.temporal` [T, D]; N(0, 0.02²) or 2-D sin/cos start. */
export class PosEmbedding {
  readonly spatial: Variable; // [N, D]
  readonly temporal: Variable; // [T, D]

  constructor(
    scope: Scope,
    readonly tokens: number,
    readonly frames: number,
    readonly dim: number,
    /** Token grid [rows, cols]: start the spatial table from a 2-D sin/cos table (init.sincos2d). */
    grid?: readonly [number, number],
  ) {
    if (grid && grid[0] * grid[1] !== tokens) throw new LaraError('position grid does not match the tokens', { expected: `${tokens} tokens`, got: `${grid[0]}×${grid[1]}` });
    this.spatial = scope.param('spatial', [tokens, dim], grid ? init.sincos2d(grid[0], grid[1]) : init.normal(0.02));
    this.temporal = scope.param('temporal', [frames, dim], init.normal(0.02));
  }

  /** x [B, T, N, D] → x + spatial[n] + temporal[t] (T ≤ frames). */
  apply(x: Tensor): Tensor {
    const [, t, n, d] = x.shape as [number, number, number, number];
    if (t > this.frames || n !== this.tokens) {
      throw new LaraError('clip does not fit the model', { expected: `at most ${this.frames} frames of ${this.tokens} tokens`, got: `${t} frames of ${n} tokens` });
    }
    const tp = t === this.frames ? this.temporal : tf.slice(this.temporal, [0, 0], [t, d]);
    return tf.add(tf.add(x, tf.reshape(this.spatial, [1, 1, n, d])), tf.reshape(tp, [1, t, 1, d]));
  }
}

/** Identity forward, zero gradient backward. */
export function stopGradient<T extends Tensor>(x: T): T {
  const f = tf.customGrad(((v: Tensor, save: Save) => {
    save([]);
    return { value: tf.clone(v), gradFunc: (dy: Tensor) => [tf.zerosLike(dy)] };
  }) as never) as (v: Tensor) => Tensor;
  return f(x) as T;
}
