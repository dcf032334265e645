/**
 * `lara fit-mapping --data DIR --labelled N --robot R --out FILE`: fit the latent -> DoF mapping
 * (dictionary / ridge / mlp) from N labelled transitions of a LAM-labelled dataset with actions.
 */
import type { Argv, CommandModule } from 'yargs';
import { MappingSchema } from '../mapping/config.ts';
import { fitMappingFromDataset } from '../mapping/from-dataset.ts';
import { saveMapping } from '../mapping/io.ts';
import { loadRobot } from '../robot/load.ts';
import { Dataset } from '../data/Dataset.ts';
import { resolveRunConfig, withConfigOptions, type ConfigArgs } from './options.ts';

interface Args extends ConfigArgs {
  data: string;
  labelled: number;
  'labelled-seed': number;
  robot?: string;
  out: string;
}

export const fitMappingCommand: CommandModule<object, Args> = {
  command: 'fit-mapping',
  describe: 'Fit the latent-action -> native-DoF mapping from N labelled transitions',
  builder: (y: Argv) =>
    withConfigOptions(y, 'mapping')
      .option('data', { type: 'string', demandOption: true, describe: 'LAM-labelled dataset with native actions' })
      .option('labelled', { type: 'number', default: 200, describe: 'number of labelled transitions N to fit on' })
      .option('labelled-seed', { type: 'number', default: 0, describe: 'seed of the labelled subset (use the same for BC on the same N)' })
      .option('robot', { type: 'string', describe: "robot name or robot.json (default: the dataset's robot)" })
      .option('out', { type: 'string', demandOption: true, describe: 'mapping file to write (e.g. agents/<name>/mapping.json)' }) as unknown as Argv<Args>,
  handler: async (a) => {
    const cfg = resolveRunConfig(MappingSchema, 'mapping', { ...a, set: [...(a.set ?? []), `seed=${a['labelled-seed']}`] });
    let robotName = a.robot;
    if (!robotName) {
      const d = Dataset.open(a.data);
      robotName = d.info.robot;
      await d.close();
    }
    const robot = loadRobot(robotName);
    const r = await fitMappingFromDataset(a.data, robot, a.labelled, cfg);
    saveMapping(a.out, r.mapping);
    const counts = new Array<number>(r.mapping.header.codes).fill(0);
    for (const s of r.samples) counts[s.code]!++;
    process.stdout.write(`${cfg.kind} mapping for robot '${robot.name}' fitted on ${r.samples.length} labelled transitions; per-code counts ${counts.join(' ')}; written to ${a.out}\n`);
  },
};
