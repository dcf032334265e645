/**
 * `lara model info CONFIG`: parameter count, training FLOPs per step and memory estimates of a
 * tokenizer / LAM / dynamics / world-model config, computed analytically (no weights are allocated).
 * CONFIG is `<component>/<preset>` (e.g. dynamics/genie-robotics-2.5b) or a JSON file with
 * --component.
 */
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../config/presets.ts';
import { DynamicsSchema } from '../dynamics/config.ts';
import { LamSchema } from '../lam/config.ts';
import { TokenizerSchema } from '../tokenizer/config.ts';
import { WorldModelSchema } from '../world/config.ts';
import { formatInfo, modelInfo, type Component, type ModelInfo } from '../model-info/index.ts';
import { LaraError } from '../util/errors.ts';

const COMPONENTS = ['tokenizer', 'lam', 'dynamics', 'world-model'] as const;

interface InfoArgs {
  config: string;
  component?: string;
  set?: string[];
  json?: boolean;
}

/** Resolve CONFIG to (component, preset-or-file) and compute the info. */
export function modelInfoFor(config: string, component?: string, sets: readonly string[] = []): ModelInfo {
  let comp = component;
  let preset = config;
  const slash = config.indexOf('/');
  if (!comp && slash > 0 && (COMPONENTS as readonly string[]).includes(config.slice(0, slash))) {
    comp = config.slice(0, slash);
    preset = config.slice(slash + 1);
  }
  if (!comp || !(COMPONENTS as readonly string[]).includes(comp)) {
    throw new LaraError('cannot tell which model the config is for', {
      where: 'CONFIG',
      expected: `<component>/<preset> with component one of ${COMPONENTS.join(', ')} (e.g. dynamics/small), or --component`,
      got: config,
    });
  }
  const c = comp as Component;
  if (c === 'tokenizer') return modelInfo(c, loadConfig(TokenizerSchema, c, preset, sets));
  if (c === 'lam') return modelInfo(c, loadConfig(LamSchema, c, preset, sets));
  if (c === 'dynamics') return modelInfo(c, loadConfig(DynamicsSchema, c, preset, sets));
  return modelInfo(c, loadConfig(WorldModelSchema, c, preset, sets));
}

const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <config>',
  describe: 'Parameters, FLOPs per training step and memory of a model config (nothing allocated)',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: '<component>/<preset> (e.g. dynamics/genie-robotics-2.5b) or a .json file' })
      .option('component', { type: 'string', choices: COMPONENTS, describe: 'model kind when CONFIG is a file' })
      .option('set', { type: 'string', array: true, describe: 'override a field, e.g. --set model.body.layers=12' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as unknown as Argv<InfoArgs>,
  handler: (a) => {
    const info = modelInfoFor(a.config, a.component, a.set ?? []);
    process.stdout.write((a.json ? JSON.stringify(info, null, 2) : formatInfo(info)) + '\n');
  },
};

export const modelCommand: CommandModule<object, object> = {
  command: 'model <sub>',
  describe: 'Inspect model configs (size, FLOPs, memory)',
  builder: (y: Argv) => y.command(infoCommand as never).demandCommand(1, 'Name a model subcommand; see the list above.') as Argv,
  handler: () => {
    /* a subcommand always handles the call */
  },
};

export default modelCommand;
