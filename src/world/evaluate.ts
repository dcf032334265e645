/**
 * `lara eval world-model`: held-out evaluation of tokenizer, LAM and dynamics together.
 *  - tokenizer: reconstruction PSNR / SSIM, codebook usage and perplexity;
 *  - LAM: codebook usage and perplexity, per-code effect on the native actions (when recorded);
 *  - dynamics: masked-token accuracy and cross-entropy under the training mask distribution;
 *  - generation from the first frame with LAM actions inferred from the real clip and with
 *    uniformly random actions: PSNR per frame t and ΔtPSNR at t = 4 (Genie §3), with a Student-t
 *    95% interval over clips (each clip's PSNR is the mean of `samples` rollouts per branch);
 *    beside them the baseline a world model has to beat: the prompt frame held still (its
 *    tokenizer reconstruction against every real frame t).
 * Everything is seeded; the same inputs give the same report.
 *
 * Dimension legend: B clips, T frames, N tokens per frame, H × W × 3 pixels.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import type { SamplerConfig } from '../dynamics/config.ts';
import type { DynamicsModel } from '../dynamics/dynamics.ts';
import { trainingMask } from '../dynamics/masking.ts';
import { generate } from '../dynamics/sampler.ts';
import { maskedAccuracy } from '../dynamics/train.ts';
import type { LatentActionModel } from '../lam/lam.ts';
import { lamInput } from '../lam/train.ts';
import { inferCodes } from '../lam/apply.ts';
import { meanInterval, type MeanInterval } from '../eval/intervals.ts';
import { codebookStats, type CodebookStats } from '../metrics/codebook.ts';
import { DELTA_T } from '../metrics/delta-psnr.ts';
import { psnr } from '../metrics/psnr.ts';
import { ssim } from '../metrics/ssim.ts';
import { softmaxCrossEntropy } from '../nn/losses.ts';
import type { VideoTokenizer } from '../tokenizer/tokenizer.ts';
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import type { ClipRef } from '../data/ClipSampler.ts';
import { clipActions, clipPixels, samplerFor, type ClipStore } from './clips.ts';
import { codeEffects, type CodeEffect } from './code-effects.ts';

export interface EvalModels {
  tokenizer: VideoTokenizer;
  lam: LatentActionModel;
  dynamics: DynamicsModel;
  sampler: SamplerConfig;
}

export interface EvalOptions {
  /** Held-out episodes in memory at the tokenizer's frame size. */
  store: ClipStore;
  stride: number;
  fps: number;
  /** Clips to evaluate (evenly spread over all held-out windows). */
  clips: number;
  batch: number;
  seed: number;
  /** Rollouts per clip and branch; a clip's PSNR at t is their mean (default 1). */
  samples?: number;
  /** Frame t (1-based) for ΔtPSNR (default 4). */
  deltaT?: number;
  log?: (s: string) => void;
}

export interface WorldModelReport {
  clips: number;
  frames: number;
  tokenizer: { psnr: number; ssim: number; codebook: Omit<CodebookStats, 'counts'> };
  lam: { codebook: CodebookStats; effects: CodeEffect[] | null };
  dynamics: { maskedAccuracy: number; crossEntropy: number };
  generation: {
    /** PSNR per frame t = 1..T (index t-1) with inferred and with random actions. */
    psnrInferred: number[];
    psnrRandom: number[];
    /** PSNR per frame t of the prompt frame's reconstruction held still: what copying frame 1 scores. */
    psnrHeld: number[];
    deltaT: number;
    deltaTPsnr: number | null;
    /** Rollouts per clip and branch. */
    samples: number;
    /** 95% Student-t interval of ΔtPSNR over clips (paired per clip); null with fewer than 2 clips. */
    deltaTPsnrCi95: MeanInterval | null;
  };
}

/** `count` windows spread evenly over all windows of the store. */
export function evenWindows(store: ClipStore, T: number, stride: number, fps: number, count: number): ClipRef[] {
  const s = samplerFor(store, T, stride, fps);
  const n = Math.min(count, s.total);
  return Array.from({ length: n }, (_, i) => s.at(Math.floor((i * s.total) / n)));
}

