/**
 * Saving and loading mappings as one JSON file (mapping.json). Loading checks the format, the
 * kind and the robot: a mapping fitted for another robot is refused with a clear error.
 */
import { readFileSync, existsSync } from 'node:fs';
import type { RobotDescription } from '../robot/description.ts';
import { LaraError, describe } from '../util/errors.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { DictionaryMapping, type DictionaryState } from './dictionary.ts';
import { MlpMapping, type MlpState } from './mlp.ts';
import { RidgeMapping, type RidgeState } from './ridge.ts';
import type { LatentMapping, MappingHeader } from './types.ts';

type AnyMapping = DictionaryMapping | RidgeMapping | MlpMapping;

export function mappingToJson(m: AnyMapping): Record<string, unknown> {
  return { ...m.header, state: m.state };
}

export function saveMapping(file: string, m: AnyMapping): void {
  writeJsonAtomic(file, mappingToJson(m));
}

/** Rebuild a mapping from its JSON, refusing one fitted for a different robot or DoF layout. */
export function mappingFromJson(json: unknown, robot: RobotDescription, file = '(mapping)'): LatentMapping {
  const j = json as Partial<MappingHeader> & { state?: unknown };
  if (typeof j !== 'object' || j === null || j.format !== 'lara-mapping') throw new LaraError('not a lara mapping', { file, where: 'format', expected: '"lara-mapping"', got: describe(j?.format) });
  if (j.version !== 1) throw new LaraError('unsupported mapping version', { file, where: 'version', expected: '1', got: describe(j.version) });
  if (j.robot !== robot.name) {
    throw new LaraError(`mapping was fitted for robot '${String(j.robot)}' and cannot drive robot '${robot.name}'; fit one for this robot with 'lara fit-mapping --robot ${robot.name}'`, { file, where: 'robot', expected: JSON.stringify(robot.name), got: describe(j.robot) });
  }
  const names = robot.dof.map((d) => d.name);
  if (!Array.isArray(j.dofNames) || j.dofNames.join(',') !== names.join(',')) {
    throw new LaraError(`mapping's DoF do not match robot '${robot.name}'`, { file, where: 'dofNames', expected: names.join(', '), got: Array.isArray(j.dofNames) ? j.dofNames.join(', ') : describe(j.dofNames) });
  }
  for (const k of ['codes', 'actionDim', 'stateDim', 'fittedOn'] as const) {
    if (!Number.isInteger(j[k]) || (j[k] as number) < 0) throw new LaraError('bad mapping header', { file, where: k, expected: 'a non-negative integer', got: describe(j[k]) });
  }
  if (!j.stats || !Array.isArray(j.stats.mean) || j.stats.mean.length !== j.actionDim) throw new LaraError('bad mapping header', { file, where: 'stats.mean', expected: `${j.actionDim} numbers`, got: describe(j.stats?.mean) });
  const { state, ...rest } = j;
  const header = rest as MappingHeader;
  if (typeof state !== 'object' || state === null) throw new LaraError('mapping has no state', { file, where: 'state', expected: 'an object', got: describe(state) });
  switch (header.kind) {
    case 'dictionary': {
      const s = state as DictionaryState;
      if (!Array.isArray(s.entries) || s.entries.length !== header.codes) throw new LaraError('bad dictionary', { file, where: 'state.entries', expected: `${header.codes} code entries`, got: describe(s.entries) });
      return new DictionaryMapping(header, s, robot);
    }
    case 'ridge': {
      const s = state as RidgeState;
      const f = header.codes * (header.stateDim + 1);
      if (!Array.isArray(s.weights) || s.weights.length !== f) throw new LaraError('bad ridge mapping', { file, where: 'state.weights', expected: `${f} rows`, got: describe(s.weights) });
      return new RidgeMapping(header, s, robot);
    }
    case 'mlp': {
      const s = state as MlpState;
      if (!Array.isArray(s.layers) || s.layers.length === 0) throw new LaraError('bad mlp mapping', { file, where: 'state.layers', expected: 'a list of layers', got: describe(s.layers) });
      return new MlpMapping(header, s, robot);
    }
    default:
      throw new LaraError('unknown mapping kind', { file, where: 'kind', expected: '"dictionary", "ridge" or "mlp"', got: describe(header.kind) });
  }
}

export function loadMapping(file: string, robot: RobotDescription): LatentMapping {
  if (!existsSync(file)) throw new LaraError('mapping file not found', { file, expected: 'a mapping.json written by lara fit-mapping' });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LaraError(`cannot parse mapping: ${(e as Error).message}`, { file, expected: 'JSON' });
  }
  return mappingFromJson(json, robot, file);
}
