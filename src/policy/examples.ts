/** Training examples for each head, from episodes held in memory. */
import { LaraError } from '../util/errors.ts';
import type { ActionStats } from '../mapping/types.ts';
import { normalise } from '../mapping/stats.ts';
import type { TransitionRef } from '../mapping/subset.ts';
import type { EpisodeMemory } from './data.ts';
import type { PolicyExample } from './task.ts';

/** Every labelled transition t -> t+1: input frames up to t, target the LAM's code. */
export function latentExamples(mem: EpisodeMemory, where = '(dataset)'): PolicyExample[] {
  const out: PolicyExample[] = [];
  mem.episodes.forEach((e, i) => {
    if (!e.latents) throw new LaraError('episode has no latent codes; label the dataset first with lara label', { file: where, where: `episode ${mem.ids[i]}` });
    e.latents.forEach((c, t) => out.push({ i, t, target: c }));
  });
  return out;
}

/**
 * Native-action examples (normalised with `stats`): the action of every transition t -> t+1
 * (the last step's action has no next frame, like the labelled set, and is left out), or only
 * the transitions in `refs` (dataset episode ids and steps, e.g. the labelled subset).
 */
export function actionExamples(mem: EpisodeMemory, stats: ActionStats, refs?: readonly TransitionRef[], where = '(dataset)'): PolicyExample[] {
  const out: PolicyExample[] = [];
  const pos = new Map(mem.ids.map((id, i) => [id, i]));
  const need = (i: number): Float32Array[] => {
    const a = mem.episodes[i]!.actions;
    if (!a) throw new LaraError('episode has no native actions', { file: where, where: `episode ${mem.ids[i]}`, expected: 'a dataset recorded with actions' });
    return a;
  };
  if (refs) {
    for (const r of refs) {
      const i = pos.get(r.episode);
      if (i === undefined) throw new LaraError('labelled transition refers to an episode not loaded', { where: `episode ${r.episode}` });
      out.push({ i, t: r.step, target: normalise(need(i)[r.step]!, stats) });
    }
    return out;
  }
  mem.episodes.forEach((e, i) => need(i).forEach((a, t) => {
    if (t + 1 < e.frames.length) out.push({ i, t, target: normalise(a, stats) });
  }));
  return out;
}
