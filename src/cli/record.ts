/**
 * `lara record --robot ROBOT --out DATASET [--duration S | --episode-topic T]`: record the
 * robot's camera, commands and joint state from ROS into a lara dataset (DatasetWriter), one
 * episode per fixed duration or per start/end signal. SIGINT/SIGTERM end the current episode,
 * write the dataset and exit; nothing is left half-written.
 */
import type { Argv, CommandModule } from 'yargs';
import { DatasetWriter } from '../data/DatasetWriter.ts';
import { loadRobot } from '../robot/load.ts';
import { masterFor, withRosOptions, type RosArgs } from '../ros/cliOptions.ts';
import { RosNodeConnection } from '../ros/node.ts';
import { EpisodeRecorder } from '../ros/recorder.ts';
import { LaraError } from '../util/errors.ts';

interface RecordArgs extends RosArgs {
  robot: string;
  out: string;
  duration?: number;
  'episode-topic'?: string;
  'episode-msg': 'json' | 'bool';
  episodes?: number;
  fps?: number;
  instruction: string;
  overwrite: boolean;
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: "record a robot's camera, commands and state from ROS 1 into a lara dataset",
  builder: (y: Argv) =>
    withRosOptions(
      y
        .option('robot', { type: 'string', demandOption: true, describe: 'robot name (robots/<name>) or path to a robot.json' })
        .option('out', { type: 'string', demandOption: true, describe: 'dataset folder to write' })
        .option('duration', { type: 'number', describe: 'seconds per episode (fixed-length episodes)' })
        .option('episode-topic', { type: 'string', describe: 'topic of start/end signals (one episode per start..end)' })
        .option('episode-msg', { choices: ['json', 'bool'] as const, default: 'json' as const, describe: 'signal type: std_msgs/String JSON {event: start|end, instruction} or std_msgs/Bool (true start, false end)' })
        .option('episodes', { type: 'number', describe: 'stop after this many episodes (default: 1 with --duration, until SIGINT with --episode-topic)' })
        .option('fps', { type: 'number', describe: "steps per second to keep (default: the robot's rateHz)" })
        .option('instruction', { type: 'string', default: '', describe: 'instruction stored with --duration episodes' })
        .option('overwrite', { type: 'boolean', default: false, describe: 'replace an existing dataset at --out' }),
    ) as unknown as Argv<RecordArgs>,
  handler: async (args) => {
    if ((args.duration === undefined) === (args['episode-topic'] === undefined)) {
      throw new LaraError('say how episodes are cut', { where: 'lara record', expected: 'exactly one of --duration S or --episode-topic T', got: args.duration === undefined ? 'neither' : 'both' });
    }
    if (args.duration !== undefined && !(args.duration > 0)) throw new LaraError('bad duration', { where: '--duration', expected: 'seconds > 0', got: String(args.duration) });
    const log = (s: string) => process.stderr.write(`lara record: ${s}\n`);
    const robot = loadRobot(args.robot);
    const cam = robot.cameras[0];
    if (!cam) throw new LaraError(`robot '${robot.name}' has no camera`, { where: 'cameras' });
    const fps = args.fps ?? robot.rateHz;
    const writer = DatasetWriter.create(args.out, {
      robot: robot.name,
      fps,
      cameras: [{ name: cam.name, width: cam.width, height: cam.height }],
      actionNames: robot.dof.map((d) => d.name),
      stateNames: robot.stateTopic && robot.stateNames ? robot.stateNames : null,
      source: { kind: 'ros', camera: cam.topic, command: robot.command.topic, state: robot.stateTopic ?? null },
      overwrite: args.overwrite,
    });
    const master = await masterFor(args, log);
    let node: RosNodeConnection | undefined;
    const wanted = args.episodes ?? (args.duration !== undefined ? 1 : Infinity);
    let finished: () => void = () => {};
    const allDone = new Promise<void>((r) => (finished = r));
    const recorder = new EpisodeRecorder({
      robot,
      fps,
      episodeTopic: args['episode-topic'],
      episodeMsg: args['episode-msg'],
      onEpisode: async (ep) => {
        const k = await writer.addEpisode(ep);
        log(`episode ${k}: ${ep.timestamps.length} steps${ep.metadata.success !== undefined ? `, success ${String(ep.metadata.success)}` : ''}`);
        if (writer.numEpisodes >= wanted) finished();
      },
    });
    const onSignal = () => finished();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      node = await RosNodeConnection.create({ name: 'lara_record', masterUri: master.uri, anonymous: true });
      recorder.attach(node);
      log(`recording ${robot.name} (${cam.topic}, ${robot.command.topic}) into ${args.out}`);
      let timer: NodeJS.Timeout | undefined;
      if (args.duration !== undefined) {
        const cycle = () => {
          void recorder.end();
          if (writer.numEpisodes + (recorder.recording ? 1 : 0) < wanted) recorder.start(args.instruction);
        };
        recorder.start(args.instruction);
        timer = setInterval(cycle, args.duration * 1000);
      }
      await allDone;
      if (timer) clearInterval(timer);
      await recorder.end({ interrupted: true });
      if (writer.numEpisodes === 0) {
        writer.abort();
        throw new LaraError('nothing recorded', { where: cam.topic, expected: 'camera frames during an episode', got: `${recorder.stats.frames} frames, ${recorder.stats.commands} commands` });
      }
      const info = await writer.finish();
      log(`wrote ${info.num_episodes} episodes, ${info.num_steps} steps to ${args.out}`);
    } catch (e) {
      writer.abort();
      throw e;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await node?.shutdown();
      await master.stop();
    }
  },
};
