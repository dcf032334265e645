/**
 * `lara agent <sub>`: agent bundles (agents/<name>/agent.json naming the LAM codebook, latent
 * policy, mapping and robot).
 *   lara agent create DIR --lam RUN --policy RUN/policy --mapping FILE --robot R [--sim-from DATA --task T]
 *   lara agent info DIR
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { agentInfo, createAgent } from '../agent/bundle.ts';
import { initBackend } from '../backend/select.ts';
import { simSettingsOf } from '../eval/tabletop.ts';
import { LaraError } from '../util/errors.ts';

interface CreateArgs {
  dir: string;
  lam: string;
  policy: string;
  mapping: string;
  robot: string;
  name?: string;
  temperature: number;
  description?: string;
  recipe?: string;
  'sim-from'?: string;
  task?: string;
  'max-steps': number;
  overwrite: boolean;
}

const createCommand: CommandModule<object, CreateArgs> = {
  command: 'create <dir>',
  describe: 'Bundle a LAM codebook, a latent policy and a mapping into an agent folder',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'agent folder to create (e.g. agents/tabletop-push)' })
      .option('lam', { type: 'string', demandOption: true, describe: 'LAM run that labelled the policy data' })
      .option('policy', { type: 'string', demandOption: true, describe: 'latent policy folder (<run>/policy)' })
      .option('mapping', { type: 'string', demandOption: true, describe: 'mapping file from lara fit-mapping' })
      .option('robot', { type: 'string', demandOption: true, describe: 'robot the agent drives' })
      .option('name', { type: 'string', describe: 'agent name (default: the folder name)' })
      .option('temperature', { type: 'number', default: 0, describe: '0 = argmax code; > 0 samples the policy' })
      .option('description', { type: 'string', describe: 'one line about the agent' })
      .option('recipe', { type: 'string', describe: 'text file with the exact commands that made it (one per line)' })
      .option('sim-from', { type: 'string', describe: 'tabletop dataset whose simulator settings the agent was trained in (recorded as agent.json eval; lara eval agent and lara demo then default to them)' })
      .option('task', { type: 'string', describe: 'with --sim-from: the task kind(s) it is evaluated on (reach, push, pick-place)' })
      .option('max-steps', { type: 'number', default: 80, describe: 'with --sim-from: the episode step limit' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace an existing agent folder' }) as unknown as Argv<CreateArgs>,
  handler: async (a) => {
    await initBackend('auto'); // the LAM checkpoint is read through tfjs (quietly; no compute happens here)
    const name = a.name ?? a.dir.replace(/\/+$/, '').split('/').pop()!;
    const recipe = a.recipe ? readFileSync(a.recipe, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')) : [];
    if (a['sim-from'] && !a.task) throw new LaraError('--sim-from needs --task (what the agent is evaluated on)', { where: '--task', expected: 'reach, push or pick-place' });
    const evalSettings = a['sim-from'] ? { sim: simSettingsOf(a['sim-from']), task: a.task!, maxSteps: a['max-steps'] } : undefined;
    await createAgent(a.dir, { name, lam: a.lam, policy: a.policy, mapping: a.mapping, robot: a.robot, temperature: a.temperature, recipe, overwrite: a.overwrite, ...(a.description ? { description: a.description } : {}), ...(evalSettings ? { eval: evalSettings } : {}) });
    process.stdout.write(agentInfo(a.dir));
  },
};

const infoCommand: CommandModule<object, { dir: string }> = {
  command: 'info <dir>',
  describe: 'Show what an agent bundle is made of',
  builder: (y: Argv) => y.positional('dir', { type: 'string', demandOption: true, describe: 'agent folder' }) as unknown as Argv<{ dir: string }>,
  handler: (a) => {
    process.stdout.write(agentInfo(a.dir));
  },
};

export const agentCommand: CommandModule<object, object> = {
  command: 'agent <sub>',
  describe: 'Create and inspect latent-to-real agent bundles',
  builder: (y: Argv) => y.command(createCommand as never).command(infoCommand as never).demandCommand(1, 'Name an agent subcommand; see the list above.') as Argv,
  handler: () => {
    /* a subcommand always handles the call */
  },
};

export default agentCommand;
