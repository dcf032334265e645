/**
 * `lara eval <what>`: the parent verb for evaluations. Each evaluation lives in its own file
 * src/cli/eval-<what>.ts exporting a yargs CommandModule; add one import and one entry to
 * `subcommands` below (keep sorted by name).
 */
import type { Argv, CommandModule } from 'yargs';
import { evalAgentCommand } from './eval-agent.ts';
import { evalLamAblationCommand } from './eval-lam-ablation.ts';
import { evalWorldModelCommand } from './eval-world-model.ts';

export const subcommands: CommandModule<object, any>[] = [evalAgentCommand, evalLamAblationCommand, evalWorldModelCommand];

export const evalCommand: CommandModule<object, object> = {
  command: 'eval <what>',
  describe: 'Evaluate trained models (world-model, lam-ablation, ...)',
  builder: (y: Argv) => {
    let out: Argv = y;
    for (const s of subcommands) out = out.command(s as never);
    return out.demandCommand(1, 'Name what to evaluate; see the list above.') as Argv;
  },
  handler: () => {
    /* a subcommand always handles the call */
  },
};

export default evalCommand;
