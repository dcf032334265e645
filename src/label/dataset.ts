/**
 * `lara label` as a library call: label a lara dataset in place with a frozen LAM (video files
 * and ROS bags are imported into a new dataset first), then write the label report into
 * `<dataset>/label-report/`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { currentBackend } from '../backend/select.ts';
import { Dataset } from '../data/Dataset.ts';
import { importRosbag } from '../data/import/rosbag.ts';
import { importVideo } from '../data/import/video.ts';
import type { LatentActionModel } from '../lam/lam.ts';
import { loadLam } from '../world/load.ts';
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import type { Clock } from '../util/clock.ts';
import { checkLamFits, labelEpisodes, type LabelProgress, type LabelResult } from './label.ts';
import { ExampleCollector, summariseCodes, writeLabelReport, type LabelReport } from './report.ts';

export interface LabelDatasetOptions {
  /** LAM run or checkpoint directory. */
  lam: string;
  /** Windows per LAM call. */
  batch?: number;
  /** Frames ahead each transition is read over (labelEpisodes); default: the LAM run's data.stride for a 2-frame LAM, else 1. */
  horizon?: number;
  /** For video / bag sources: the labelled dataset to create. */
  out?: string;
  overwrite?: boolean;
  /** Frame size for imported video / bags (default: the LAM's). */
  camera?: string;
  /** Example transitions per code in the strip. */
  examples?: number;
  /** Folder of the label report (default: label-report/ in the dataset). */
  reportDir?: string;
  seed?: number;
  onProgress?: (p: LabelProgress) => void;
  log?: (s: string) => void;
  clock?: Clock;
}

export interface LabelDatasetResult extends LabelResult {
  dataset: string;
  reportDir: string;
  report: LabelReport;
}

export type SourceKind = 'dataset' | 'video' | 'bag';

export function sourceKind(src: string): SourceKind {
  if (!existsSync(src)) throw new LaraError('no such file or folder', { file: src, expected: 'a lara dataset folder, a video file (or folder of videos) or a ROS bag' });
  if (statSync(src).isDirectory()) {
    if (existsSync(join(src, 'info.json'))) return 'dataset';
    return 'video';
  }
  if (/\.bag$/i.test(src)) return 'bag';
  return 'video';
}

/**
 * Where the LAM of `path` is: a latent agent bundle (agent.json) names its bundled LAM in
 * lam.source; anything else is a LAM / world-model run or checkpoint directory.
 */
export function lamPath(path: string): string {
  const agentFile = join(path, 'agent.json');
  if (!existsSync(agentFile)) return path;
  let source: unknown;
  try {
    source = (JSON.parse(readFileSync(agentFile, 'utf8')) as { lam?: { source?: unknown } }).lam?.source;
  } catch (e) {
    throw new LaraError(`cannot parse agent: ${(e as Error).message}`, { file: agentFile });
  }
  if (typeof source !== 'string') throw new LaraError('this agent has no LAM', { file: agentFile, where: 'lam.source', expected: 'a latent agent bundle (lara agent create)' });
  return join(path, source);
}

/** Load a LAM (from a run, a checkpoint or an agent bundle), turning any failure into a clear error naming it. */
export function openLam(path: string): { model: LatentActionModel; stride: number; dir: string } {
  const where = lamPath(path); // its own clear errors for an agent bundle without a LAM
  try {
    const l = loadLam(where);
    return { model: l.model, stride: l.stride, dir: l.dir };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new LaraError(`cannot use this LAM checkpoint: ${msg}`, { file: path, expected: 'a LAM run or checkpoint written by lara train lam' });
  }
}

export async function labelDataset(src: string, o: LabelDatasetOptions): Promise<LabelDatasetResult> {
  const log = o.log ?? (() => {});
  const opened = openLam(o.lam);
  const lam = opened.model;
  const horizon = o.horizon ?? (lam.cfg.frames === 2 ? opened.stride : 1);
  const kind = sourceKind(src);
  let dir = src;
  if (kind !== 'dataset') {
    if (!o.out) throw new LaraError(`labelling a ${kind === 'bag' ? 'ROS bag' : 'video'} writes a new dataset`, { where: '--out', expected: 'the folder of the labelled dataset to create', got: 'nothing' });
    const size = { width: lam.cfg.width, height: lam.cfg.height };
    log(`importing ${kind} ${src} -> ${o.out} at ${size.width}x${size.height}`);
    if (kind === 'bag') await importRosbag(src, { out: o.out, overwrite: o.overwrite ?? false, size });
    else await importVideo(src, { out: o.out, overwrite: o.overwrite ?? false, size });
    dir = o.out;
  }
  let ds = Dataset.open(dir);
  const cam = ds.camera(o.camera);
  checkLamFits(lam, cam.width, cam.height, o.lam);
  const actions: (Float32Array[] | undefined)[] = [];
  const ex = new ExampleCollector(lam.cfg.codes, o.examples ?? 6, Rng.seeded(o.seed ?? 0));
  const res = await labelEpisodes(lam, {
    count: ds.numEpisodes, width: cam.width, height: cam.height, totalFrames: ds.info.num_steps,
    frames: async (k) => {
      const e = await ds.readEpisode(k);
      actions[k] = e.actions;
      return e.cameras[cam.name]!.frames;
    },
  }, { batch: o.batch ?? 16, horizon, ...(o.clock ? { clock: o.clock } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}), onTransition: (k, t, c, x0, x1) => ex.add(k, t, c, x0, x1) });
  ds = await ds.writeLatents(res.codes, { numCodes: lam.cfg.codes });
  const report: LabelReport = {
    ...summariseCodes(res.codes, lam.cfg.codes, actions),
    episodes: res.codes.length,
    framesPerSecond: res.framesPerSecond,
    horizon,
    backend: currentBackend()?.chosen ?? 'unknown',
    ...(ds.info.action ? { actionNames: ds.info.action.names } : {}),
  };
  const reportDir = o.reportDir ?? join(dir, 'label-report');
  await writeLabelReport(reportDir, report, ex, cam.width, cam.height);
  await ds.close();
  return { ...res, dataset: dir, reportDir, report };
}
