/**
 * World-model config: the LAM and the dynamics model co-trained (Genie §2) on top of a frozen
 * tokenizer. The dynamics model gets the LAM's quantised actions under stop-gradient.
 */
import { num, section, type ConfigOf } from '../config/schema.ts';
import { DynamicsModelSchema, SamplerSchema } from '../dynamics/config.ts';
import { LamModelSchema } from '../lam/config.ts';
import { dataSection, trainSection } from './sections.ts';

export const WorldModelSchema = section({
  lam: LamModelSchema,
  dynamics: DynamicsModelSchema,
  sampler: SamplerSchema,
  lamWeight: num(1, 'weight of the LAM loss in the co-training sum', { min: 0 }),
  train: trainSection({ steps: 200000, batch: 8, lr: 3e-4, warmup: 5000 }),
  data: dataSection(),
});

export type WorldModelConfig = ConfigOf<typeof WorldModelSchema>;
