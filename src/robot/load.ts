/**
 * Load and validate robot descriptions: robots/<name>/robot.json (or any path to a robot.json or
 * to a folder holding one). Every field is checked; errors name the file, the field and what was
 * expected.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LaraError, describe } from '../util/errors.ts';
import type { ActionGroup, CameraSpec, CommandSpec, DofSpec, RobotDescription } from './description.ts';

/** The repository's robots/ folder. */
export const ROBOTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../robots');

const ENCODINGS = ['rgb8', 'bgr8', 'mono8', 'jpeg', 'png'] as const;
const IMAGE_TYPES = ['sensor_msgs/Image', 'sensor_msgs/CompressedImage'] as const;
const COMMAND_TYPES = ['geometry_msgs/Twist', 'std_msgs/Float64MultiArray', 'trajectory_msgs/JointTrajectory', 'sensor_msgs/JointState'] as const;
const TOP_FIELDS = ['name', 'description', 'rateHz', 'dof', 'cameras', 'command', 'stateTopic', 'groups', 'stateNames', 'simulator'];

/** Names of the robots shipped in robots/. */
export function robotNames(): string[] {
  if (!existsSync(ROBOTS_DIR)) return [];
  return readdirSync(ROBOTS_DIR)
    .filter((n) => existsSync(join(ROBOTS_DIR, n, 'robot.json')))
    .sort();
}

/** Where a robot name or path points: the robot.json file. */
export function resolveRobotFile(nameOrPath: string): string {
  const byName = join(ROBOTS_DIR, nameOrPath, 'robot.json');
  if (/^[A-Za-z0-9_-]+$/.test(nameOrPath) && existsSync(byName)) return byName;
  if (existsSync(nameOrPath)) {
    if (statSync(nameOrPath).isDirectory()) {
      const f = join(nameOrPath, 'robot.json');
      if (existsSync(f)) return f;
      throw new LaraError('folder has no robot.json', { file: nameOrPath, expected: 'a folder holding robot.json' });
    }
    return nameOrPath;
  }
  throw new LaraError(`unknown robot '${nameOrPath}'`, { expected: `one of ${robotNames().join(', ')} or a path to a robot.json` });
}

/** Load and validate a robot description by name (robots/<name>) or path. */
export function loadRobot(nameOrPath: string): RobotDescription {
  const file = resolveRobotFile(nameOrPath);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LaraError(`cannot parse robot description: ${(e as Error).message}`, { file, expected: 'a JSON object' });
  }
  return validateRobot(raw, file);
}

