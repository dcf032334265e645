/**
 * Layer normalisation over the last axis with a learned gain and bias, and a hand-written
 * gradient (fewer kernels than autodiff of mean/variance; parameter gradients via 1ᵀ·dy
 * products instead of axis-0 sums, which wasm runs as transpose + sum).
 */
import { tf, type Tensor, type Tensor2D, type Variable } from '../backend/tf.ts';
import { fusedActive } from '../backend/native.ts';
import { init } from './init.ts';
import type { Scope } from './params.ts';

type Save = (ts: Tensor[]) => void;

type LnFn = (x: Tensor2D, g: Tensor, b: Tensor) => Tensor2D;

function makeLn(eps: number): LnFn {
  return tf.customGrad(((x: Tensor2D, g: Tensor, b: Tensor, save: Save) => {
  const d = x.shape[1];
  const mu = tf.mean(x, -1, true); // [N, 1]
  const xc = tf.sub(x, mu); // [N, D]
  const variance = tf.mean(tf.square(xc), -1, true); // [N, 1]
  const rstd = tf.rsqrt(tf.add(variance, eps)); // [N, 1]
  const xhat = tf.mul(xc, rstd); // [N, D]
  save([xhat, rstd, g]);
  return {
    value: tf.add(tf.mul(xhat, g), b),
    gradFunc: (dy: Tensor2D, [sxhat, srstd, sg]: Tensor[]) => {
      const xh = sxhat as Tensor2D;
      const dxhat = tf.mul(dy, sg!); // [N, D]
      const a = tf.mean(dxhat, -1, true); // [N, 1]
      const c = tf.mean(tf.mul(dxhat, xh), -1, true); // [N, 1]
      const dx = tf.mul(srstd!, tf.sub(tf.sub(dxhat, a), tf.mul(xh, c))); // [N, D]
      const ones = tf.fill([1, dy.shape[0]], 1) as Tensor2D;
      const dg = tf.reshape(tf.matMul(ones, tf.mul(dy, xh)), [d]); // [D]
      const db = tf.reshape(tf.matMul(ones, dy), [d]); // [D]
      return [dx, dg, db];
    },
  };
  }) as never) as LnFn;
}

/** The same layer norm as one native kernel each way (LaraLayerNorm, src/backend/native-fused.ts). */
function makeNativeLn(eps: number): LnFn {
  return tf.customGrad(((x: Tensor2D, g: Tensor, b: Tensor, save: Save) => {
    const [y, xhat, rstd] = tf.engine().runKernel('LaraLayerNorm', { x, g, b }, { eps }) as Tensor[];
    save([xhat!, rstd!, g]);
    return {
      value: y!,
      gradFunc: (dy: Tensor2D, [sxhat, srstd, sg]: Tensor[]) =>
        tf.engine().runKernel('LaraLayerNormGrad', { dy, xhat: sxhat!, rstd: srstd!, g: sg! }, {}) as Tensor[],
    };
  }) as never) as LnFn;
}

const lnCache = new Map<number, LnFn>();
const nativeLnCache = new Map<number, LnFn>();

/** Functional layer norm: x [..., D], g [D], b [D] → [..., D]. */
export function layerNorm<T extends Tensor>(x: T, g: Tensor, b: Tensor, eps = 1e-5): T {
  const d = x.shape[x.rank - 1]!;
  const x2 = (x.rank === 2 ? x : tf.reshape(x, [-1, d])) as Tensor2D; // [rows, D]
  const native = fusedActive('LaraLayerNorm') && fusedActive('LaraLayerNormGrad') && x.dtype === 'float32';
  const cache = native ? nativeLnCache : lnCache;
  let f = cache.get(eps);
  if (!f) cache.set(eps, (f = native ? makeNativeLn(eps) : makeLn(eps)));
  const y = f(x2, g, b);
  return (x.rank === 2 ? y : tf.reshape(y, x.shape)) as T;
}

export class LayerNorm {
  readonly g: Variable; // [D]
  readonly b: Variable; // [D]

  /** Parameters `<scope>.g` (ones) and `<scope>.b` (zeros). */
  constructor(
    scope: Scope,
    readonly dim: number,
    readonly eps = 1e-5,
  ) {
    this.g = scope.param('g', [dim], init.ones());
    this.b = scope.param('b', [dim], init.zeros());
  }

  /** x [..., D] → [..., D]. */
  apply<T extends Tensor>(x: T): T {
    return layerNorm(x, this.g, this.b, this.eps);
  }
}