const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);

export function evaluateWorldModel(m: EvalModels, o: EvalOptions): WorldModelReport {
  const log = o.log ?? (() => {});
  const T = m.dynamics.cfg.frames;
  const { height: h, width: w } = o.store;
  const fsz = h * w * 3;
  const dt = o.deltaT ?? DELTA_T;
  const samples = o.samples ?? 1;
  if (!(Number.isInteger(samples) && samples >= 1)) throw new LaraError('rollouts per clip out of range', { where: 'samples', expected: 'an integer >= 1', got: String(samples) });
  const refs = evenWindows(o.store, T, o.stride, o.fps, o.clips);
  const stride = samplerFor(o.store, T, o.stride, o.fps).stride;
  const rng = Rng.seeded(o.seed);
  const recP: number[] = [];
  const recS: number[] = [];
  const tokIds: number[] = [];
  const acc: number[] = [];
  const ce: number[] = [];
  const pInf: number[][] = Array.from({ length: T }, () => []);
  const pRnd: number[][] = Array.from({ length: T }, () => []);
  const pHeld: number[][] = Array.from({ length: T }, () => []);
  for (let b0 = 0; b0 < refs.length; b0 += o.batch) {
    const part = refs.slice(b0, b0 + o.batch);
    const b = part.length;
    const real = part.map((r) => clipPixels(o.store, r, T, stride)); // B × [T, H, W, 3]
    const flat = new Float32Array(b * T * fsz);
    real.forEach((p, i) => flat.set(p, i * T * fsz));
    const x = tf.tensor(flat, [b, T, h, w, 3]);
    const frame = (arr: Float32Array, i: number, t: number): Float32Array => arr.subarray((i * T + t) * fsz, (i * T + t + 1) * fsz);
    // tokenizer reconstruction
    const tokens = m.tokenizer.encode(x); // [B, T, N]
    const recon = m.tokenizer.decode(tokens).dataSync() as Float32Array;
    for (let i = 0; i < b; i++)
      for (let t = 0; t < T; t++) {
        recP.push(psnr(frame(flat, i, t), frame(recon, i, t)));
        recS.push(ssim(frame(flat, i, t), frame(recon, i, t), h, w, 3));
        pHeld[t]!.push(psnr(frame(flat, i, t), frame(recon, i, 0)));
      }
    const ids = tokens.dataSync() as Int32Array;
    for (const v of ids) tokIds.push(v);
    // dynamics, teacher-forced under the training mask
    const codes = tf.tidy(() => inferCodes(m.lam, x, m.tokenizer)); // [B, T-1]
    const actions = m.lam.actionVectors(codes); // [B, T-1, Dc]
    const n = m.dynamics.n;
    tf.tidy(() => {
      const mask = tf.tensor3d(trainingMask(b, T, n, rng, m.dynamics.cfg.maskMin).mask, [b, T, n], 'bool');
      const logits = m.dynamics.logits(tokens, mask, actions);
      acc.push(maskedAccuracy(logits, tokens, mask).dataSync()[0]!);
      ce.push(softmaxCrossEntropy(logits, tokens, tf.cast(mask, 'float32')).dataSync()[0]!);
    });
    // generation from frame 1 with inferred and with random actions
    const prompt = new Int32Array(b * n);
    for (let i = 0; i < b; i++) prompt.set(ids.subarray(i * T * n, i * T * n + n), i * n);
    const gen = (acts: Tensor): Float32Array => {
      const g = generate(m.dynamics, prompt, b, 1, T, acts, m.sampler, rng);
      return tf.tidy(() => m.tokenizer.decode(tf.tensor3d(g, [b, T, n], 'int32')).dataSync() as Float32Array);
    };
    const sInf = new Float64Array(b * T); // [B, T] PSNR summed over samples
    const sRnd = new Float64Array(b * T);
    for (let k = 0; k < samples; k++) {
      const inf = gen(actions);
      const rc = Int32Array.from({ length: b * (T - 1) }, () => rng.int(m.lam.cfg.codes));
      const rAct = tf.tidy(() => m.lam.actionVectors(tf.tensor2d(rc, [b, T - 1], 'int32')));
      const rnd = gen(rAct);
      rAct.dispose();
      for (let i = 0; i < b; i++)
        for (let t = 0; t < T; t++) {
          sInf[i * T + t]! += psnr(frame(flat, i, t), frame(inf, i, t));
          sRnd[i * T + t]! += psnr(frame(flat, i, t), frame(rnd, i, t));
        }
    }
    for (let i = 0; i < b; i++)
      for (let t = 0; t < T; t++) {
        pInf[t]!.push(sInf[i * T + t]! / samples);
        pRnd[t]!.push(sRnd[i * T + t]! / samples);
      }
    tf.dispose([x, tokens, codes, actions]);
    log(`evaluated ${Math.min(b0 + b, refs.length)}/${refs.length} clips`);
  }
  const lamStats = lamCodes(m.lam, m.tokenizer, o.store, stride, o);
  const tokStats = codebookStats(tokIds, m.tokenizer.cfg.codes);
  const psnrInferred = pInf.map(mean);
  const psnrRandom = pRnd.map(mean);
  return {
    clips: refs.length,
    frames: T,
    tokenizer: { psnr: mean(recP), ssim: mean(recS), codebook: { codes: tokStats.codes, used: tokStats.used, usage: tokStats.usage, perplexity: tokStats.perplexity } },
    lam: lamStats,
    dynamics: { maskedAccuracy: mean(acc), crossEntropy: mean(ce) },
    generation: {
      psnrInferred,
      psnrRandom,
      psnrHeld: pHeld.map(mean),
      deltaT: dt,
      deltaTPsnr: dt <= T ? psnrInferred[dt - 1]! - psnrRandom[dt - 1]! : null,
      samples,
      deltaTPsnrCi95: dt <= T && refs.length >= 2 ? meanInterval(pInf[dt - 1]!.map((p, i) => p - pRnd[dt - 1]![i]!)) : null,
    },
  };
}

