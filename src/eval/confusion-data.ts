/**
 * The policy's codes against the LAM's codes on held-out episodes of a labelled dataset: for
 * every transition t -> t+1, the LAM's label vs the policy's argmax from frames ≤ t.
 */
import { Dataset } from '../data/Dataset.ts';
import { EpisodeMemory } from '../policy/data.ts';
import type { Policy } from '../policy/policy.ts';
import type { PolicySample } from '../policy/inputs.ts';
import { LaraError } from '../util/errors.ts';
import { confusionMatrix, type Confusion } from './confusion.ts';

/** Episodes to score: the val split when there is one, else every episode (at most `max`). */
export function heldOutEpisodes(ds: Dataset, max: number): number[] {
  const ids = ds.splits()?.val ?? Array.from({ length: ds.numEpisodes }, (_, i) => i);
  return ids.slice(0, max);
}

export async function policyConfusion(policy: Policy, data: string, o: { maxEpisodes?: number; batch?: number } = {}): Promise<Confusion & { episodes: number }> {
  if (policy.meta.head !== 'latent') throw new LaraError('confusion matrix needs a latent policy', { got: `head "${policy.meta.head}"` });
  const ds = Dataset.open(data);
  try {
    if (!ds.info.has_latents) throw new LaraError('dataset is not labelled with latent actions', { file: data });
    const ids = heldOutEpisodes(ds, o.maxEpisodes ?? 50);
    const mem = await EpisodeMemory.load(ds, { ids });
    const truth: number[] = [];
    const pred: number[] = [];
    let batch: PolicySample[] = [];
    const flush = (): void => {
      for (const logits of policy.outputs(batch)) pred.push(logits.reduce((b, v, i) => (v > logits[b]! ? i : b), 0));
      batch = [];
    };
    mem.episodes.forEach((e, i) => {
      e.latents!.forEach((c, t) => {
        truth.push(c);
        const s: PolicySample = { frames: mem.history(i, t, policy.meta.input.frames), instruction: e.instruction };
        if (e.states) s.state = e.states[t]!;
        batch.push(s);
        if (batch.length === (o.batch ?? 64)) flush();
      });
    });
    if (batch.length) flush();
    return { ...confusionMatrix(truth, pred, policy.meta.codes!), episodes: ids.length };
  } finally {
    await ds.close();
  }
}
