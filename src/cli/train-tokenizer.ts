/** `lara train tokenizer --data DIR`: train the video tokenizer (ST-ViViT VQ-VAE). */
import type { Argv, CommandModule } from 'yargs';
import { backendOption } from '../backend/select.ts';
import { TokenizerSchema } from '../tokenizer/config.ts';
import { TokenizerTask } from '../tokenizer/train.ts';
import { runTraining, setBackend, summary } from '../world/run.ts';
import { resolveRunConfig, withRunOptions, type RunArgs } from './options.ts';

export interface TrainArgs extends RunArgs {
  data: string;
  backend: string;
}

export function withTrainOptions<T>(y: Argv<T>, component: string): Argv<T & TrainArgs> {
  return withRunOptions(y, component, `runs/${component}`)
    .option('data', { type: 'string', demandOption: true, describe: 'lara dataset folder' })
    .option('backend', backendOption) as unknown as Argv<T & TrainArgs>;
}

export const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

export const trainTokenizerCommand: CommandModule<object, TrainArgs> = {
  command: 'tokenizer',
  describe: 'Train the video tokenizer on clips of a dataset',
  builder: (y: Argv) => withTrainOptions(y, 'tokenizer'),
  handler: async (a) => {
    await setBackend(a.backend, log);
    const cfg = resolveRunConfig(TokenizerSchema, 'tokenizer', a);
    const m = cfg.model;
    const r = await runTraining({ component: 'tokenizer', task: new TokenizerTask(cfg), config: cfg, height: m.height, width: m.width, frames: m.frames, dataDir: a.data, runDir: a.out, resume: a.resume, overwrite: a.overwrite, log });
    process.stdout.write(summary('tokenizer', r, a.out) + '\n');
  },
};