/** LAM codes of every transition of the held-out episodes (windows of the LAM's length, hop T-1). */
export function lamCodes(lam: LatentActionModel, tok: VideoTokenizer | undefined, store: ClipStore, stride: number, o: EvalOptions): { codebook: CodebookStats; effects: CodeEffect[] | null } {
  const T = tok ? Math.min(lam.cfg.frames, tok.cfg.frames) : lam.cfg.frames;
  const s = samplerFor(store, T, stride, 0);
  const { height: h, width: w } = store;
  const fsz = h * w * 3;
  const all: number[] = [];
  const acts: Float32Array[] = [];
  const refs: ClipRef[] = [];
  for (const r of s.windows()) if (r.start % ((T - 1) * stride) === 0) refs.push(r);
  for (let b0 = 0; b0 < refs.length; b0 += o.batch) {
    const part = refs.slice(b0, b0 + o.batch);
    const flat = new Float32Array(part.length * T * fsz);
    part.forEach((r, i) => flat.set(clipPixels(store, r, T, stride), i * T * fsz));
    const codes = tf.tidy(() => {
      const x = tf.tensor(flat, [part.length, T, h, w, 3]);
      return lam.encodeActions(lamInput(lam, x, tok)).dataSync() as Int32Array;
    });
    part.forEach((r, i) => {
      const a = clipActions(store, r, T, stride);
      for (let t = 0; t < T - 1; t++) {
        all.push(codes[i * (T - 1) + t]!);
        if (a) acts.push(a[t]!);
      }
    });
  }
  return { codebook: codebookStats(all, lam.cfg.codes), effects: acts.length === all.length && acts.length > 0 ? codeEffects(all, acts, lam.cfg.codes) : null };
}
