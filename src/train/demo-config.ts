/** Config of `lara demo` (component "demo"): the toy world, the toy ST-transformer, the loop. */
import { int, num, section, type ConfigOf } from '../config/schema.ts';
import { TrainSchema } from './config.ts';

export const DemoSchema = section({
  data: section(
    {
      grid: int(3, 'the toy world is a grid x grid of tokens per frame (S = grid^2 tokens)', { min: 2, max: 16 }),
      frames: int(6, 'frames per clip T (the model predicts frames 2..T from the ones before)', { min: 2, max: 64 }),
      vocab: int(8, 'token vocabulary V (colours of the cells)', { min: 2, max: 1024 }),
      batch: int(16, 'clips per training step', { min: 1 }),
    },
    'generated token videos: each clip shifts its frame one cell per step in a hidden direction',
  ),
  model: section(
    {
      width: int(32, 'model width D (divisible by heads)', { min: 4 }),
      layers: int(2, 'ST-transformer blocks', { min: 1 }),
      heads: int(4, 'attention heads', { min: 1 }),
    },
    'toy next-frame ST-transformer',
  ),
  train: section(
    {
      ...TrainSchema.fields,
      steps: int(600, 'optimizer steps in the whole run (a resumed run stops at the same total)', { min: 1 }),
      checkpointEvery: int(100, 'save a checkpoint every this many steps (and always at the end)', { min: 1 }),
      lr: num(3e-3, 'peak AdamW learning rate', { min: 0 }),
      warmup: int(20, 'linear warmup steps, then cosine decay to lr/10', { min: 0 }),
      weightDecay: num(1e-4, 'AdamW decoupled weight decay (matrices only)', { min: 0 }),
    },
    'training loop',
  ),
});
export type DemoConfig = ConfigOf<typeof DemoSchema>;
