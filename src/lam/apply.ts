/**
 * Apply a LAM to clips of any length: clips no longer than the LAM's `frames` go through in one
 * causal pass; longer clips (e.g. a 2-frame LAM on 4-frame dynamics clips) are split into one
 * (x_t, x_{t+1}) pair per transition. Input is pixels, or tokens from a frozen tokenizer.
 */
import type { Tensor } from '../backend/tf.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import { fromPairs, toPairs } from '../world/pairs.ts';
import type { LamOutput, LatentActionModel } from './lam.ts';
import { lamInput } from './train.ts';

/** Action codes int32 [B, T-1] of a clip [B, T, H, W, C]. */
export function inferCodes(lam: LatentActionModel, clip: Tensor, tokenizer?: VideoTokenizer): Tensor {
  const x = lamInput(lam, clip, tokenizer);
  const [b, t] = x.shape as [number, number];
  if (t <= lam.cfg.frames) return lam.encodeActions(x);
  return fromPairs(lam.encodeActions(toPairs(x)), b); // [B, T-1]
}

/**
 * Training forward over a clip; actions / codes / latents come back as [B, T-1, ...].
 * `batchStats`: training-mode latent centring (centerLatents; the caller then calls updateCenter);
 * `bypass`: the VQ warm-up (src/lam/warmup.ts).
 */
export function forwardClip(lam: LatentActionModel, clip: Tensor, tokenizer?: VideoTokenizer, batchStats = false, bypass = false): LamOutput {
  const x = lamInput(lam, clip, tokenizer);
  const [b, t] = x.shape as [number, number];
  if (t <= lam.cfg.frames) return lam.forward(x, bypass, batchStats);
  const o = lam.forward(toPairs(x), bypass, batchStats);
  return { ...o, actions: fromPairs(o.actions, b), codes: fromPairs(o.codes, b), latents: fromPairs(o.latents, b) };
}
