/**
 * Training and evaluation clips from a lara dataset. Episodes of one camera are decoded once into
 * memory (uint8, resized by an integer box filter to the model's frame size), then T-frame
 * windows are drawn from them synchronously: batch k depends only on (seed, k), as the training
 * loop's exact resume requires.
 *
 * Dimension legend: B clips, T frames, H × W pixels, C = 3 channels.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { ClipSampler, type ClipRef } from '../data/ClipSampler.ts';
import { Dataset } from '../data/Dataset.ts';
import { stepRng, type BatchSource } from '../train/task.ts';
import { LaraError } from '../util/errors.ts';

export interface EpisodeFrames {
  episode: number;
  /** Frames [H, W, 3] uint8 at the model's size. */
  frames: Uint8Array[];
  /** Native actions per step, when the dataset has them. */
  actions?: Float32Array[];
}

export interface ClipStore {
  height: number;
  width: number;
  fps: number;
  episodes: EpisodeFrames[];
}

export interface LoadClipsOptions {
  height: number;
  width: number;
  camera?: string;
  /** Which episodes (default: all). */
  episodes?: number[];
  /** Refuse to hold more than this many bytes of frames (default 3 GB). */
  maxBytes?: number;
}

/** Box-downsample an [h, w, 3] image by integer factors to [oh, ow, 3]. */
export function resizeBox(src: Uint8Array, h: number, w: number, oh: number, ow: number, where: string): Uint8Array {
  if (h === oh && w === ow) return src;
  if (h % oh !== 0 || w % ow !== 0) {
    throw new LaraError('camera size is not an integer multiple of the model frame size', { where, expected: `a multiple of ${oh}x${ow} (HxW)`, got: `${h}x${w}` });
  }
  const fy = h / oh;
  const fx = w / ow;
  const out = new Uint8Array(oh * ow * 3);
  const n = fy * fx;
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = 0; dy < fy; dy++) for (let dx = 0; dx < fx; dx++) s += src[((y * fy + dy) * w + x * fx + dx) * 3 + c]!;
        out[(y * ow + x) * 3 + c] = Math.round(s / n);
      }
  return out;
}

/** Decode the chosen episodes of a dataset into memory at the model's frame size. */
export async function loadClips(ds: Dataset, o: LoadClipsOptions): Promise<ClipStore> {
  const cam = ds.camera(o.camera || undefined);
  const eps = o.episodes ?? Array.from({ length: ds.numEpisodes }, (_, i) => i);
  const bytes = eps.reduce((s, k) => s + ds.episodeLength(k), 0) * o.height * o.width * 3;
  const max = o.maxBytes ?? 3e9;
  if (bytes > max) {
    throw new LaraError('dataset too large to hold in memory for training', { file: ds.dir, expected: `at most ${(max / 1e9).toFixed(1)} GB of frames`, got: `${(bytes / 1e9).toFixed(2)} GB` });
  }
  const out: EpisodeFrames[] = [];
  for (const k of eps) {
    const w = await ds.readWindow(k, 0, ds.episodeLength(k), { camera: cam.name });
    const frames = w.frames.map((f) => resizeBox(f, cam.height, cam.width, o.height, o.width, `${ds.dir}: camera ${cam.name}`));
    out.push({ episode: k, frames, ...(w.actions ? { actions: w.actions } : {}) });
  }
  return { height: o.height, width: o.width, fps: ds.info.fps, episodes: out };
}

/** Train / held-out episodes: the dataset's splits.json when present, else the last `heldOut` fraction. */
export function splitEpisodes(ds: Dataset, heldOut: number): { train: number[]; val: number[] } {
  const s = ds.splits();
  if (s && s.train.length > 0) return { train: s.train, val: s.val };
  const n = ds.numEpisodes;
  const nVal = heldOut > 0 && n > 1 ? Math.max(1, Math.round(n * heldOut)) : 0;
  const all = Array.from({ length: n }, (_, i) => i);
  return { train: all.slice(0, n - nVal), val: all.slice(n - nVal) };
}

/** A sampler of T-frame windows over a store (indices into store.episodes). */
export function samplerFor(store: ClipStore, T: number, stride: number, fps: number): ClipSampler {
  return new ClipSampler({
    lengths: store.episodes.map((e) => e.frames.length),
    T,
    ...(fps > 0 ? { fps: store.fps, targetFps: fps } : { stride }),
  });
}

/** Frames of window `r` as floats in [0, 1]: Float32Array [T, H, W, 3]. */
export function clipPixels(store: ClipStore, r: ClipRef, T: number, stride: number): Float32Array {
  const e = store.episodes[r.episode]!;
  const fsz = store.height * store.width * 3;
  const out = new Float32Array(T * fsz);
  for (let t = 0; t < T; t++) {
    const f = e.frames[r.start + t * stride]!;
    for (let i = 0; i < fsz; i++) out[t * fsz + i] = f[i]! / 255;
  }
  return out;
}

/**
 * Native actions of window `r`, or undefined: row t is the mean of the actions taken from frame
 * t up to (not including) frame t+1, i.e. over the `stride` steps of that transition.
 */
export function clipActions(store: ClipStore, r: ClipRef, T: number, stride: number): Float32Array[] | undefined {
  const e = store.episodes[r.episode]!;
  const acts = e.actions;
  if (!acts) return undefined;
  return Array.from({ length: T }, (_, t) => {
    const s0 = r.start + t * stride;
    const s1 = Math.min(s0 + stride, acts.length);
    const out = new Float32Array(acts[s0]!.length);
    for (let s = s0; s < s1; s++) for (let j = 0; j < out.length; j++) out[j]! += acts[s]![j]! / (s1 - s0);
    return out;
  });
}

/** Batches of clips [B, T, H, W, 3] in [0, 1]; batch k is a pure function of (seed, k). */
export class ClipBatches implements BatchSource<Tensor> {
  constructor(
    readonly store: ClipStore,
    readonly sampler: ClipSampler,
    readonly batchSize: number,
    readonly seed: number,
  ) {}

  refs(step: number): ClipRef[] {
    const rng = stepRng(this.seed, step);
    return Array.from({ length: this.batchSize }, () => this.sampler.sample(rng));
  }

  batch(step: number): Tensor {
    const { T, stride } = this.sampler;
    const h = this.store.height;
    const w = this.store.width;
    const parts = this.refs(step).map((r) => clipPixels(this.store, r, T, stride));
    const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return tf.tensor(all, [this.batchSize, T, h, w, 3]);
  }

  dispose(b: Tensor): void {
    b.dispose();
  }
}
