/**
 * Tabletop tasks: parse an instruction string into a Task, write one back, sample one, and
 * detect success from the scene.
 *   reach the <color> block
 *   push the <color> block to the <color> zone
 *   pick up the <color> block and place it in the <color> zone
 */
import { LaraError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import type { TabletopConfig } from './config.ts';
import { COLOR_NAMES, blockIndex, zoneIndex, type ColorName, type Scene } from './scene.ts';

export const TASK_KINDS = ['reach', 'push', 'pick-place'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface Task {
  kind: TaskKind;
  block: ColorName;
  /** Target zone colour (push, pick-place). */
  zone?: ColorName;
}

const OBJ = '(?:block|cube|box|brick)';
const ZONE = '(?:zone|area|target|region|goal|circle|spot|pad)';
const PATTERNS: { kind: TaskKind; re: RegExp }[] = [
  { kind: 'reach', re: new RegExp(`^(?:reach|touch|approach|go to|move to|move the gripper to|reach for|point at)(?: the)? (\\w+) ${OBJ}$`) },
  { kind: 'push', re: new RegExp(`^(?:push|slide|shove|move|nudge)(?: the)? (\\w+) ${OBJ} (?:to|into|onto|towards?|in|on|inside)(?: the)? (\\w+) ${ZONE}$`) },
  {
    kind: 'pick-place',
    re: new RegExp(`^(?:pick up|pick|lift|grab|grasp)(?: up)?(?: the)? (\\w+) ${OBJ}(?: up)?(?: and)?(?: then)? (?:place|put|drop|set|move|carry)(?: it)?(?: down)? (?:in|into|on|onto|at|to|inside)(?: the)? (\\w+) ${ZONE}$`),
  },
];
const OTHER_COLORS = ['purple', 'orange', 'black', 'white', 'pink', 'brown', 'gray', 'grey', 'cyan', 'magenta', 'violet'];

/** Lowercase, punctuation to spaces, "please" dropped, spaces collapsed. */
export function normalizeInstruction(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z\s]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && w !== 'please')
    .join(' ');
}

function color(word: string, text: string): ColorName {
  if ((COLOR_NAMES as readonly string[]).includes(word)) return word as ColorName;
  const what = OTHER_COLORS.includes(word) ? `unknown colour '${word}'` : `'${word}' is not a colour`;
  throw new LaraError(`tabletop instruction ${JSON.stringify(text)}: ${what}`, { expected: `one of ${COLOR_NAMES.join(', ')}` });
}

/** Parse an instruction; throws a LaraError naming the templates when it matches none. */
export function parseInstruction(text: string): Task {
  const norm = normalizeInstruction(text);
  for (const { kind, re } of PATTERNS) {
    const m = re.exec(norm);
    if (!m) continue;
    const t: Task = { kind, block: color(m[1]!, text) };
    if (m[2] !== undefined) t.zone = color(m[2], text);
    return t;
  }
  throw new LaraError(`tabletop: cannot understand instruction ${JSON.stringify(text)}`, {
    expected: "'reach the <color> block', 'push the <color> block to the <color> zone' or 'pick up the <color> block and place it in the <color> zone'",
  });
}

/** The canonical instruction of a task. */
export function formatInstruction(t: Task): string {
  switch (t.kind) {
    case 'reach':
      return `reach the ${t.block} block`;
    case 'push':
      return `push the ${t.block} block to the ${t.zone} zone`;
    case 'pick-place':
      return `pick up the ${t.block} block and place it in the ${t.zone} zone`;
  }
}

/** Parse a task kind name (as on the CLI). */
export function parseTaskKind(s: string): TaskKind {
  if ((TASK_KINDS as readonly string[]).includes(s)) return s as TaskKind;
  throw new LaraError(`unknown tabletop task '${s}'`, { expected: `one of ${TASK_KINDS.join(', ')}` });
}

/** A random task of a kind, with random colours (the scene is then sampled to contain them). */
export function sampleTask(kind: TaskKind, rng: Rng): Task {
  const block = COLOR_NAMES[rng.int(COLOR_NAMES.length)]!;
  if (kind === 'reach') return { kind, block };
  return { kind, block, zone: COLOR_NAMES[rng.int(COLOR_NAMES.length)]! };
}

/** Distance within which a block centre counts as inside a zone. */
export function zoneTolerance(cfg: TabletopConfig): number {
  return cfg.zoneRadius - cfg.blockSize * 0.3;
}

/** Whether the scene satisfies the task now. */
export function taskSuccess(s: Scene, t: Task, cfg: TabletopConfig): boolean {
  const bi = blockIndex(s, t.block);
  const b = s.blocks[bi]!;
  const g = s.gripper;
  if (t.kind === 'reach') {
    return Math.hypot(g.x - b.x, g.y - b.y) <= 0.03 && g.z <= b.z + cfg.blockHeight + 0.03;
  }
  const z = s.zones[zoneIndex(s, t.zone!)]!;
  const inZone = Math.hypot(b.x - z.x, b.y - z.y) <= zoneTolerance(cfg) && b.z === 0 && g.held !== bi;
  if (t.kind === 'push') return inZone;
  return inZone && s.lifted[bi] === true;
}
