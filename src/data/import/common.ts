/** Options and helpers shared by lara's importers. */
import { LaraError } from '../../util/errors.ts';
import type { DatasetInfo, ImageEncoding } from '../format.ts';

export interface ImportOptions {
  /** Output dataset folder. */
  out: string;
  /** Replace an existing output. */
  overwrite?: boolean;
  /** Frame size; default: the source's size. */
  size?: { width: number; height: number };
  /** Steps per second; default: the source's rate (or a per-format default). */
  fps?: number;
  /** How frames are stored (default png). */
  encoding?: ImageEncoding;
  /** Robot name recorded in info.json. */
  robot?: string;
  /** Stop after this many episodes. */
  maxEpisodes?: number;
  /** Progress callback: episodes written so far. */
  onEpisode?: (k: number, steps: number) => void;
}

export interface ImportResult {
  info: DatasetInfo;
  seconds: number;
}

/** Parse 'WxH' (e.g. '64x64'). */
export function parseSize(s: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new LaraError('invalid size', { where: '--size', expected: 'WxH, e.g. 64x64', got: JSON.stringify(s) });
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Natural sort (frame_2 before frame_10). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
