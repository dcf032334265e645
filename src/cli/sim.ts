/**
 * `lara sim --ros`: run the tabletop simulator as a ROS robot (camera, joint state, commands,
 * episode events) for N seeded episodes and print per-episode success and the success rate.
 */
import type { Argv, CommandModule } from 'yargs';
import { loadRobot } from '../robot/load.ts';
import { runSimNode } from '../ros/simNode.ts';
import { LaraError } from '../util/errors.ts';
import { masterFor, withRosOptions, type RosArgs } from '../ros/cliOptions.ts';

interface SimArgs extends RosArgs {
  ros: boolean;
  robot: string;
  task?: string;
  episodes: number;
  seed: number;
  'rate-hz'?: number;
  'max-steps'?: number;
  'min-subscribers': number;
  json: boolean;
}

export const simCommand: CommandModule<object, SimArgs> = {
  command: 'sim',
  describe: 'run the tabletop simulator as a ROS 1 robot (--ros)',
  builder: (y: Argv) =>
    withRosOptions(
      y
        .option('ros', { type: 'boolean', default: false, describe: 'serve the simulator over ROS 1 (required)' })
        .option('robot', { type: 'string', default: 'tabletop-sim', describe: 'simulated robot (robots/<name>)' })
        .option('task', { type: 'string', describe: 'an instruction, or a task kind (reach, push, pick-place); default: sampled per seed' })
        .option('episodes', { type: 'number', default: 10, describe: 'number of episodes' })
        .option('seed', { type: 'number', default: 0, describe: 'seed of episode 0; episode i uses seed + i' })
        .option('rate-hz', { type: 'number', describe: "steps per second override (default: the robot's rateHz)" })
        .option('max-steps', { type: 'number', describe: 'episode step limit override' })
        .option('min-subscribers', { type: 'number', default: 1, describe: 'wait for this many camera subscribers (drive, record, ...) before the first episode' })
        .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON on stdout' }),
    ) as unknown as Argv<SimArgs>,
  handler: async (args) => {
    if (!args.ros) throw new LaraError('lara sim needs --ros', { where: 'lara sim', expected: '--ros (the in-process simulator is used by lara eval)', got: 'no --ros' });
    if (!Number.isInteger(args.episodes) || args.episodes < 1) throw new LaraError('bad episode count', { where: '--episodes', expected: 'a positive integer', got: String(args.episodes) });
    const log = (s: string) => process.stderr.write(`lara sim: ${s}\n`);
    const robot = loadRobot(args.robot);
    const master = await masterFor(args, log);
    const ac = new AbortController();
    const onSignal = () => ac.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const r = await runSimNode(
        {
          robot,
          masterUri: master.uri,
          task: args.task,
          episodes: args.episodes,
          seed: args.seed,
          rateHz: args['rate-hz'],
          minSubscribers: args['min-subscribers'],
          env: args['max-steps'] !== undefined ? { maxSteps: args['max-steps'] } : {},
          log: (s) => process.stdout.write(args.json ? '' : s + '\n'),
        },
        ac.signal,
      );
      if (args.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(`success ${r.successes}/${r.episodes.length} = ${(100 * r.rate).toFixed(1)}% (95% Wilson ${(100 * r.wilson.lo).toFixed(1)}-${(100 * r.wilson.hi).toFixed(1)}%) in ${r.seconds.toFixed(1)} s\n`);
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await master.stop();
    }
  },
};