/** Validate a parsed robot description; `file` names it in errors. */
export function validateRobot(raw: unknown, file = '(robot description)'): RobotDescription {
  const fail = (where: string, expected: string, got: unknown): never => {
    throw new LaraError('invalid robot description', { file, where, expected, got: describe(got) });
  };
  const obj = (v: unknown, where: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'an object', v);
    return v as Record<string, unknown>;
  };
  const str = (v: unknown, where: string, pattern?: RegExp, what = 'a non-empty string'): string => {
    if (typeof v !== 'string' || v.length === 0 || (pattern && !pattern.test(v))) fail(where, what, v);
    return v as string;
  };
  const numr = (v: unknown, where: string, what = 'a finite number'): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, what, v);
    return v as number;
  };
  const posInt = (v: unknown, where: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(where, 'a positive integer', v);
    return v as number;
  };
  const oneOf = <T extends string>(v: unknown, where: string, choices: readonly T[]): T => {
    if (typeof v !== 'string' || !choices.includes(v as T)) fail(where, `one of ${choices.join(', ')}`, v);
    return v as T;
  };
  const arr = (v: unknown, where: string, nonEmpty = true): unknown[] => {
    if (!Array.isArray(v) || (nonEmpty && v.length === 0)) fail(where, nonEmpty ? 'a non-empty array' : 'an array', v);
    return v as unknown[];
  };
  const topic = (v: unknown, where: string): string => str(v, where, /^\/[A-Za-z0-9_/~-]*[A-Za-z0-9_]$/, "a ROS topic starting with '/'");

  const r = obj(raw, '(root)');
  for (const k of Object.keys(r)) {
    if (!TOP_FIELDS.includes(k)) fail(k, `a known field (${TOP_FIELDS.join(', ')})`, k);
  }
  const name = str(r.name, 'name', /^[A-Za-z0-9_-]+$/, 'a name of letters, digits, - and _');
  const description = str(r.description, 'description');
  const rateHz = numr(r.rateHz, 'rateHz', 'a positive number (Hz)');
  if (rateHz <= 0) fail('rateHz', 'a positive number (Hz)', rateHz);

  const dof: DofSpec[] = arr(r.dof, 'dof').map((v, i) => {
    const w = `dof[${i}]`;
    const o = obj(v, w);
    const d: DofSpec = { name: str(o.name, `${w}.name`), unit: str(o.unit, `${w}.unit`), min: numr(o.min, `${w}.min`), max: numr(o.max, `${w}.max`) };
    if (d.min >= d.max) fail(`${w}.max`, `a number greater than min (${d.min})`, d.max);
    if (o.maxDelta !== undefined) {
      d.maxDelta = numr(o.maxDelta, `${w}.maxDelta`);
      if (d.maxDelta <= 0) fail(`${w}.maxDelta`, 'a positive number', d.maxDelta);
    }
    if (o.stop !== undefined) {
      d.stop = numr(o.stop, `${w}.stop`);
      if (d.stop < d.min || d.stop > d.max) fail(`${w}.stop`, `a value in [${d.min}, ${d.max}]`, d.stop);
    } else if (0 < d.min || 0 > d.max) {
      fail(`${w}.stop`, `a stop value (0 is outside [${d.min}, ${d.max}])`, o.stop);
    }
    return d;
  });
  const names = new Set<string>();
  dof.forEach((d, i) => {
    if (names.has(d.name)) fail(`dof[${i}].name`, 'a name not used by another DoF', d.name);
    names.add(d.name);
  });

  const cameras: CameraSpec[] = arr(r.cameras, 'cameras', false).map((v, i) => {
    const w = `cameras[${i}]`;
    const o = obj(v, w);
    const c: CameraSpec = {
      name: str(o.name, `${w}.name`),
      topic: topic(o.topic, `${w}.topic`),
      width: posInt(o.width, `${w}.width`),
      height: posInt(o.height, `${w}.height`),
      encoding: oneOf(o.encoding, `${w}.encoding`, ENCODINGS),
      messageType: oneOf(o.messageType, `${w}.messageType`, IMAGE_TYPES),
    };
    const compressed = c.encoding === 'jpeg' || c.encoding === 'png';
    if (compressed !== (c.messageType === 'sensor_msgs/CompressedImage')) {
      fail(`${w}.messageType`, compressed ? 'sensor_msgs/CompressedImage for a jpeg/png encoding' : 'sensor_msgs/Image for a raw encoding', c.messageType);
    }
    return c;
  });

  const co = obj(r.command, 'command');
  const command: CommandSpec = { topic: topic(co.topic, 'command.topic'), messageType: oneOf(co.messageType, 'command.messageType', COMMAND_TYPES) };
  if (co.gripperTopic !== undefined) command.gripperTopic = topic(co.gripperTopic, 'command.gripperTopic');
  if (co.twist !== undefined) {
    const t = obj(co.twist, 'command.twist');
    const tw: NonNullable<CommandSpec['twist']> = {};
    for (const part of ['linear', 'angular'] as const) {
      if (t[part] === undefined) continue;
      const a = arr(t[part], `command.twist.${part}`);
      if (a.length > 3) fail(`command.twist.${part}`, 'at most 3 DoF names (x, y, z)', a);
      a.forEach((n, j) => {
        if (n !== null && (typeof n !== 'string' || !names.has(n))) fail(`command.twist.${part}[${j}]`, 'the name of a DoF (or null)', n);
      });
      tw[part] = a.map((n) => (n === null ? undefined : (n as string))) as [string?, string?, string?];
    }
    command.twist = tw;
  }
  if (command.messageType === 'geometry_msgs/Twist' && !command.twist) fail('command.twist', 'a DoF mapping for a geometry_msgs/Twist command', undefined);

  const out: RobotDescription = { name, description, rateHz, dof, cameras, command };
  if (r.stateTopic !== undefined) out.stateTopic = topic(r.stateTopic, 'stateTopic');
  if (r.simulator !== undefined) out.simulator = str(r.simulator, 'simulator');
  if (r.stateNames !== undefined) out.stateNames = arr(r.stateNames, 'stateNames').map((v, i) => str(v, `stateNames[${i}]`));
  if (r.groups !== undefined) {
    const groups: ActionGroup[] = arr(r.groups, 'groups').map((v, i) => {
      const w = `groups[${i}]`;
      const o = obj(v, w);
      const g: ActionGroup = { name: str(o.name, `${w}.name`), size: posInt(o.size, `${w}.size`) };
      if (o.kind !== undefined) g.kind = oneOf(o.kind, `${w}.kind`, ['continuous', 'onehot'] as const);
      return g;
    });
    const total = groups.reduce((s, g) => s + g.size, 0);
    if (total !== dof.length) fail('groups', `sizes summing to the number of DoF (${dof.length})`, `sizes summing to ${total}`);
    out.groups = groups;
  }
  return out;
}

/** Start index of a named action group, or throws naming the robot. */
export function groupOffset(desc: RobotDescription, group: string): { start: number; size: number } {
  let start = 0;
  for (const g of desc.groups ?? []) {
    if (g.name === group) return { start, size: g.size };
    start += g.size;
  }
  throw new LaraError(`robot '${desc.name}' has no action group '${group}'`, { expected: `one of ${(desc.groups ?? []).map((g) => g.name).join(', ') || '(no groups)'}` });
}
