/**
 * `lara serve --agent AGENT --robot ROBOT [--bind tcp://127.0.0.1:5555]`: serve an agent's
 * actions over ZeroMQ (ROUTER socket, protocol v1, docs/serve.md). Every action passes through
 * lara's safety layer (limits, rate limits, e-stop latch, inference deadline). Prints
 * "listening on <endpoint>" on stderr once bound; runs until SIGINT/SIGTERM (or --duration).
 */
import type { Argv, CommandModule } from 'yargs';
import { loadRobot } from '../robot/load.ts';
import { backendOption } from '../backend/select.ts';
import { SERVE_AGENTS, serveAgentFactory } from '../serve/agents.ts';
import { ActionServer } from '../serve/server.ts';
import { LaraError } from '../util/errors.ts';

interface ServeArgs {
  agent: string;
  robot: string;
  bind: string;
  'rate-hz'?: number;
  'deadline-ms'?: number;
  'max-clients': number;
  'idle-s': number;
  duration?: number;
  backend: string;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'serve an agent\'s actions over ZeroMQ (clamped, rate-limited, e-stop, deadline)',
  builder: (y: Argv) =>
    y
      .option('agent', { type: 'string', demandOption: true, describe: 'random, expert (tabletop sim; clients send expert_state) or a path to an agent folder' })
      .option('robot', { type: 'string', demandOption: true, describe: 'robot name (robots/<name>) or path to a robot.json' })
      .option('bind', { type: 'string', default: 'tcp://127.0.0.1:5555', describe: 'ZeroMQ endpoint to bind (port 0: any free port)' })
      .option('rate-hz', { type: 'number', describe: "control rate override (default: the robot's rateHz)" })
      .option('deadline-ms', { type: 'number', describe: 'longest act() before a stop reply (default: one control period)' })
      .option('max-clients', { type: 'number', default: 8, describe: 'most robots served at once (one agent each)' })
      .option('idle-s', { type: 'number', default: 10, describe: 'a client silent this long may be evicted when the server is full' })
      .option('duration', { type: 'number', describe: 'stop after this many seconds (default: until SIGINT/SIGTERM)' })
      .option('backend', { ...backendOption, describe: `${backendOption.describe} (learned agents only)` }) as unknown as Argv<ServeArgs>,
  handler: async (args) => {
    const log = (s: string) => process.stderr.write(`lara serve: ${s}\n`);
    if (!Number.isInteger(args['max-clients']) || args['max-clients'] < 1) {
      throw new LaraError('invalid client limit', { where: '--max-clients', expected: 'a positive integer', got: String(args['max-clients']) });
    }
    const robot = loadRobot(args.robot);
    if (!(SERVE_AGENTS as readonly string[]).includes(args.agent)) {
      const { describeChoice, initBackend } = await import('../backend/select.ts');
      log(describeChoice(await initBackend(args.backend as Parameters<typeof initBackend>[0])).split('\n')[0]!);
    }
    const makeAgent = await serveAgentFactory(args.agent, robot);
    const server = await ActionServer.start({
      robot,
      makeAgent,
      agentSpec: args.agent,
      bind: args.bind,
      rateHz: args['rate-hz'],
      deadlineMs: args['deadline-ms'],
      maxClients: args['max-clients'],
      idleMs: args['idle-s'] * 1000,
      log,
    });
    log(`serving ${robot.name} with agent ${args.agent}: ${robot.dof.length} DoF, ${server.rateHz} Hz, deadline ${server.deadlineMs.toFixed(1)} ms`);
    log(`listening on ${server.endpoint}`);
    await new Promise<void>((resolve) => {
      const end = () => resolve();
      process.once('SIGINT', end);
      process.once('SIGTERM', end);
      if (args.duration !== undefined) setTimeout(end, args.duration * 1000).unref();
    });
    await server.close();
    const s = server.stats;
    const per = [...server.sessions.values()].reduce((a, x) => ({ commands: a.commands + x.stats.commands, stops: a.stops + x.stats.stops }), { commands: 0, stops: 0 });
    log(`stopped: ${s.requests} requests, ${s.clients} clients, ${per.commands} commands, ${per.stops} stops, ${s.errors} bad requests`);
  },
};
