/** The training loop's settings, a section every trainable component's config embeds as `train`. */
import { int, section, type ConfigOf } from '../config/schema.ts';

export const TrainSchema = section(
  {
    steps: int(300, 'optimizer steps in the whole run (a resumed run stops at the same total)', { min: 1 }),
    seed: int(0, 'seed for weight init, the loop rng and every batch (batch k depends only on seed and k)', { min: 0 }),
    checkpointEvery: int(50, 'save a checkpoint every this many steps (and always at the end)', { min: 1 }),
    keep: int(3, 'keep this many newest checkpoints', { min: 1 }),
  },
  'training loop',
);
export type TrainConfig = ConfigOf<typeof TrainSchema>;
