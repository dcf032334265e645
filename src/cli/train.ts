/**
 * `lara train <component>`: the parent verb for training. Each component lives in its own file
 * src/cli/train-<component>.ts exporting a yargs CommandModule; add one import and one entry to
 * `subcommands` below (keep sorted by name).
 */
import type { Argv, CommandModule } from 'yargs';
import { trainDynamicsCommand } from './train-dynamics.ts';
import { trainLamCommand } from './train-lam.ts';
import { trainPolicyCommand } from './train-policy.ts';
import { trainTokenizerCommand } from './train-tokenizer.ts';
import { trainWorldModelCommand } from './train-world-model.ts';

export const subcommands: CommandModule<object, any>[] = [trainDynamicsCommand, trainLamCommand, trainPolicyCommand, trainTokenizerCommand, trainWorldModelCommand];

export const trainCommand: CommandModule<object, object> = {
  command: 'train <component>',
  describe: 'Train a model (tokenizer, lam, dynamics, world-model, ...) on a lara dataset',
  builder: (y: Argv) => {
    let out: Argv = y;
    for (const s of subcommands) out = out.command(s as never);
    return out.demandCommand(1, 'Name what to train; see the list above.') as Argv;
  },
  handler: () => {
    /* a subcommand always handles the call */
  },
};

export default trainCommand;
