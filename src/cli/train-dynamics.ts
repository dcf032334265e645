/** `lara train dynamics --data DIR --tokenizer RUN --lam RUN`: MaskGIT dynamics on a frozen tokenizer and LAM. */
import type { Argv, CommandModule } from 'yargs';
import { DynamicsSchema } from '../dynamics/config.ts';
import { DynamicsTask } from '../dynamics/train.ts';
import { checkCompatible, loadLam, loadTokenizer } from '../world/load.ts';
import { runTraining, setBackend, summary } from '../world/run.ts';
import { resolveRunConfig } from './options.ts';
import { log, withTrainOptions, type TrainArgs } from './train-tokenizer.ts';

interface DynArgs extends TrainArgs {
  tokenizer: string;
  lam: string;
}

export const trainDynamicsCommand: CommandModule<object, DynArgs> = {
  command: 'dynamics',
  describe: 'Train the dynamics model on tokens of a frozen tokenizer with actions from a frozen LAM',
  builder: (y: Argv) =>
    withTrainOptions(y, 'dynamics')
      .option('tokenizer', { type: 'string', demandOption: true, describe: 'trained tokenizer run' })
      .option('lam', { type: 'string', demandOption: true, describe: 'trained LAM run (or world-model run)' }) as unknown as Argv<DynArgs>,
  handler: async (a) => {
    await setBackend(a.backend, log);
    const cfg = resolveRunConfig(DynamicsSchema, 'dynamics', a);
    const tok = loadTokenizer(a.tokenizer);
    const lam = loadLam(a.lam);
    checkCompatible(cfg.model, tok.config, lam.config, 'model');
    const t = tok.config;
    const r = await runTraining({ component: 'dynamics', task: new DynamicsTask(cfg, tok.model, lam.model), config: cfg, height: t.height, width: t.width, frames: cfg.model.frames, dataDir: a.data, runDir: a.out, resume: a.resume, overwrite: a.overwrite, log });
    process.stdout.write(summary('dynamics', r, a.out) + '\n');
  },
};
