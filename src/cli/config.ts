/**
 * `lara config show COMPONENT [--preset P] [--set a.b=v]`: the resolved config, one field a line
 * with its doc, marking the values that differ from the schema default and where they came from.
 * `lara config list`: the components and their presets.
 */
import type { Argv, CommandModule } from 'yargs';
import type { SectionSpec } from '../config/schema.ts';
import { presetLayers, presetNames } from '../config/presets.ts';
import { resolveConfig } from '../config/schema.ts';
import { LaraError } from '../util/errors.ts';
import { DynamicsSchema } from '../dynamics/config.ts';
import { LamSchema } from '../lam/config.ts';
import { MappingSchema } from '../mapping/config.ts';
import { PolicySchema } from '../policy/config.ts';
import { TokenizerSchema } from '../tokenizer/config.ts';
import { DemoSchema } from '../train/demo-config.ts';
import { WorldModelSchema } from '../world/config.ts';
import { withConfigOptions, type ConfigArgs } from './options.ts';

/** Every component with a config schema; add one line per new component. */
export const CONFIG_COMPONENTS: Record<string, { schema: SectionSpec; doc: string }> = {
  demo: { schema: DemoSchema, doc: '`lara demo`: toy ST-transformer trained on generated token videos' },
  dynamics: { schema: DynamicsSchema, doc: 'Genie dynamics model (MaskGIT over tokens + latent actions)' },
  lam: { schema: LamSchema, doc: 'latent action model' },
  mapping: { schema: MappingSchema, doc: 'latent -> native action mapping (`lara fit-mapping`)' },
  policy: { schema: PolicySchema, doc: 'latent / behaviour-cloning policy (`lara train policy`)' },
  tokenizer: { schema: TokenizerSchema, doc: 'video tokenizer (ST-ViViT VQ-VAE)' },
  'world-model': { schema: WorldModelSchema, doc: 'tokenizer + LAM + dynamics trained together (`lara train world-model`)' },
};

export function componentSchema(component: string): SectionSpec {
  const c = CONFIG_COMPONENTS[component];
  if (!c) throw new LaraError('unknown config component', { where: 'COMPONENT', expected: `one of ${Object.keys(CONFIG_COMPONENTS).join(', ')}`, got: JSON.stringify(component) });
  return c.schema;
}

/**
 * Lines `path = value  # doc` for a resolved config; a value that differs from the default gets
 * `[default: X]`.
 */
export function formatResolved(s: SectionSpec, value: Record<string, unknown>, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [k, f] of Object.entries(s.fields)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (f.kind === 'section') {
      lines.push(`# ${path}${f.doc ? `: ${f.doc}` : ''}`);
      lines.push(...formatResolved(f, value[k] as Record<string, unknown>, path));
      continue;
    }
    const v = JSON.stringify(value[k]);
    const d = JSON.stringify(f.default);
    const choices = f.kind === 'str' && f.choices ? ` (one of ${f.choices.join(', ')})` : '';
    lines.push(`${path} = ${v}  # ${f.doc}${choices}${v !== d ? `  [default: ${d}]` : ''}`);
  }
  return lines;
}

interface ShowArgs extends ConfigArgs {
  component: string;
  json: boolean;
}

const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <component>',
  describe: 'Print a resolved config (defaults < preset < --set) with a doc line per field',
  builder: (y: Argv) =>
    withConfigOptions(
      y.positional('component', { type: 'string', demandOption: true, describe: `one of ${Object.keys(CONFIG_COMPONENTS).join(', ')}` }),
      'COMPONENT',
    ).option('json', { type: 'boolean', default: false, describe: 'print the resolved config as JSON' }) as unknown as Argv<ShowArgs>,
  handler: (a) => {
    const schema = componentSchema(a.component);
    const layers = a.preset ? presetLayers(a.component, a.preset) : [];
    const cfg = resolveConfig(schema, layers, a.set ?? []) as Record<string, unknown>;
    if (a.json) {
      process.stdout.write(JSON.stringify(cfg, null, 2) + '\n');
      return;
    }
    const from = [...layers.map((l) => l.source), ...(a.set ?? []).map((s) => `--set ${s}`)];
    process.stdout.write(`# ${a.component} config${from.length ? ` from defaults < ${from.join(' < ')}` : ' (defaults)'}\n`);
    process.stdout.write(formatResolved(schema, cfg).join('\n') + '\n');
  },
};

const listCommand: CommandModule<object, object> = {
  command: 'list',
  describe: 'List config components and their presets',
  handler: () => {
    for (const [name, c] of Object.entries(CONFIG_COMPONENTS)) {
      const presets = presetNames(name);
      process.stdout.write(`${name.padEnd(10)} ${c.doc}\n${' '.repeat(11)}presets: ${presets.length ? presets.join(', ') : '(none; defaults only)'}\n`);
    }
  },
};

export const configCommand: CommandModule<object, object> = {
  command: 'config <command>',
  describe: 'Show resolved configs and list presets',
  builder: (y: Argv) => y.command(showCommand as never).command(listCommand as never).demandCommand(1, 'Name a subcommand: show or list.'),
  handler: () => {},
};
