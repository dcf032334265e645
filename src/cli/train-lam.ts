/** `lara train lam --data DIR [--tokenizer RUN]`: train the latent action model. */
import type { Argv, CommandModule } from 'yargs';
import { LamSchema } from '../lam/config.ts';
import { LamTask } from '../lam/train.ts';
import { LaraError } from '../util/errors.ts';
import { loadTokenizer } from '../world/load.ts';
import { runTraining, setBackend, summary } from '../world/run.ts';
import { resolveRunConfig } from './options.ts';
import { log, withTrainOptions, type TrainArgs } from './train-tokenizer.ts';

interface LamArgs extends TrainArgs {
  tokenizer?: string;
}

export const trainLamCommand: CommandModule<object, LamArgs> = {
  command: 'lam',
  describe: 'Train the latent action model (on pixels; on tokens with model.input=tokens and --tokenizer)',
  builder: (y: Argv) => withTrainOptions(y, 'lam').option('tokenizer', { type: 'string', describe: 'trained tokenizer run (needed for model.input=tokens)' }) as unknown as Argv<LamArgs>,
  handler: async (a) => {
    await setBackend(a.backend, log);
    const cfg = resolveRunConfig(LamSchema, 'lam', a);
    const m = cfg.model;
    let tok;
    if (m.input === 'tokens') {
      if (!a.tokenizer) throw new LaraError('a LAM over tokens needs a trained tokenizer', { where: '--tokenizer', expected: 'a tokenizer run directory', got: 'nothing' });
      tok = loadTokenizer(a.tokenizer);
      if (tok.config.codes !== m.tokenVocab || tok.config.patch !== m.tokenPatch) {
        throw new LaraError('LAM token settings do not match the tokenizer', { where: 'model.tokenVocab / model.tokenPatch', expected: `${tok.config.codes} / ${tok.config.patch}`, got: `${m.tokenVocab} / ${m.tokenPatch}` });
      }
    }
    const r = await runTraining({ component: 'lam', task: new LamTask(cfg, tok?.model), config: cfg, height: m.height, width: m.width, frames: m.frames, dataDir: a.data, runDir: a.out, resume: a.resume, overwrite: a.overwrite, log });
    process.stdout.write(summary('lam', r, a.out) + '\n');
  },
};
