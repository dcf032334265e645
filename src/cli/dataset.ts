/**
 * `lara dataset <sub>`: the parent verb for dataset subcommands. Each subcommand lives in its own
 * file src/cli/dataset-<sub>.ts and exports a yargs CommandModule; add one import and one entry
 * to `subcommands` below (keep sorted by name).
 */
import type { Argv, CommandModule } from 'yargs';
import { datasetGenerateCommand } from './dataset-generate.ts';
import { datasetImportCommand } from './dataset-import.ts';
import { datasetInfoCommand } from './dataset-info.ts';
import { datasetSplitCommand } from './dataset-split.ts';
import { datasetViewCommand } from './dataset-view.ts';

export const subcommands: CommandModule<object, any>[] = [datasetGenerateCommand, datasetImportCommand, datasetInfoCommand, datasetSplitCommand, datasetViewCommand];

export const datasetCommand: CommandModule<object, object> = {
  command: 'dataset <sub>',
  describe: 'Generate, inspect, view, split and import episode datasets',
  builder: (y: Argv) => {
    let out: Argv = y;
    for (const s of subcommands) out = out.command(s as never);
    return out.demandCommand(1, 'Name a dataset subcommand; see the list above.') as Argv;
  },
  handler: () => {
    /* a subcommand always handles the call */
  },
};

export default datasetCommand;
