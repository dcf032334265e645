/**
 * Typed configs with defaults and a doc line per field, validated with messages that name the
 * field, what was expected and what was received.
 *
 *   const LamSchema = section({
 *     codes: int(8, 'number of latent action codes |A|', { min: 2 }),
 *     lr: num(3e-4, 'learning rate', { min: 0 }),
 *   });
 *   type LamConfig = ConfigOf<typeof LamSchema>;
 *   const cfg = resolveConfig(LamSchema, [presetJson], ['codes=6']);
 */
import { LaraError, describe } from '../util/errors.ts';

interface Base<T> {
  doc: string;
  default: T;
}
export interface IntSpec extends Base<number> { kind: 'int'; min?: number; max?: number }
export interface NumSpec extends Base<number> { kind: 'num'; min?: number; max?: number }
export interface StrSpec<T extends string = string> extends Base<T> { kind: 'str'; choices?: readonly T[] }
export interface BoolSpec extends Base<boolean> { kind: 'bool' }
export interface ListSpec extends Base<number[]> { kind: 'list'; length?: number }
export interface SectionSpec<F extends Fields = Fields> { kind: 'section'; doc: string; fields: F }
export type Spec = IntSpec | NumSpec | StrSpec | BoolSpec | ListSpec | SectionSpec;
export type Fields = { [k: string]: Spec };

export type ValueOf<S extends Spec> = S extends SectionSpec<infer F>
  ? { [K in keyof F]: ValueOf<F[K]> }
  : S extends StrSpec<infer T>
    ? T
    : S extends Base<infer V>
      ? V
      : never;
export type ConfigOf<S extends SectionSpec> = ValueOf<S>;

export const int = (d: number, doc: string, o: { min?: number; max?: number } = {}): IntSpec => ({ kind: 'int', default: d, doc, ...o });
export const num = (d: number, doc: string, o: { min?: number; max?: number } = {}): NumSpec => ({ kind: 'num', default: d, doc, ...o });
export const str = <T extends string>(d: T, doc: string, choices?: readonly T[]): StrSpec<T> => (choices ? { kind: 'str', default: d, doc, choices } : { kind: 'str', default: d, doc });
export const bool = (d: boolean, doc: string): BoolSpec => ({ kind: 'bool', default: d, doc });
export const list = (d: number[], doc: string, length?: number): ListSpec => (length === undefined ? { kind: 'list', default: d, doc } : { kind: 'list', default: d, doc, length });
export const section = <F extends Fields>(fields: F, doc = ''): SectionSpec<F> => ({ kind: 'section', doc, fields });

/** The defaults of a schema as a plain object. */
export function defaults<S extends SectionSpec>(s: S): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(s.fields)) {
    out[k] = f.kind === 'section' ? defaults(f) : Array.isArray(f.default) ? [...f.default] : f.default;
  }
  return out as ConfigOf<S>;
}

function fail(path: string, expected: string, got: unknown, source: string): never {
  throw new LaraError(`config field '${path}'${source ? ` (from ${source})` : ''}: expected ${expected}, got ${describe(got)}`);
}

function range(f: { min?: number; max?: number }): string {
  if (f.min !== undefined && f.max !== undefined) return ` in [${f.min}, ${f.max}]`;
  if (f.min !== undefined) return ` >= ${f.min}`;
  if (f.max !== undefined) return ` <= ${f.max}`;
  return '';
}

/** Validate one value against its spec; `fromString` parses CLI text first. */
function check(f: Exclude<Spec, SectionSpec>, v: unknown, path: string, source: string, fromString: boolean): unknown {
  if (fromString && typeof v === 'string') {
    if (f.kind === 'int' || f.kind === 'num') v = v.trim() === '' ? v : Number(v);
    else if (f.kind === 'bool') v = v === 'true' ? true : v === 'false' ? false : v;
    else if (f.kind === 'list') {
      try {
        v = JSON.parse(v.startsWith('[') ? v : `[${v}]`);
      } catch {
        /* reported below */
      }
    }
  }
  switch (f.kind) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || (f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) fail(path, `an integer${range(f)}`, v, source);
      return v;
    case 'num':
      if (typeof v !== 'number' || !Number.isFinite(v) || (f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) fail(path, `a number${range(f)}`, v, source);
      return v;
    case 'str':
      if (typeof v !== 'string') fail(path, 'a string', v, source);
      if (f.choices && !f.choices.includes(v)) fail(path, `one of ${f.choices.map((c) => JSON.stringify(c)).join(', ')}`, v, source);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') fail(path, 'true or false', v, source);
      return v;
    case 'list':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(path, 'a list of numbers', v, source);
      if (f.length !== undefined && v.length !== f.length) fail(path, `a list of ${f.length} numbers`, v, source);
      return [...v];
  }
}

/** Merge one partial layer (e.g. a preset's JSON) into `target`, validating every field it sets. */
function mergeLayer(s: SectionSpec, target: Record<string, unknown>, layer: unknown, prefix: string, source: string): void {
  if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) fail(prefix || '(root)', 'an object', layer, source);
  for (const [k, v] of Object.entries(layer as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const f = s.fields[k];
    if (!f) throw new LaraError(`config field '${path}'${source ? ` (from ${source})` : ''}: unknown field; expected one of ${Object.keys(s.fields).join(', ')}`);
    if (f.kind === 'section') mergeLayer(f, target[k] as Record<string, unknown>, v, path, source);
    else target[k] = check(f, v, path, source, false);
  }
}

/** Apply one `a.b=v` override. */
export function applySet(s: SectionSpec, target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new LaraError(`--set ${JSON.stringify(assignment)}: expected KEY=VALUE (e.g. lam.codes=8)`);
  const path = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1);
  const keys = path.split('.');
  let spec: SectionSpec = s;
  let obj = target;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const f = spec.fields[k];
    const sofar = keys.slice(0, i + 1).join('.');
    if (!f) throw new LaraError(`config field '${sofar}' (from --set): unknown field; expected one of ${Object.keys(spec.fields).join(', ')}`);
    if (i === keys.length - 1) {
      if (f.kind === 'section') fail(sofar, `a field inside section '${sofar}' (${Object.keys(f.fields).join(', ')})`, raw, '--set');
      obj[k] = check(f, raw, sofar, '--set', true);
    } else {
      if (f.kind !== 'section') fail(sofar, 'a section', raw, '--set');
      spec = f;
      obj = obj[k] as Record<string, unknown>;
    }
  }
}

/**
 * Resolve a config: defaults, then each layer in order (presets, saved configs), then `--set`
 * assignments. Every value is validated. Layers are { source, value } or plain objects.
 */
export function resolveConfig<S extends SectionSpec>(
  s: S,
  layers: ReadonlyArray<unknown | { source: string; value: unknown }> = [],
  sets: readonly string[] = [],
): ConfigOf<S> {
  const out = defaults(s) as Record<string, unknown>;
  for (const l of layers) {
    const isTagged = typeof l === 'object' && l !== null && 'source' in l && 'value' in l;
    const source = isTagged ? (l as { source: string }).source : '';
    const value = isTagged ? (l as { value: unknown }).value : l;
    mergeLayer(s, out, value, '', source);
  }
  for (const a of sets) applySet(s, out, a);
  return out as ConfigOf<S>;
}

/** Lines "path = default  # doc" for --help and docs. */
export function describeSchema(s: SectionSpec, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [k, f] of Object.entries(s.fields)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (f.kind === 'section') lines.push(...describeSchema(f, path));
    else lines.push(`${path} = ${JSON.stringify(f.default)}  # ${f.doc}`);
  }
  return lines;
}
