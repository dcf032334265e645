/** `lara train world-model --data DIR --tokenizer RUN`: co-train LAM and dynamics (Genie) on a frozen tokenizer. */
import type { Argv, CommandModule } from 'yargs';
import { WorldModelSchema } from '../world/config.ts';
import { checkCompatible, loadTokenizer } from '../world/load.ts';
import { runTraining, setBackend, summary } from '../world/run.ts';
import { WorldModelTask } from '../world/train.ts';
import { resolveRunConfig } from './options.ts';
import { log, withTrainOptions, type TrainArgs } from './train-tokenizer.ts';

interface WorldArgs extends TrainArgs {
  tokenizer: string;
}

export const trainWorldModelCommand: CommandModule<object, WorldArgs> = {
  command: 'world-model',
  describe: 'Co-train the LAM and the dynamics model on top of a frozen tokenizer',
  builder: (y: Argv) => withTrainOptions(y, 'world-model').option('tokenizer', { type: 'string', demandOption: true, describe: 'trained tokenizer run' }) as unknown as Argv<WorldArgs>,
  handler: async (a) => {
    await setBackend(a.backend, log);
    const cfg = resolveRunConfig(WorldModelSchema, 'world-model', a);
    const tok = loadTokenizer(a.tokenizer);
    checkCompatible(cfg.dynamics, tok.config, cfg.lam, 'dynamics');
    const t = tok.config;
    const r = await runTraining({ component: 'world-model', task: new WorldModelTask(cfg, tok.model), config: cfg, height: t.height, width: t.width, frames: cfg.dynamics.frames, dataDir: a.data, runDir: a.out, resume: a.resume, overwrite: a.overwrite, log });
    process.stdout.write(summary('world-model', r, a.out) + '\n');
  },
};
