/**
 * MaskGIT sampling of the next frame (Genie App. C.3): start with every token of the new frame
 * masked; at each of S steps predict all masked tokens, sample them at the step's temperature,
 * keep the most confident and re-mask the rest so that N·schedule(s/S) stay masked (cosine:
 * cos(π/2·s/S)); the last step fills everything. With guidance w > 0 the logits are
 * classifier-free guided, cond + w·(cond − uncond), the unconditional pass taking the null action
 * (zeros) the model saw under model.actionDropout. Random draws come from an injected Rng, so a
 * seed fixes the output.
 *
 * Dimension legend: B clips, T frames, N tokens per frame, V vocabulary, Dc action dimension.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import type { Rng } from '../util/rng.ts';
import type { SamplerConfig } from './config.ts';
import type { DynamicsModel } from './dynamics.ts';

/** Tokens still masked after step s of S for a frame of n tokens. */
export function maskedAfter(s: number, steps: number, n: number, schedule: SamplerConfig['schedule']): number {
  const r = s / steps;
  const frac = schedule === 'cosine' ? Math.cos((Math.PI / 2) * r) : 1 - r;
  return s >= steps ? 0 : Math.max(0, Math.floor(n * frac + 1e-9));
}

/** Temperature used at step s (1-based) of S. */
export function stepTemperature(s: number, o: SamplerConfig): number {
  return o.anneal === 'linear' ? o.temperature * (1 - s / o.steps) : o.temperature;
}

/**
 * Draw from softmax(logits/temp) (argmax when temp ≈ 0), restricted to the nucleus: the likeliest
 * tokens whose probabilities under softmax(logits) sum to at least topP (all of them at 1).
 * Returns [token, its probability under softmax(logits)].
 */
function draw(logits: Float32Array, off: number, v: number, temp: number, topP: number, rng: Rng): [number, number] {
  let max = -Infinity;
  let arg = 0;
  for (let j = 0; j < v; j++) {
    const x = logits[off + j]!;
    if (x > max) {
      max = x;
      arg = j;
    }
  }
  let z = 0;
  for (let j = 0; j < v; j++) z += Math.exp(logits[off + j]! - max);
  const prob = (j: number): number => Math.exp(logits[off + j]! - max) / z;
  if (temp <= 1e-6) return [arg, prob(arg)];
  let pool: number[] | undefined; // token ids of the nucleus; undefined = every token
  if (topP < 1) {
    const order = Array.from({ length: v }, (_, j) => j).sort((a, b) => logits[off + b]! - logits[off + a]! || a - b);
    let mass = 0;
    let k = 0;
    while (k < v && mass < topP) mass += prob(order[k++]!);
    pool = order.slice(0, Math.max(1, k));
  }
  const count = pool ? pool.length : v;
  const id = (k: number): number => (pool ? pool[k]! : k);
  let zt = 0;
  for (let k = 0; k < count; k++) zt += Math.exp((logits[off + id(k)]! - max) / temp);
  let u = rng.next() * zt;
  let tok = id(count - 1);
  for (let k = 0; k < count; k++) {
    u -= Math.exp((logits[off + id(k)]! - max) / temp);
    if (u <= 0) {
      tok = id(k);
      break;
    }
  }
  return [tok, prob(tok)];
}

/** Classifier-free guided logits: cond + w·(cond − uncond), same shapes. */
export function guidedLogits(cond: Tensor, uncond: Tensor, w: number): Tensor {
  return tf.add(cond, tf.mul(tf.sub(cond, uncond), w));
}

/**
 * Logits of frame t+1 [B·N·V] for tokens [B, t+1, N] with the mask, given actions [B, ≥t, Dc];
 * guided when w > 0 (conditional and null-action passes batched together, [2B, ...]).
 */
