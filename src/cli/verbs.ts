/** Every CLI verb, one import per file. Keep sorted by verb name. */
import type { CommandModule } from 'yargs';
import { agentCommand } from './agent.ts';
import { configCommand } from './config.ts';
import { datasetCommand } from './dataset.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { driveCommand } from './drive.ts';
import { evalCommand } from './eval.ts';
import { fitMappingCommand } from './fit-mapping.ts';
import { labelCommand } from './label.ts';
import { modelCommand } from './model-info.ts';
import { recordCommand } from './record.ts';
import { serveCommand } from './serve.ts';
import { simCommand } from './sim.ts';
import { trainCommand } from './train.ts';

export const verbs: CommandModule<object, any>[] = [agentCommand, configCommand, datasetCommand, demoCommand, doctorCommand, driveCommand, evalCommand, fitMappingCommand, labelCommand, modelCommand, recordCommand, serveCommand, simCommand, trainCommand];
