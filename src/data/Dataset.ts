/**
 * Read access to a lara dataset folder (format v1). Episode files are opened lazily and kept in a
 * small LRU of open readers, so repeated window reads cost only the chunks they touch.
 */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Episode } from './episode.ts';
import { EpisodeMcapReader } from './mcap/EpisodeMcapReader.ts';
import { LaraError } from '../util/errors.ts';
import { loadIndex, loadInfo, readJsonFile, SPLITS_FILE, type CameraInfo, type DatasetIndex, type DatasetInfo } from './format.ts';
import { writeLatents, type WriteLatentsOptions } from './latents.ts';
import type { Splits } from './split.ts';

export interface WindowOptions {
  /** Camera to decode (default: the first camera). */
  camera?: string;
  /** Step between consecutive frames of the window (default 1). */
  stride?: number;
}

export interface Window {
  episode: number;
  /** Step indices: start, start+stride, ... (T of them). */
  steps: number[];
  /** Seconds from episode start, per frame. */
  timestamps: number[];
  width: number;
  height: number;
  /** T frames, each [H, W, 3] uint8. */
  frames: Uint8Array[];
  /** T action rows when the dataset has actions. */
  actions?: Float32Array[];
  states?: Float32Array[];
  /** Latent code at each window step (transition step -> step+1; -1 at the episode's last step). */
  latents?: Int32Array;
}

export class Dataset {
  readonly dir: string;
  readonly info: DatasetInfo;
  readonly index: DatasetIndex;
  #open = new Map<number, Promise<EpisodeMcapReader>>();
  /** Reads in flight per episode; readers in use are never evicted. */
  #active = new Map<number, number>();
  #maxOpen: number;

  private constructor(dir: string, info: DatasetInfo, index: DatasetIndex, maxOpen: number) {
    this.dir = dir;
    this.info = info;
    this.index = index;
    this.#maxOpen = maxOpen;
  }

  static open(dir: string, opts: { maxOpenFiles?: number } = {}): Dataset {
    const d = resolve(dir);
    if (!existsSync(d)) throw new LaraError('no such dataset folder', { file: dir });
    const info = loadInfo(d);
    return new Dataset(d, info, loadIndex(d, info), opts.maxOpenFiles ?? 64);
  }

  get numEpisodes(): number {
    return this.index.episodes.length;
  }

  episodeLength(k: number): number {
    return this.#entry(k).length;
  }

  #entry(k: number) {
    const e = this.index.episodes[k];
    if (!e) throw new LaraError('episode index out of range', { file: this.dir, expected: `0..${this.numEpisodes - 1}`, got: String(k) });
    return e;
  }

  camera(name?: string): CameraInfo {
    const c = name === undefined ? this.info.cameras[0] : this.info.cameras.find((x) => x.name === name);
    if (!c) throw new LaraError('no such camera', { file: this.dir, expected: this.info.cameras.map((x) => x.name).join(', '), got: String(name) });
    return c;
  }

  /** The open reader of episode k (cached). */
  async reader(k: number): Promise<EpisodeMcapReader> {
    let r = this.#open.get(k);
    if (r) {
      this.#open.delete(k);
      this.#open.set(k, r);
      return r;
    }
    const path = join(this.dir, this.#entry(k).file);
    r = EpisodeMcapReader.open(path);
    this.#open.set(k, r);
    r.catch(() => this.#open.delete(k));
    const rd = await r;
    if (rd.length !== this.#entry(k).length) {
      throw new LaraError('episode length differs from index.json', { file: path, expected: String(this.#entry(k).length), got: String(rd.length) });
    }
    for (const [oldK, oldR] of this.#open) {
      if (this.#open.size <= this.#maxOpen) break;
      if (oldK === k || this.#active.get(oldK)) continue;
      this.#open.delete(oldK);
      void oldR.then((x) => x.close()).catch(() => undefined);
    }
    return rd;
  }

  /** Run `fn` with episode k's reader, keeping it open meanwhile. */
  async #with<R>(k: number, fn: (r: EpisodeMcapReader) => Promise<R>): Promise<R> {
    this.#active.set(k, (this.#active.get(k) ?? 0) + 1);
    try {
      return await fn(await this.reader(k));
    } finally {
      const n = this.#active.get(k)! - 1;
      if (n) this.#active.set(k, n);
      else this.#active.delete(k);
    }
  }

  async readEpisode(k: number): Promise<Episode> {
    return this.#with(k, (r) => r.readEpisode(this.info.cameras));
  }

  /** T frames of one camera starting at `start` with `stride`, plus actions/states/latents at those steps. */
  async readWindow(k: number, start: number, T: number, opts: WindowOptions = {}): Promise<Window> {
    const stride = opts.stride ?? 1;
    const len = this.episodeLength(k);
    if (!Number.isInteger(stride) || stride < 1) throw new LaraError('stride must be a positive integer', { where: 'stride', got: String(stride) });
    const last = start + (T - 1) * stride;
    if (!Number.isInteger(start) || !Number.isInteger(T) || T < 1 || start < 0 || last >= len) {
      throw new LaraError('window out of range', { file: this.dir, where: `episode ${k}`, expected: `start >= 0 and start + (T-1)*stride < ${len}`, got: `start ${start}, T ${T}, stride ${stride}` });
    }
    const cam = this.camera(opts.camera);
    const steps = Array.from({ length: T }, (_, i) => start + i * stride);
    const d = await this.#with(k, (r) => r.readSteps(steps, [cam]));
    const w: Window = { episode: k, steps, timestamps: d.timestamps, width: cam.width, height: cam.height, frames: d.cameras[cam.name]!.frames };
    if (d.actions) w.actions = d.actions;
    if (d.states) w.states = d.states;
    if (d.latents) w.latents = d.latents;
    return w;
  }

  /** The train/val split written by `lara dataset split`, or null. */
  splits(): Splits | null {
    const f = join(this.dir, SPLITS_FILE);
    return existsSync(f) ? (readJsonFile(f, SPLITS_FILE) as Splits) : null;
  }

  /** Store latent codes (labels[k] has length episodeLength(k) - 1) atomically; closes this Dataset's readers. */
  async writeLatents(labels: Int32Array[], opts: WriteLatentsOptions): Promise<Dataset> {
    await this.close();
    await writeLatents(this.dir, labels, opts);
    return Dataset.open(this.dir);
  }

  async close(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
}
