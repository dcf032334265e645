/**
 * What every `lara train <component>` verb does around its task: pick the backend, open the
 * dataset, hold the training episodes in memory, sample T-frame windows and run the resumable
 * loop (src/train/loop.ts). CLI verbs stay thin over this.
 */
import type { Tensor } from '../backend/tf.ts';
import { describeChoice, initBackend, type BackendName } from '../backend/select.ts';
import { Dataset } from '../data/Dataset.ts';
import { train, type TrainResult } from '../train/loop.ts';
import type { TrainTask } from '../train/task.ts';
import { ClipBatches, loadClips, samplerFor, splitEpisodes } from './clips.ts';
import type { TrainSettings } from './task.ts';

export interface DataSettings {
  stride: number;
  fps: number;
  camera: string;
  heldOut: number;
}

export interface RunTrainingOptions {
  component: string;
  task: TrainTask<Tensor>;
  config: { train: TrainSettings; data: DataSettings };
  /** Frame size and clip length the model trains on. */
  height: number;
  width: number;
  frames: number;
  dataDir: string;
  runDir: string;
  resume?: boolean;
  overwrite?: boolean;
  log?: (s: string) => void;
}

export async function setBackend(name: string, log: (s: string) => void): Promise<void> {
  const c = await initBackend(name as BackendName);
  log(describeChoice(c).split('\n')[0]!);
}

export async function runTraining(o: RunTrainingOptions): Promise<TrainResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const ds = Dataset.open(o.dataDir);
  try {
    const d = o.config.data;
    const split = splitEpisodes(ds, d.heldOut);
    const store = await loadClips(ds, { height: o.height, width: o.width, camera: d.camera, episodes: split.train });
    const sampler = samplerFor(store, o.frames, d.stride, d.fps);
    log(`${o.component}: ${split.train.length} training episodes (${sampler.total} windows of ${o.frames} frames, stride ${sampler.stride}), ${split.val.length} held out`);
    const batches = new ClipBatches(store, sampler, o.config.train.batch, o.config.train.seed);
    return await train({
      task: o.task,
      data: batches,
      train: o.config.train,
      runDir: o.runDir,
      resume: o.resume ?? false,
      overwrite: o.overwrite ?? false,
      config: o.config,
      component: o.component,
      log,
    });
  } finally {
    await ds.close();
  }
}

/** One-line summary of a finished run. */
export function summary(component: string, r: TrainResult, runDir: string): string {
  const last = r.history[r.history.length - 1];
  const parts = Object.entries(last ?? {}).filter(([k]) => k !== 'step').map(([k, v]) => `${k} ${Number(v).toPrecision(4)}`);
  return `${component}: step ${r.step} in ${r.seconds.toFixed(1)} s${parts.length ? ` (${parts.join(', ')})` : ''}; run in ${runDir}${r.checkpoint ? `, checkpoint ${r.checkpoint}` : ''}`;
}
