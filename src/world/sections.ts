/**
 * Config sections shared by the tokenizer, the LAM and the dynamics model: the ST-transformer
 * stack, the training schedule and the clip sampling. Each component's schema composes these.
 */
import { int, num, section, str, bool } from '../config/schema.ts';
import { TrainSchema } from '../train/config.ts';

/** An ST-transformer stack (spatial attn → causal temporal attn → one FFN per layer). */
export const stSection = (layers: number, width: number, heads: number, doc: string) =>
  section(
    {
      layers: int(layers, 'number of ST-transformer blocks', { min: 1 }),
      width: int(width, 'model width d (divisible by heads)', { min: 1 }),
      heads: int(heads, 'attention heads', { min: 1 }),
      ffnMult: int(4, 'feed-forward hidden size as a multiple of width', { min: 1 }),
      qkNorm: bool(false, 'LayerNorm on queries and keys (Genie dynamics used QK-norm)'),
    },
    doc,
  );

/** Loop settings (src/train/config.ts: steps, seed, checkpointEvery, keep) plus AdamW and its schedule. */
export const trainSection = (o: { steps: number; batch: number; lr: number; warmup: number }) =>
  section(
    {
      ...TrainSchema.fields,
      steps: int(o.steps, 'optimiser steps in the whole run (a resumed run stops at the same total)', { min: 1 }),
      batch: int(o.batch, 'clips per step', { min: 1 }),
      lr: num(o.lr, 'peak learning rate', { min: 0 }),
      warmup: int(o.warmup, 'linear warmup steps', { min: 0 }),
      schedule: str('constant', 'after warmup: constant or cosine decay to lrMin', ['constant', 'cosine'] as const),
      lrMin: num(0, 'final learning rate of the cosine schedule', { min: 0 }),
      beta1: num(0.9, 'AdamW beta1', { min: 0, max: 1 }),
      beta2: num(0.9, 'AdamW beta2 (Genie tokenizer: 0.9)', { min: 0, max: 1 }),
      weightDecay: num(1e-4, 'AdamW decoupled weight decay', { min: 0 }),
      clipNorm: num(1, 'global gradient-norm clip (0 = off)', { min: 0 }),
      checkpointEvery: int(200, 'save a checkpoint every this many steps (and always at the end)', { min: 1 }),
    },
    'training loop',
  );

/** How training clips are drawn from a lara dataset. */
export const dataSection = () =>
  section(
    {
      stride: int(1, 'frame stride inside a clip (1 = consecutive frames)', { min: 1 }),
      fps: num(0, 'resample clips to this rate (0 = use stride at the native rate)', { min: 0 }),
      camera: str('', "camera to read ('' = the dataset's first camera)"),
      heldOut: num(0.1, 'fraction of episodes held out for evaluation (the last ones)', { min: 0, max: 0.9 }),
    },
    'clip sampling',
  );
