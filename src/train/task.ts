/**
 * What the training loop trains: a task owns a model and its optimizer; a batch source hands out
 * batches that depend only on (seed, step), so a resumed run sees exactly the batches an
 * uninterrupted one would have seen.
 */
import type { tf } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import type { OptimizerState } from '../checkpoint/checkpoint.ts';
import type { NamedTensors } from '../checkpoint/tf-tensors.ts';

export interface StepContext {
  /** 0-based index of the step being taken. */
  step: number;
  /** The loop's rng (dropout, masking...); saved with every checkpoint. */
  rng: Rng;
}

export interface StepResult {
  loss: number;
  metrics?: Record<string, number>;
}

export interface TrainTask<B> {
  /** Build the model and optimizer, initialising weights from `rng`. Called once, also before a resume. */
  init(rng: Rng): void | Promise<void>;
  /** One optimizer step on `batch`. */
  step(batch: B, ctx: StepContext): StepResult | Promise<StepResult>;
  /** The weights by name, as fresh tensors (e.g. clones) that the caller disposes. */
  weights(): NamedTensors;
  /** Copy saved weights into the model (the caller disposes `w` afterwards). */
  loadWeights(w: NamedTensors): void;
  /** The optimizer's step and tensors by name, as fresh tensors that the caller disposes. */
  optimizerState(): OptimizerState;
  /** Copy a saved optimizer state in (the caller disposes the tensors afterwards). */
  loadOptimizerState(s: OptimizerState): void;
  dispose?(): void;
}

export interface BatchSource<B> {
  /** The batch for 0-based `step`; a pure function of the source's seed and `step`. */
  batch(step: number): B;
  /** Free a batch once the step is done. */
  dispose?(batch: B): void;
}

/** An rng for (seed, step): the same pair always gives the same stream. */
export function stepRng(seed: number, step: number): Rng {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (step >>> 0) ^ (h >>> 15), 0xc2b2ae35) >>> 0;
  h = (h ^ Math.floor(step / 4294967296) ^ (h >>> 13)) >>> 0;
  return Rng.seeded(h);
}

/**
 * Copy `saved` into `vars` (same names and shapes), with an error naming what differs.
 * For tasks whose weights are tf.Variables.
 */
export function assignNamed(vars: Record<string, tf.Variable>, saved: NamedTensors, what: string): void {
  const want = Object.keys(vars).sort();
  const got = Object.keys(saved).sort();
  const missing = want.filter((k) => !(k in saved));
  const extra = got.filter((k) => !(k in vars));
  if (missing.length || extra.length) {
    throw new LaraError(`${what} do not match the model`, {
      expected: `tensors ${want.join(', ')}`,
      got: `${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`,
    });
  }
  for (const k of want) {
    const v = vars[k]!;
    const s = saved[k]!;
    if (v.shape.join(',') !== s.shape.join(',')) {
      throw new LaraError(`${what}: tensor '${k}' has the wrong shape`, { expected: `[${v.shape.join(', ')}]`, got: `[${s.shape.join(', ')}]` });
    }
    const c = s.dtype === v.dtype ? s : s.cast(v.dtype);
    v.assign(c);
    if (c !== s) c.dispose();
  }
}