function frameLogits(model: DynamicsModel, tokens: Int32Array, mask: Uint8Array, b: number, t: number, actions: Tensor, w: number): Float32Array {
  const n = model.n;
  const v = model.cfg.vocab;
  return tf.tidy(() => {
    let tok = tf.tensor3d(tokens, [b, t + 1, n], 'int32');
    let msk = tf.tensor3d(mask, [b, t + 1, n], 'bool');
    let a = tf.slice(actions, [0, 0, 0], [b, t, actions.shape[2]!]); // [B, t, Dc]
    if (w > 0) {
      tok = tf.concat([tok, tok], 0);
      msk = tf.concat([msk, msk], 0);
      a = tf.concat([a, tf.zerosLike(a)], 0); // [2B, t, Dc]: conditional, then null
    }
    const l = model.logits(tok, msk, a); // [B or 2B, t+1, N, V]
    const last = tf.slice(l, [0, t, 0, 0], [l.shape[0]!, 1, n, v]); // [B or 2B, 1, N, V]
    if (w === 0) return last.dataSync() as Float32Array;
    const cond = tf.slice(last, [0, 0, 0, 0], [b, 1, n, v]);
    const uncond = tf.slice(last, [b, 0, 0, 0], [b, 1, n, v]);
    return guidedLogits(cond, uncond, w).dataSync() as Float32Array; // [B, 1, N, V]
  });
}

/**
 * Generate the frame after `context` tokens [B, t, N] (t ≥ 1) given actions [B, ≥t, Dc]
 * (a_t leads to the new frame). Returns its tokens, Int32Array [B·N].
 */
export function sampleNextFrame(model: DynamicsModel, context: Int32Array, b: number, t: number, actions: Tensor, o: SamplerConfig, rng: Rng): Int32Array {
  const n = model.n;
  const v = model.cfg.vocab;
  const tokens = new Int32Array(b * (t + 1) * n);
  const mask = new Uint8Array(b * (t + 1) * n);
  for (let i = 0; i < b; i++) {
    tokens.set(context.subarray(i * t * n, (i + 1) * t * n), i * (t + 1) * n);
    mask.fill(1, (i * (t + 1) + t) * n, (i * (t + 1) + t + 1) * n);
  }
  const out = new Int32Array(b * n);
  const masked: boolean[][] = Array.from({ length: b }, () => new Array<boolean>(n).fill(true));
  for (let s = 1; s <= o.steps; s++) {
    const logits = frameLogits(model, tokens, mask, b, t, actions, o.guidance); // [B, 1, N, V]
    const temp = stepTemperature(s, o);
    for (let i = 0; i < b; i++) {
      const cand: [number, number, number][] = []; // [position, token, confidence]
      for (let j = 0; j < n; j++) {
        if (!masked[i]![j]) continue;
        const [tk, p] = draw(logits, (i * n + j) * v, v, temp, o.topP, rng);
        cand.push([j, tk, p]);
      }
      if (cand.length === 0) continue;
      const keepMasked = Math.min(maskedAfter(s, o.steps, n, o.schedule), cand.length - 1);
      cand.sort((x, y) => y[2] - x[2] || x[0] - y[0]);
      for (let k = 0; k < cand.length - keepMasked; k++) {
        const [j, tk] = cand[k]!;
        masked[i]![j] = false;
        out[i * n + j] = tk;
        const at = (i * (t + 1) + t) * n + j;
        tokens[at] = tk;
        mask[at] = 0;
      }
    }
  }
  return out;
}

/**
 * Autoregressive rollout: prompt tokens [B, t0, N] (t0 ≥ 1), actions [B, T-1, Dc]; returns all
 * T frames' tokens, Int32Array [B·T·N] (the prompt frames copied in).
 */
export function generate(model: DynamicsModel, prompt: Int32Array, b: number, t0: number, frames: number, actions: Tensor, o: SamplerConfig, rng: Rng): Int32Array {
  const n = model.n;
  let ctx = prompt.slice();
  for (let t = t0; t < frames; t++) {
    const next = sampleNextFrame(model, ctx, b, t, actions, o, rng);
    const grown = new Int32Array(b * (t + 1) * n);
    for (let i = 0; i < b; i++) {
      grown.set(ctx.subarray(i * t * n, (i + 1) * t * n), i * (t + 1) * n);
      grown.set(next.subarray(i * n, (i + 1) * n), (i * (t + 1) + t) * n);
    }
    ctx = grown;
  }
  return ctx;
}
