/** fitMapping: build any mapping kind from labelled transitions with one config. */
import type { RobotDescription } from '../robot/description.ts';
import type { MappingConfig } from './config.ts';
import { DictionaryMapping } from './dictionary.ts';
import { MlpMapping } from './mlp.ts';
import { RidgeMapping } from './ridge.ts';
import type { LabelledTransition } from './types.ts';

/** Fit the configured kind; ridge/mlp read the first cfg.stateDims state dims (code only when 0). */
export async function fitMapping(all: readonly LabelledTransition[], robot: RobotDescription, codes: number, cfg: MappingConfig): Promise<DictionaryMapping | RidgeMapping | MlpMapping> {
  const useState = cfg.stateDims > 0;
  const samples = all.map((t) => (t.state && useState ? { ...t, state: t.state.slice(0, cfg.stateDims) } : { code: t.code, action: t.action }));
  switch (cfg.kind) {
    case 'dictionary':
      return DictionaryMapping.fit(samples, robot, codes, cfg.mode);
    case 'ridge':
      return RidgeMapping.fit(samples, robot, codes, cfg.lambda, useState);
    case 'mlp':
      return MlpMapping.fit(samples, robot, codes, { hidden: cfg.hidden, steps: cfg.steps, lr: cfg.lr, weightDecay: cfg.weightDecay, seed: cfg.seed }, useState);
  }
}
