/** fitMapping: build any mapping kind from labelled transitions with one config. */
import type { RobotDescription } from '../robot/description.ts';
import type { MappingConfig } from './config.ts';
import { DictionaryMapping } from './dictionary.ts';
import { MlpMapping } from './mlp.ts';
import { RidgeMapping } from './ridge.ts';
import type { LabelledTransition } from './types.ts';

export async function fitMapping(samples: readonly LabelledTransition[], robot: RobotDescription, codes: number, cfg: MappingConfig): Promise<DictionaryMapping | RidgeMapping | MlpMapping> {
  switch (cfg.kind) {
    case 'dictionary':
      return DictionaryMapping.fit(samples, robot, codes, cfg.mode);
    case 'ridge':
      return RidgeMapping.fit(samples, robot, codes, cfg.lambda, cfg.useState);
    case 'mlp':
      return MlpMapping.fit(samples, robot, codes, { hidden: cfg.hidden, steps: cfg.steps, lr: cfg.lr, weightDecay: cfg.weightDecay, seed: cfg.seed }, cfg.useState);
  }
}
