/** Typed config of `lara fit-mapping` (presets in configs/mapping/<name>.json). */
import { int, num, section, str, type ConfigOf } from '../config/schema.ts';

export const MappingSchema = section({
  kind: str<'dictionary' | 'ridge' | 'mlp'>('dictionary', 'mapping kind: the paper\'s code dictionary, ridge regression, or a small MLP', ['dictionary', 'ridge', 'mlp']),
  mode: str<'sample' | 'mean'>('sample', 'dictionary only: sample a seen action for the code, or use their mean', ['sample', 'mean']),
  stateDims: int(6, 'ridge/mlp: condition on the first N state dims as well as the code (tabletop-sim: the 6 gripper dims; 0 = code only)', { min: 0 }),
  lambda: num(1e-2, 'ridge: L2 penalty on normalised weights', { min: 0 }),
  hidden: int(64, 'mlp: hidden units per layer', { min: 1 }),
  steps: int(600, 'mlp: full-batch Adam steps', { min: 1 }),
  lr: num(3e-3, 'mlp: Adam learning rate', { min: 0 }),
  weightDecay: num(1e-4, 'mlp: L2 penalty on weights', { min: 0 }),
  seed: int(0, 'seed for sampling the labelled subset and MLP init'),
});
export type MappingConfig = ConfigOf<typeof MappingSchema>;
