/** lara's embedded tabletop simulator: environment, expert, generation. */
export type { Awaitable, EnvSpec, Observation, RobotEnv, StepInfo, StepResult } from './env.ts';
export { TabletopSchema, tabletopConfig, type TabletopConfig } from './config.ts';
export { TabletopEnv, tabletopStateNames, type TabletopOptions } from './tabletop.ts';
export { ScriptedExpert, type ExpertOptions, type ExpertView } from './expert.ts';
export { TASK_KINDS, formatInstruction, parseInstruction, parseTaskKind, sampleTask, taskSuccess, type Task, type TaskKind } from './tasks.ts';
export { COLOR_NAMES, PALETTE, sampleScene, type ColorName, type Scene } from './scene.ts';
export { episodeSeed, rolloutExpert, type RolloutResult } from './rollout.ts';
export { generateEpisodes, generateEpisodesWithInfo, type GenerateOptions, type GeneratedEpisode } from './generate.ts';
export { encodeGif, framesToGif, upscale } from '../data/gif.ts';
