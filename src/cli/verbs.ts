/** Every CLI verb, one import per file. Keep sorted by verb name. */
import type { CommandModule } from 'yargs';
import { datasetCommand } from './dataset.ts';
import { doctorCommand } from './doctor.ts';
import { driveCommand } from './drive.ts';
import { modelCommand } from './model-info.ts';
import { simCommand } from './sim.ts';
import { trainCommand } from './train.ts';

export const verbs: CommandModule<object, any>[] = [datasetCommand, doctorCommand, driveCommand, modelCommand, simCommand, trainCommand];
