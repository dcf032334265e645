/** `lara dataset split DIR --val 0.1 --seed S`: seeded train/val split by episode, written to DIR/splits.json. */
import type { Argv, CommandModule } from 'yargs';
import { writeSplits } from '../data/split.ts';

interface Args {
  dir: string;
  val: number;
  seed: number;
}

export const datasetSplitCommand: CommandModule<object, Args> = {
  command: 'split <dir>',
  describe: 'Split a dataset by episode into train/val (writes splits.json)',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'dataset folder' })
      .option('val', { type: 'number', default: 0.1, describe: 'fraction of episodes for validation' })
      .option('seed', { type: 'number', default: 0, describe: 'shuffle seed' }) as unknown as Argv<Args>,
  handler: (a) => {
    const s = writeSplits(a.dir, a.val, a.seed);
    process.stdout.write(`wrote ${a.dir}/splits.json: train ${s.train.length} episodes, val ${s.val.length} episodes (seed ${a.seed})\nval: ${s.val.join(', ')}\n`);
  },
};
