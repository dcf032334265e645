/** Shared helpers for nn tests: backend setup and gradient checks against finite differences. */
import { tf, type Scalar, type Tensor } from '../../src/backend/tf.ts';
import { initBackend } from '../../src/backend/select.ts';
import { Rng } from '../../src/util/rng.ts';

export async function useWasm(): Promise<void> {
  await initBackend('wasm');
}

/** A tensor of normal(0, std) values from a seeded Rng. */
export function randn(rng: Rng, shape: number[], std = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = rng.normal(0, std);
  return tf.tensor(d, shape);
}

export interface GradCheckResult {
  analytic: number[];
  numeric: number[];
  maxRelErr: number;
}

/**
 * Compare analytic gradients of f at xs with central finite differences along `dirs` random
 * directions: (f(x+εd) − f(x−εd)) / 2ε  vs  Σ⟨∂f/∂xᵢ, dᵢ⟩. Relative error is taken against the
 * larger magnitude (floored at `floor`).
 */
export function gradCheck(f: (...xs: Tensor[]) => Scalar, xs: Tensor[], rng: Rng, dirs = 3, eps = 1e-2, floor = 1e-3): GradCheckResult {
  const grads = tf.grads((...a: Tensor[]) => f(...a))(xs);
  const analytic: number[] = [];
  const numeric: number[] = [];
  let maxRelErr = 0;
  for (let k = 0; k < dirs; k++) {
    const ds = xs.map((x) => randn(rng, x.shape));
    const a = tf.tidy(() => tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, ds[i]!)))).dataSync()[0]!);
    const fp = tf.tidy(() => f(...xs.map((x, i) => tf.add(x, tf.mul(ds[i]!, eps)))).dataSync()[0]!);
    const fm = tf.tidy(() => f(...xs.map((x, i) => tf.sub(x, tf.mul(ds[i]!, eps)))).dataSync()[0]!);
    const n = (fp - fm) / (2 * eps);
    analytic.push(a);
    numeric.push(n);
    const rel = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
    maxRelErr = Math.max(maxRelErr, rel);
    ds.forEach((d) => d.dispose());
  }
  grads.forEach((g) => g.dispose());
  return { analytic, numeric, maxRelErr };
}

/** Max |a − b| over all elements. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

export { Rng, tf };
