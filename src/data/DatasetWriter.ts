/**
 * Builds a lara dataset folder atomically: episodes are written into a temp folder beside the
 * target, which is renamed onto the target by finish(); abort() (or a failed finish) removes it.
 */
import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Episode } from './episode.ts';
import { writeEpisodeMcap } from './mcap/EpisodeMcapWriter.ts';
import { StatsAccumulator } from './stats.ts';
import { swapIntoPlace, tempPathFor, writeJsonAtomic } from '../util/atomic.ts';
import { LaraError } from '../util/errors.ts';
import { EPISODES_DIR, FORMAT_VERSION, INDEX_FILE, INFO_FILE, episodePath, type CameraInfo, type DatasetInfo, type DatasetIndex, type EpisodeIndexEntry, type ImageEncoding } from './format.ts';

export interface DatasetWriterOptions {
  /** Robot or environment name. */
  robot: string;
  /** Steps per second. */
  fps: number;
  /** Cameras; encoding defaults to 'png'. */
  cameras: { name: string; width: number; height: number; encoding?: ImageEncoding }[];
  /** Names of action dimensions; null/absent for video-only data. */
  actionNames?: string[] | null;
  /** Names of state dimensions; null/absent when no state. */
  stateNames?: string[] | null;
  /** Number of latent codes when episodes carry latents. */
  latentCodes?: number | null;
  /** Provenance recorded in info.json. */
  source?: Record<string, unknown>;
  /** Replace an existing dataset at the target. */
  overwrite?: boolean;
}

export class DatasetWriter {
  readonly dir: string;
  readonly tmpDir: string;
  #opts: DatasetWriterOptions;
  #cameras: CameraInfo[];
  #entries: EpisodeIndexEntry[] = [];
  #actionStats: StatsAccumulator | null;
  #stateStats: StatsAccumulator | null;
  #latents: boolean[] = [];
  #done = false;

  private constructor(dir: string, opts: DatasetWriterOptions) {
    this.dir = resolve(dir);
    this.#opts = opts;
    this.#cameras = opts.cameras.map((c) => ({ name: c.name, width: c.width, height: c.height, encoding: c.encoding ?? 'png' }));
    this.#actionStats = opts.actionNames ? new StatsAccumulator(opts.actionNames.length) : null;
    this.#stateStats = opts.stateNames ? new StatsAccumulator(opts.stateNames.length) : null;
    this.tmpDir = tempPathFor(this.dir);
  }

  static create(dir: string, opts: DatasetWriterOptions): DatasetWriter {
    if (existsSync(dir) && !opts.overwrite) throw new LaraError('output already exists (pass --overwrite to replace it)', { file: dir });
    if (!(opts.fps > 0)) throw new LaraError('fps must be positive', { where: 'fps', got: String(opts.fps) });
    if (opts.cameras.length === 0) throw new LaraError('a dataset needs at least one camera', { where: 'cameras' });
    for (const c of opts.cameras) {
      if (!/^[A-Za-z0-9_]+$/.test(c.name)) throw new LaraError('camera names must be [A-Za-z0-9_]+', { where: 'cameras', got: JSON.stringify(c.name) });
    }
    const w = new DatasetWriter(dir, opts);
    mkdirSync(dirname(w.dir), { recursive: true });
    mkdirSync(join(w.tmpDir, EPISODES_DIR), { recursive: true });
    return w;
  }

  get numEpisodes(): number {
    return this.#entries.length;
  }

  async addEpisode(ep: Episode): Promise<number> {
    if (this.#done) throw new Error('DatasetWriter: addEpisode after finish/abort');
    const k = this.#entries.length;
    const file = episodePath(k);
    const layout = { cameras: this.#cameras, actionNames: this.#opts.actionNames ?? null, stateNames: this.#opts.stateNames ?? null };
    const bytes = await writeEpisodeMcap(join(this.tmpDir, file), ep, layout, `episode ${k}`);
    if (this.#actionStats) for (const a of ep.actions!) this.#actionStats.add(a);
    if (this.#stateStats) for (const s of ep.states!) this.#stateStats.add(s);
    this.#latents.push(ep.latents !== undefined);
    this.#entries.push({ file, length: ep.timestamps.length, instruction: ep.instruction, bytes });
    return k;
  }

  /** Write info.json + index.json and move the folder into place. Returns the info. */
  async finish(): Promise<DatasetInfo> {
    if (this.#done) throw new Error('DatasetWriter: finish called twice');
    try {
      if (this.#entries.length === 0) throw new LaraError('no episodes to write', { file: this.dir, expected: 'at least one episode' });
      const o = this.#opts;
      const hasLatents = this.#latents.every(Boolean);
      const info: DatasetInfo = {
        format_version: FORMAT_VERSION,
        robot: o.robot,
        fps: o.fps,
        cameras: this.#cameras,
        action: o.actionNames && this.#actionStats ? { dim: o.actionNames.length, names: o.actionNames, stats: this.#actionStats.result() } : null,
        state: o.stateNames && this.#stateStats ? { dim: o.stateNames.length, names: o.stateNames, stats: this.#stateStats.result() } : null,
        num_episodes: this.#entries.length,
        num_steps: this.#entries.reduce((s, e) => s + e.length, 0),
        has_latents: hasLatents,
        latent_codes: hasLatents ? (o.latentCodes ?? null) : null,
        source: o.source ?? {},
      };
      const index: DatasetIndex = { format_version: FORMAT_VERSION, episodes: this.#entries };
      writeJsonAtomic(join(this.tmpDir, INFO_FILE), info);
      writeJsonAtomic(join(this.tmpDir, INDEX_FILE), index);
      swapIntoPlace(this.tmpDir, this.dir);
      this.#done = true;
      return info;
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Remove everything written so far. */
  abort(): void {
    this.#done = true;
    rmSync(this.tmpDir, { recursive: true, force: true });
  }
}


