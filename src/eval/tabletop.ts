/** Evaluation environments in lara's tabletop simulator: one env per task kind, reused. */
import type { RobotDescription } from '../robot/description.ts';
import type { TabletopConfig } from '../sim/config.ts';
import { TabletopEnv } from '../sim/tabletop.ts';
import { parseTaskKind } from '../sim/tasks.ts';
import type { EnvFor } from './evaluate.ts';

export interface TabletopEnvs {
  envFor: EnvFor;
  /** The env of a task (created on first use). */
  env(task: string): TabletopEnv;
}

export function tabletopEnvs(robot: RobotDescription, sim: Partial<TabletopConfig>): TabletopEnvs {
  const envs = new Map<string, TabletopEnv>();
  const env = (task: string): TabletopEnv => {
    let e = envs.get(task);
    if (!e) envs.set(task, (e = new TabletopEnv({ ...sim, robot, tasks: [parseTaskKind(task)] })));
    return e;
  };
  return { envFor: env, env };
}
