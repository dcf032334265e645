/**
 * Options shared by every verb that runs or trains something:
 *
 *   --preset P        a preset from configs/<component>/P.json (or a path to a .json file)
 *   --set a.b=v       override one config field (repeatable)
 *   --out DIR         the run directory (alias --run-dir)
 *   --resume          continue the run in --out from its newest good checkpoint
 *   --overwrite       start over in a --out that already holds a run
 *   --seed N          shorthand for --set train.seed=N
 *   --steps N         shorthand for --set train.steps=N
 *
 * On --resume without --preset the run's saved config (config.json of its newest checkpoint) is
 * the base, so `lara demo --out runs/x --resume` continues with the settings it was started with.
 */
import type { Argv } from 'yargs';
import { presetLayers } from '../config/presets.ts';
import { resolveConfig, type ConfigOf, type SectionSpec } from '../config/schema.ts';
import { LaraError } from '../util/errors.ts';
import { resumeCandidates, readCheckpointState } from '../checkpoint/checkpoint.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointRoot } from '../train/loop.ts';

export interface ConfigArgs {
  preset?: string;
  set?: string[];
}

export interface RunArgs extends ConfigArgs {
  out: string;
  resume: boolean;
  overwrite: boolean;
  seed?: number;
  steps?: number;
}

/** --preset and --set. */
export function withConfigOptions<T>(y: Argv<T>, component: string): Argv<T & ConfigArgs> {
  return y
    .option('preset', { type: 'string', describe: `preset name in configs/${component}/ or a path to a .json file` })
    .option('set', { type: 'string', array: true, describe: 'override a config field, e.g. --set train.steps=100 (repeatable)' }) as unknown as Argv<T & ConfigArgs>;
}

/** --preset, --set, --out/--run-dir, --resume, --overwrite, --seed, --steps. */
export function withRunOptions<T>(y: Argv<T>, component: string, defaultOut: string): Argv<T & RunArgs> {
  return withConfigOptions(y, component)
    .option('out', { alias: 'run-dir', type: 'string', default: defaultOut, describe: 'run directory (checkpoints, metrics.jsonl)' })
    .option('resume', { type: 'boolean', default: false, describe: 'continue the run in --out from its newest good checkpoint' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'start over in a --out that already holds a run' })
    .option('seed', { type: 'number', describe: 'shorthand for --set train.seed=N' })
    .option('steps', { type: 'number', describe: 'shorthand for --set train.steps=N (total steps, also when resuming)' })
    .check((a) => {
      if (a.resume && a.overwrite) throw new LaraError('--resume and --overwrite exclude each other', { exitCode: 2 });
      return true;
    }) as unknown as Argv<T & RunArgs>;
}

/** The --set list with --seed / --steps appended as train.seed / train.steps. */
export function runSets(a: Partial<RunArgs>): string[] {
  const sets = [...(a.set ?? [])];
  if (a.seed !== undefined) sets.push(`train.seed=${a.seed}`);
  if (a.steps !== undefined) sets.push(`train.steps=${a.steps}`);
  return sets;
}

/** The saved config of the newest checkpoint in a run directory, if any. */
export function savedRunConfig(runDir: string): { source: string; value: unknown } | undefined {
  for (const dir of resumeCandidates(checkpointRoot(runDir))) {
    try {
      readCheckpointState(dir);
      const file = join(dir, 'config.json');
      return { source: file, value: JSON.parse(readFileSync(file, 'utf8')) };
    } catch {
      /* an unusable checkpoint: the loop reports it; try the previous one */
    }
  }
  return undefined;
}

/** Resolve a verb's config: schema defaults < preset (or, on --resume, the run's saved config) < --set. */
export function resolveRunConfig<S extends SectionSpec>(schema: S, component: string, a: Partial<RunArgs>): ConfigOf<S> {
  const sets = runSets(a);
  if ((a.seed !== undefined || a.steps !== undefined) && schema.fields.train?.kind !== 'section') {
    throw new LaraError(`--seed/--steps: config '${component}' has no train section; use --set`);
  }
  let layers: { source: string; value: unknown }[] = [];
  if (a.preset) layers = presetLayers(component, a.preset);
  else if (a.resume && a.out) {
    const saved = savedRunConfig(a.out);
    if (saved) layers = [saved];
  }
  return resolveConfig(schema, layers, sets);
}
