/**
 * Presets: JSON files under configs/<component>/<name>.json that override only what differs from
 * the schema defaults. A preset may name another with "extends": "<name>" (same component).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LaraError } from '../util/errors.ts';
import { resolveConfig, type ConfigOf, type SectionSpec } from './schema.ts';

/** The repository's configs/ folder. */
export const CONFIGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../configs');

export function presetNames(component: string): string[] {
  const dir = join(CONFIGS_DIR, component);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** The layers of a preset, base first; `name` may also be a path to a JSON file. */
export function presetLayers(component: string, name: string, seen: string[] = []): { source: string; value: unknown }[] {
  const file = name.endsWith('.json') || name.includes('/') ? name : join(CONFIGS_DIR, component, `${name}.json`);
  if (!existsSync(file)) {
    const known = presetNames(component);
    throw new LaraError(`unknown ${component} preset '${name}'`, { expected: known.length ? `one of ${known.join(', ')} or a path to a .json file` : 'a path to a .json file' });
  }
  if (seen.includes(file)) throw new LaraError(`preset ${file}: "extends" forms a cycle (${[...seen, file].join(' -> ')})`);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new LaraError(`cannot parse preset: ${(e as Error).message}`, { file, expected: 'a JSON object' });
  }
  const { extends: parent, ...rest } = value;
  const base = typeof parent === 'string' ? presetLayers(component, parent, [...seen, file]) : [];
  return [...base, { source: file, value: rest }];
}

/** Resolve a component's config from a preset name (or file) and --set overrides. */
export function loadConfig<S extends SectionSpec>(schema: S, component: string, preset: string | undefined, sets: readonly string[] = []): ConfigOf<S> {
  const layers = preset ? presetLayers(component, preset) : [];
  return resolveConfig(schema, layers, sets);
}
