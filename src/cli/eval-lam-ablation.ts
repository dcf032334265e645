/**
 * `lara eval lam-ablation --data DIR --tokenizer RUN --pixels RUN --tokens RUN`: Genie Table 2
 * on our data — ΔtPSNR of a world model whose LAM reads raw pixels vs one whose LAM reads
 * tokenizer tokens. Each arm is a `lara train world-model` run (presets small / small-tokens), or
 * a LAM run plus the dynamics run trained on its codes (`--pixels-dynamics`, `--tokens-dynamics`).
 */
import type { Argv, CommandModule } from 'yargs';
import { writeJsonAtomic } from '../util/atomic.ts';
import { formatAblation } from '../world/report-format.ts';
import { setBackend } from '../world/run.ts';
import { runWorldModelEval, withEvalOptions, type EvalWorldArgs } from './eval-world-model.ts';

interface AblationArgs extends EvalWorldArgs {
  pixels: string;
  tokens: string;
  'pixels-dynamics'?: string;
  'tokens-dynamics'?: string;
}

export const evalLamAblationCommand: CommandModule<object, AblationArgs> = {
  command: 'lam-ablation',
  describe: 'ΔtPSNR of world models with a LAM on pixels vs on tokens (Genie Table 2)',
  builder: (y: Argv) =>
    withEvalOptions(y)
      .option('pixels', { type: 'string', demandOption: true, describe: 'world-model run whose LAM reads pixels (or that LAM run, with --pixels-dynamics)' })
      .option('tokens', { type: 'string', demandOption: true, describe: 'world-model run whose LAM reads tokens (or that LAM run, with --tokens-dynamics)' })
      .option('pixels-dynamics', { type: 'string', describe: 'dynamics run trained on the codes of the --pixels LAM' })
      .option('tokens-dynamics', { type: 'string', describe: 'dynamics run trained on the codes of the --tokens LAM' }) as unknown as Argv<AblationArgs>,
  handler: async (a) => {
    await setBackend(a.backend, (s) => process.stderr.write(s + '\n'));
    const pixels = await runWorldModelEval(a, a.pixels, a['pixels-dynamics'] ?? a.pixels);
    const tokens = await runWorldModelEval(a, a.tokens, a['tokens-dynamics'] ?? a.tokens);
    if (a.out) writeJsonAtomic(a.out, { pixels, tokens });
    process.stdout.write(formatAblation([{ name: 'pixels', report: pixels }, { name: 'tokens', report: tokens }]) + '\n');
  },
};
