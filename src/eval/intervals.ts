/**
 * 95% (or any level) confidence intervals for a success rate k/n: Wilson score and the exact
 * Clopper-Pearson interval (beta quantiles by bisection on the regularised incomplete beta);
 * and the Student-t interval for the mean of independent measurements (ΔtPSNR over clips).
 */
import { LaraError } from '../util/errors.ts';

export interface Interval {
  /** Point estimate k/n (0 when n = 0). */
  rate: number;
  lo: number;
  hi: number;
}

function checkCounts(k: number, n: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || k < 0 || k > n) {
    throw new LaraError('success interval: bad counts', { expected: 'integers 0 <= successes <= trials', got: `${k}/${n}` });
  }
}

/** Two-sided standard-normal quantile z for a confidence level (0.95 -> 1.95996...). Acklam's rational approximation. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new LaraError('normal quantile', { expected: 'p in (0, 1)', got: String(p) });
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowP = 0.02425;
  const poly = (co: number[], x: number): number => co.reduce((acc, v) => acc * x + v, 0);
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - lowP) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Wilson score interval for k successes in n trials. */
export function wilson(k: number, n: number, level = 0.95): Interval {
  checkCounts(k, n);
  if (n === 0) return { rate: 0, lo: 0, hi: 1 };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { rate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction for the incomplete beta (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaInc(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The q-quantile of Beta(a, b), by bisection. */
export function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (betaInc(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Exact (Clopper-Pearson) interval for k successes in n trials. */
export function clopperPearson(k: number, n: number, level = 0.95): Interval {
  checkCounts(k, n);
  if (n === 0) return { rate: 0, lo: 0, hi: 1 };
  const alpha = 1 - level;
  const lo = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return { rate: k / n, lo, hi };
}

/** Two-sided Student-t critical value for ν degrees of freedom (ν = 31, 0.95 → 2.0395): P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2). */
export function studentQuantile(nu: number, level = 0.95): number {
  if (!(nu > 0)) throw new LaraError('Student-t quantile', { expected: 'degrees of freedom > 0', got: String(nu) });
  if (!(level > 0 && level < 1)) throw new LaraError('Student-t quantile', { expected: 'level in (0, 1)', got: String(level) });
  const x = betaQuantile(1 - level, nu / 2, 0.5);
  return Math.sqrt((nu * (1 - x)) / x);
}

export interface MeanInterval {
  mean: number;
  lo: number;
  hi: number;
  /** Number of values. */
  n: number;
}

/** Student-t interval for the mean of n ≥ 2 independent values. */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  const n = values.length;
  if (n < 2) throw new LaraError('mean interval', { expected: 'at least 2 values', got: String(n) });
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentQuantile(n - 1, level) * sd) / Math.sqrt(n);
  return { mean, lo: mean - half, hi: mean + half, n };
}
