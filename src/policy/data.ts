/**
 * Episodes held in memory for policy training and labelled-set fitting: frames of one camera,
 * instruction, states, actions and latent codes, with the frame history a policy sees.
 */
import type { Dataset } from '../data/Dataset.ts';
import { LaraError } from '../util/errors.ts';

export interface HeldEpisode {
  instruction: string;
  frames: Uint8Array[];
  actions?: Float32Array[];
  states?: Float32Array[];
  /** Code of transition t -> t+1 (length T-1). */
  latents?: Int32Array;
}

export class EpisodeMemory {
  constructor(
    readonly episodes: HeldEpisode[],
    readonly width: number,
    readonly height: number,
    /** Dataset indices of the held episodes. */
    readonly ids: number[],
  ) {}

  /** Read episodes `ids` (default all) of one camera (default the first) into memory. */
  static async load(ds: Dataset, opts: { ids?: number[]; camera?: string } = {}): Promise<EpisodeMemory> {
    const cam = ds.camera(opts.camera);
    const ids = opts.ids ?? Array.from({ length: ds.numEpisodes }, (_, i) => i);
    const eps: HeldEpisode[] = [];
    for (const k of ids) {
      const e = await ds.readEpisode(k);
      const frames = e.cameras[cam.name]?.frames;
      if (!frames) throw new LaraError('episode lacks the camera', { file: ds.dir, where: `episode ${k}`, expected: cam.name });
      const h: HeldEpisode = { instruction: e.instruction, frames };
      if (e.actions) h.actions = e.actions;
      if (e.states) h.states = e.states;
      if (e.latents) h.latents = e.latents;
      eps.push(h);
    }
    return new EpisodeMemory(eps, cam.width, cam.height, ids);
  }

  /** The T frames ending at step t (repeating frame 0 before the episode start). */
  history(i: number, t: number, T: number): Uint8Array[] {
    const f = this.episodes[i]!.frames;
    return Array.from({ length: T }, (_, j) => f[Math.max(0, t - (T - 1) + j)]!);
  }

  get steps(): number {
    return this.episodes.reduce((a, e) => a + e.frames.length, 0);
  }
}
