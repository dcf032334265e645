/**
 * lara dataset format v1: constants, path templates and the typed `info.json` record.
 * A dataset is a folder:
 *   info.json                     DatasetInfo (this file's type), format_version = 1
 *   index.json                    DatasetIndex: one entry per episode (file, length, instruction)
 *   episodes/episode_000000.mcap  one MCAP file per episode (ROS 1 messages, see docs/dataset-format.md)
 *   splits.json                   optional train/val split by episode (lara dataset split)
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { LaraError, describe } from '../util/errors.ts';

export const FORMAT_VERSION = 1;
export const INFO_FILE = 'info.json';
export const INDEX_FILE = 'index.json';
export const SPLITS_FILE = 'splits.json';
export const EPISODES_DIR = 'episodes';

/** Relative path of episode k's MCAP file. */
export function episodePath(k: number): string {
  return `${EPISODES_DIR}/episode_${String(k).padStart(6, '0')}.mcap`;
}

/** Topics used inside each episode MCAP. */
export const TOPICS = {
  camera: (name: string) => `/camera/${name}`,
  action: '/lara/action',
  state: '/lara/state',
  latent: '/lara/latent_action',
} as const;

/** Name of the MCAP metadata record holding instruction, metadata and timestamps. */
export const EPISODE_METADATA_NAME = 'lara.episode';

/** How frames are stored: PNG (lossless, default) or JPEG in sensor_msgs/CompressedImage, raw rgb8 in sensor_msgs/Image. */
export type ImageEncoding = 'png' | 'jpeg' | 'raw';
export const IMAGE_ENCODINGS: readonly ImageEncoding[] = ['png', 'jpeg', 'raw'];

export interface CameraInfo {
  name: string;
  width: number;
  height: number;
  encoding: ImageEncoding;
}

/** Per-dimension statistics of a float signal over every step of the dataset. */
export interface VectorStats {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  q01: number[];
  q99: number[];
}

export interface VectorInfo {
  dim: number;
  names: string[];
  stats: VectorStats;
}

export interface DatasetInfo {
  format_version: number;
  /** Robot (or environment) that produced the data, e.g. 'widowx' or 'video'. */
  robot: string;
  fps: number;
  cameras: CameraInfo[];
  /** Native actions; null for video-only datasets. */
  action: VectorInfo | null;
  /** Proprioceptive state; null when absent. */
  state: VectorInfo | null;
  num_episodes: number;
  num_steps: number;
  /** Whether every episode carries latent action codes on /lara/latent_action. */
  has_latents: boolean;
  /** Number of latent codes (|A|) when labelled. */
  latent_codes: number | null;
  /** Where the data came from (importer, source path, options). */
  source: Record<string, unknown>;
}

export interface EpisodeIndexEntry {
  file: string;
  length: number;
  instruction: string;
  bytes: number;
}

export interface DatasetIndex {
  format_version: number;
  episodes: EpisodeIndexEntry[];
}

export function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new LaraError(`missing ${what}`, { file: path, expected: `a lara dataset ${what}` });
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new LaraError(`cannot parse ${what}: ${(e as Error).message}`, { file: path, expected: 'valid JSON' });
  }
}

function need(cond: boolean, file: string, field: string, expected: string, got: unknown): void {
  if (!cond) throw new LaraError('invalid dataset description', { file, where: field, expected, got: describe(got) });
}

/** Load and validate a dataset folder's info.json. */
export function loadInfo(dir: string): DatasetInfo {
  const file = join(dir, INFO_FILE);
  const v = readJsonFile(file, INFO_FILE) as Record<string, unknown>;
  need(typeof v === 'object' && v !== null, file, '(root)', 'an object', v);
  need(v.format_version === FORMAT_VERSION, file, 'format_version', String(FORMAT_VERSION), v.format_version);
  need(typeof v.fps === 'number' && v.fps > 0, file, 'fps', 'a positive number', v.fps);
  need(Array.isArray(v.cameras) && v.cameras.length > 0, file, 'cameras', 'a non-empty array', v.cameras);
  for (const [i, c] of (v.cameras as CameraInfo[]).entries()) {
    need(typeof c.name === 'string' && Number.isInteger(c.width) && Number.isInteger(c.height), file, `cameras[${i}]`, '{name, width, height, encoding}', c);
    need(IMAGE_ENCODINGS.includes(c.encoding), file, `cameras[${i}].encoding`, IMAGE_ENCODINGS.join('|'), c.encoding);
  }
  need(Number.isInteger(v.num_episodes), file, 'num_episodes', 'an integer', v.num_episodes);
  return v as unknown as DatasetInfo;
}

export function loadIndex(dir: string, info: DatasetInfo): DatasetIndex {
  const file = join(dir, INDEX_FILE);
  const v = readJsonFile(file, INDEX_FILE) as DatasetIndex;
  need(Array.isArray(v?.episodes), file, 'episodes', 'an array', v?.episodes);
  need(v.episodes.length === info.num_episodes, file, 'episodes', `${info.num_episodes} entries (info.json num_episodes)`, v.episodes.length);
  return v;
}
