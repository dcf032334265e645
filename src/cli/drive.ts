/**
 * `lara drive --agent AGENT --robot ROBOT`: drive a robot over ROS 1 with an agent, through
 * lara's safety layer (limits, rate limits, watchdog, e-stop on /lara/estop). Runs until
 * SIGINT/SIGTERM (or --duration), then publishes a stop.
 */
import type { Argv, CommandModule } from 'yargs';
import { loadRobot } from '../robot/load.ts';
import { backendOption } from '../backend/select.ts';
import { BUILTIN_AGENTS, checkAgentSpec, makeDriveAgent } from '../ros/agent.ts';
import { startDriveNode } from '../ros/driveNode.ts';
import { SIM_TOPICS } from '../ros/topics.ts';
import { masterFor, withRosOptions, type RosArgs } from '../ros/cliOptions.ts';

interface DriveArgs extends RosArgs {
  agent: string;
  robot: string;
  instruction: string;
  camera?: string;
  'rate-hz'?: number;
  'episode-topic'?: string;
  duration?: number;
  seed: number;
  backend: string;
  'expert-noise': number;
  'expert-random': number;
}

export const driveCommand: CommandModule<object, DriveArgs> = {
  command: 'drive',
  describe: 'drive a robot over ROS 1 with an agent (clamped, rate-limited, watchdog, e-stop)',
  builder: (y: Argv) =>
    withRosOptions(
      y
        .option('agent', { type: 'string', demandOption: true, describe: 'random, expert (tabletop sim) or a path to an agent folder' })
        .option('robot', { type: 'string', demandOption: true, describe: 'robot name (robots/<name>) or path to a robot.json' })
        .option('instruction', { type: 'string', default: '', describe: 'language instruction for the agent' })
        .option('camera', { type: 'string', describe: "camera name (default: the robot's first)" })
        .option('rate-hz', { type: 'number', describe: "control rate override (default: the robot's rateHz)" })
        .option('episode-topic', { type: 'string', describe: `JSON episode events that reset the agent (default for simulated robots: ${SIM_TOPICS.episode})` })
        .option('duration', { type: 'number', describe: 'stop after this many seconds (default: until SIGINT/SIGTERM)' })
        .option('seed', { type: 'number', default: 0, describe: 'seed given to agent.reset' })
        .option('expert-noise', { type: 'number', default: 0, describe: 'expert agent: std of Gaussian noise on its motions (as in-process rollouts)' })
        .option('expert-random', { type: 'number', default: 0, describe: 'expert agent: probability per step of a random motion' })
        .option('backend', { ...backendOption, describe: `${backendOption.describe} (learned agents only)` }),
    ) as unknown as Argv<DriveArgs>,
  handler: async (args) => {
    const log = (s: string) => process.stderr.write(`lara drive: ${s}\n`);
    const robot = loadRobot(args.robot);
    checkAgentSpec(args.agent);
    if (!(BUILTIN_AGENTS as readonly string[]).includes(args.agent)) {
      const { describeChoice, initBackend } = await import('../backend/select.ts');
      log(describeChoice(await initBackend(args.backend as Parameters<typeof initBackend>[0])).split('\n')[0]!);
    }
    const master = await masterFor(args, log);
    try {
      const drive = await startDriveNode({
        robot,
        masterUri: master.uri,
        makeAgent: (node) => makeDriveAgent(args.agent, robot, node, { expert: { noise: args['expert-noise'], randomProb: args['expert-random'] } }),
        instruction: args.instruction,
        seed: args.seed,
        camera: args.camera,
        rateHz: args['rate-hz'],
        episodeTopic: args['episode-topic'] ?? (robot.simulator ? SIM_TOPICS.episode : undefined),
        log,
      });
      log(`driving ${robot.name} with agent ${args.agent} at ${(1000 / drive.controller.periodMs).toFixed(1)} Hz`);
      if (args.duration !== undefined) setTimeout(() => void drive.stop(), args.duration * 1000);
      await drive.done;
      const s = drive.controller.stats;
      log(`stopped: ${s.frames} frames, ${s.commands} commands, ${s.stops} stops, ${s.discarded} discarded, ${s.errors} agent errors`);
    } finally {
      await master.stop();
    }
  },
};
