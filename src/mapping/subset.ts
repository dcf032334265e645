/**
 * The small labelled set: N transitions (episode, step) drawn without replacement, by a seeded
 * shuffle, from every transition t -> t+1 of the given episodes. The mapping and the "BC on the
 * same N" baseline use this same function, so they see the same transitions; a larger N with
 * the same seed contains every smaller one (prefix of one shuffle).
 */
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';

export interface TransitionRef {
  episode: number;
  step: number;
}

export function labelledSubset(lengths: readonly number[], n: number, seed: number, episodes?: readonly number[]): TransitionRef[] {
  const all: TransitionRef[] = [];
  for (const k of episodes ?? lengths.map((_, i) => i)) {
    for (let t = 0; t + 1 < lengths[k]!; t++) all.push({ episode: k, step: t });
  }
  if (!Number.isInteger(n) || n < 1) throw new LaraError('labelled set size must be a positive integer', { where: '--labelled', got: String(n) });
  if (n > all.length) throw new LaraError('not enough transitions for the labelled set', { where: '--labelled', expected: `at most ${all.length}`, got: String(n) });
  return Rng.seeded(seed).shuffle(all).slice(0, n);
}
