/** Seeded train/val split by episode, stored as splits.json in the dataset folder. */
import { join } from 'node:path';
import { Rng } from '../util/rng.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { LaraError } from '../util/errors.ts';
import { FORMAT_VERSION, SPLITS_FILE, loadIndex, loadInfo } from './format.ts';

export interface Splits {
  format_version: number;
  seed: number;
  val_fraction: number;
  /** Episode indices, ascending. */
  train: number[];
  val: number[];
}

/** Choose round(val * N) validation episodes (at least 1 when val > 0 and N > 1) with a seeded shuffle. */
export function makeSplits(numEpisodes: number, val: number, rng: Rng, seed: number): Splits {
  if (!(val >= 0 && val < 1)) throw new LaraError('validation fraction must be in [0, 1)', { where: '--val', got: String(val) });
  let nVal = Math.round(val * numEpisodes);
  if (val > 0 && nVal === 0 && numEpisodes > 1) nVal = 1;
  const order = rng.shuffle(Array.from({ length: numEpisodes }, (_, i) => i));
  const valSet = order.slice(0, nVal).sort((a, b) => a - b);
  const inVal = new Set(valSet);
  return { format_version: FORMAT_VERSION, seed, val_fraction: val, train: order.filter((i) => !inVal.has(i)).sort((a, b) => a - b), val: valSet };
}

/** Write splits.json for the dataset at `dir`; returns it. */
export function writeSplits(dir: string, val: number, seed: number): Splits {
  const info = loadInfo(dir);
  const index = loadIndex(dir, info);
  const s = makeSplits(index.episodes.length, val, Rng.seeded(seed), seed);
  writeJsonAtomic(join(dir, SPLITS_FILE), s);
  return s;
}
