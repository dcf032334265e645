/** Every CLI verb, one import per file. Keep sorted by verb name. */
import type { CommandModule } from 'yargs';

export const verbs: CommandModule<object, any>[] = [];
