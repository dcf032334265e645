/**
 * Options shared by the ROS verbs (drive, sim --ros, record): the master URI and whether lara
 * may start its own master when none answers.
 */
import type { Argv } from 'yargs';
import { masterUriFromEnv } from './env.ts';
import { ensureMaster, type MasterHandle } from './master.ts';

export interface RosArgs {
  master?: string;
  'embedded-master': boolean;
}

export function withRosOptions<T>(y: Argv<T>): Argv<T & RosArgs> {
  return y
    .option('master', { type: 'string', describe: 'ROS master URI (default: $ROS_MASTER_URI or http://127.0.0.1:11311)' })
    .option('embedded-master', { type: 'boolean', default: true, describe: "start lara's own master there when none answers" }) as Argv<T & RosArgs>;
}

/** The master to use, started if needed; logs which one. */
export async function masterFor(args: RosArgs, log: (s: string) => void): Promise<MasterHandle> {
  const uri = args.master ?? masterUriFromEnv();
  process.env.ROS_MASTER_URI = uri;
  const m = await ensureMaster(uri, { allowEmbedded: args['embedded-master'] });
  log(m.embedded ? `no ROS master answered at ${uri}; started lara's embedded master (pid ${m.pid})` : `using the ROS master at ${uri}`);
  return m;
}
