/**
 * Labelling with a frozen LAM encoder (Genie §3.3): every transition x_t -> x_{t+1} of every
 * episode gets the code a_t. Episodes are cut into windows of the LAM's clip length T that
 * overlap by one frame (so each transition is labelled once, with as much causal context as the
 * LAM was trained with); a short last window is padded by repeating its last frame, which cannot
 * change earlier codes because the encoder is causal in time. Windows are batched.
 * Dimension legend: B windows, T frames, H x W image, C = 3.
 */
import { tf } from '../backend/tf.ts';
import type { LatentActionModel } from '../lam/lam.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { LaraError } from '../util/errors.ts';

export interface LabelSource {
  /** Number of episodes. */
  count: number;
  width: number;
  height: number;
  /** Total frames, when known (for progress). */
  totalFrames?: number;
  /** Frames of episode k ([H, W, 3] RGB each). */
  frames(k: number): Promise<Uint8Array[]>;
}

export interface LabelProgress {
  episodes: number;
  /** Total frames when the source knows it. */
  totalFrames?: number;
  frames: number;
  seconds: number;
}

export interface LabelOptions {
  /** Windows per LAM call. */
  batch: number;
  /**
   * Frames ahead each transition is read over (a 2-frame LAM only): transition t is labelled with
   * the code of the pair (x_t, x_{min(t+horizon, last)}), the motion the LAM was trained to see at
   * its data.stride. 1 (default) labels x_t → x_{t+1}.
   */
  horizon?: number;
  clock?: Clock;
  onProgress?: (p: LabelProgress) => void;
  /** Called once per transition with its frames and code (e.g. to collect examples). */
  onTransition?: (k: number, t: number, code: number, x0: Uint8Array, x1: Uint8Array) => void;
}

export interface LabelResult {
  /** Codes per episode (length T_k - 1). */
  codes: Int32Array[];
  frames: number;
  seconds: number;
  /** Frames labelled per second (LAM encoder time plus reading). */
  framesPerSecond: number;
}

/** Check that the LAM reads pixels of this frame size; a clear error otherwise. */
export function checkLamFits(lam: LatentActionModel, width: number, height: number, where: string): void {
  const c = lam.cfg;
  if (c.input !== 'pixels') throw new LaraError('this LAM reads tokenizer tokens; labelling needs a LAM on pixels', { file: where, where: 'model.input', expected: '"pixels"', got: JSON.stringify(c.input) });
  if (c.width !== width || c.height !== height || c.channels !== 3) {
    throw new LaraError('LAM checkpoint does not fit the frames to label', { file: where, where: 'model.width x model.height x channels', expected: `${width}x${height}x3 (the data's frames)`, got: `${c.width}x${c.height}x${c.channels}` });
  }
}

interface Pending {
  k: number;
  start: number;
  /** Real frames in this window (≤ T). */
  real: number;
}

export async function labelEpisodes(lam: LatentActionModel, src: LabelSource, o: LabelOptions): Promise<LabelResult> {
  const clock = o.clock ?? systemClock;
  const T = lam.cfg.frames;
  const horizon = o.horizon ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1 || (horizon > 1 && T !== 2)) {
    throw new LaraError('labelling horizon does not fit this LAM', { where: '--horizon', expected: T === 2 ? 'a whole number ≥ 1' : `1 (only a 2-frame LAM labels over a longer horizon; this one has ${T} frames)`, got: String(horizon) });
  }
  const { width: w, height: h } = src;
  const frameSize = w * h * 3;
  const t0 = clock.now();
  const codes: Int32Array[] = [];
  const held = new Map<number, Uint8Array[]>();
  let pending: Pending[] = [];
  let batchData = new Float32Array(o.batch * T * frameSize);
  let framesDone = 0;

  const flush = (): void => {
    if (!pending.length) return;
    const b = pending.length;
    const out = tf.tidy(() => {
      const clip = tf.tensor(batchData.subarray(0, b * T * frameSize), [b, T, h, w, 3]); // [B, T, H, W, C]
      return lam.encodeActions(clip).dataSync() as Int32Array; // [B, T-1]
    });
    pending.forEach((p, i) => {
      const fr = held.get(p.k)!;
      for (let j = 0; j + 1 < p.real; j++) {
        const c = out[i * (T - 1) + j]!;
        codes[p.k]![p.start + j] = c;
        o.onTransition?.(p.k, p.start + j, c, fr[p.start + j]!, fr[Math.min(p.start + j + horizon, fr.length - 1)]!);
      }
    });
    const ks = new Set(pending.map((p) => p.k));
    pending = [];
    // free episodes whose windows are all done (all but possibly the newest)
    for (const k of held.keys()) if (!ks.has(k) || k < Math.max(...ks)) held.delete(k);
  };

  for (let k = 0; k < src.count; k++) {
    const frames = await src.frames(k);
    for (const [i, f] of frames.entries()) {
      if (f.length !== frameSize) throw new LaraError('frame has the wrong size', { where: `episode ${k} frame ${i}`, expected: `${w}x${h}x3 = ${frameSize} bytes`, got: `${f.length} bytes` });
    }
    codes[k] = new Int32Array(Math.max(0, frames.length - 1));
    held.set(k, frames);
    for (let s = 0; s + 1 < frames.length; s += T - 1) {
      const real = Math.min(T, frames.length - s);
      const base = pending.length * T * frameSize;
      for (let j = 0; j < T; j++) {
        // horizon > 1 (T = 2): the pair (x_s, x_{s+horizon}), clamped to the last frame
        const f = horizon > 1 ? frames[Math.min(s + j * horizon, frames.length - 1)]! : frames[s + Math.min(j, real - 1)]!;
        const off = base + j * frameSize;
        for (let q = 0; q < frameSize; q++) batchData[off + q] = f[q]! / 255;
      }
      pending.push({ k, start: s, real });
      if (pending.length === o.batch) flush();
    }
    framesDone += frames.length;
    o.onProgress?.({ episodes: k + 1, frames: framesDone, seconds: (clock.now() - t0) / 1000, ...(src.totalFrames !== undefined ? { totalFrames: src.totalFrames } : {}) });
  }
  flush();
  batchData = new Float32Array(0);
  const seconds = (clock.now() - t0) / 1000;
  return { codes, frames: framesDone, seconds, framesPerSecond: seconds > 0 ? framesDone / seconds : 0 };
}
