import { describe, expect, it } from 'vitest';
import { bool, defaults, describeSchema, int, list, num, resolveConfig, section, str, applySet, type ConfigOf } from '../../src/config/schema.ts';
import { LaraError } from '../../src/util/errors.ts';

const S = section({
  codes: int(8, 'number of codes', { min: 2 }),
  lr: num(3e-4, 'learning rate', { min: 0 }),
  kind: str('pixels', 'input', ['pixels', 'tokens'] as const),
  causal: bool(true, 'causal in time'),
  sizes: list([1, 2], 'sizes', 2),
  body: section({ layers: int(2, 'layers', { min: 1, max: 48 }), name: str('st', 'name') }, 'the body'),
});
type C = ConfigOf<typeof S>;

const msg = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LaraError);
    return (e as Error).message;
  }
  throw new Error('expected a LaraError');
};

describe('config schema', () => {
  it('defaults are typed and fresh copies', () => {
    const d: C = defaults(S);
    expect(d).toEqual({ codes: 8, lr: 3e-4, kind: 'pixels', causal: true, sizes: [1, 2], body: { layers: 2, name: 'st' } });
    d.sizes.push(3);
    expect(defaults(S).sizes).toEqual([1, 2]);
  });

  it('layers then --set, later wins; nested sections merge field by field', () => {
    const c = resolveConfig(S, [{ codes: 4, body: { layers: 6 } }, { source: 'b.json', value: { codes: 5 } }], ['body.name=x', 'lr=0.01', 'causal=false', 'sizes=3,4', 'kind=tokens']);
    expect(c).toEqual({ codes: 5, lr: 0.01, kind: 'tokens', causal: false, sizes: [3, 4], body: { layers: 6, name: 'x' } });
  });

  it('--set parses lists with or without brackets', () => {
    const t = defaults(S) as unknown as Record<string, unknown>;
    applySet(S, t, 'sizes=[5, 6]');
    expect(t.sizes).toEqual([5, 6]);
  });

  it('names field, source, expectation and value in errors', () => {
    expect(msg(() => resolveConfig(S, [{ source: 'p.json', value: { codes: 1 } }]))).toBe("config field 'codes' (from p.json): expected an integer >= 2, got 1");
    expect(msg(() => resolveConfig(S, [{ codes: 2.5 }]))).toBe("config field 'codes': expected an integer >= 2, got 2.5");
    expect(msg(() => resolveConfig(S, [], ['body.layers=49']))).toBe("config field 'body.layers' (from --set): expected an integer in [1, 48], got 49");
    expect(msg(() => resolveConfig(S, [], ['kind=video']))).toBe('config field \'kind\' (from --set): expected one of "pixels", "tokens", got "video"');
    expect(msg(() => resolveConfig(S, [], ['causal=yes']))).toBe("config field 'causal' (from --set): expected true or false, got \"yes\"");
    expect(msg(() => resolveConfig(S, [], ['sizes=1,2,3']))).toBe("config field 'sizes' (from --set): expected a list of 2 numbers, got an array of length 3");
    expect(msg(() => resolveConfig(S, [], ['lr=']))).toBe("config field 'lr' (from --set): expected a number >= 0, got \"\"");
    expect(msg(() => resolveConfig(S, [{ body: { depth: 3 } }]))).toBe("config field 'body.depth': unknown field; expected one of layers, name");
    expect(msg(() => resolveConfig(S, [{ body: 3 }]))).toBe("config field 'body': expected an object, got 3");
    expect(msg(() => resolveConfig(S, [], ['body=3']))).toBe("config field 'body' (from --set): expected a field inside section 'body' (layers, name), got \"3\"");
    expect(msg(() => resolveConfig(S, [], ['codes.x=3']))).toBe("config field 'codes' (from --set): expected a section, got \"3\"");
    expect(msg(() => resolveConfig(S, [], ['nope=1']))).toMatch(/^config field 'nope' \(from --set\): unknown field; expected one of codes, lr, kind, causal, sizes, body$/);
    expect(msg(() => resolveConfig(S, [], ['=1']))).toMatch(/^--set "=1": expected KEY=VALUE/);
  });

  it('describeSchema lists every leaf with default and doc', () => {
    expect(describeSchema(S)).toEqual([
      'codes = 8  # number of codes',
      'lr = 0.0003  # learning rate',
      'kind = "pixels"  # input',
      'causal = true  # causal in time',
      'sizes = [1,2]  # sizes',
      'body.layers = 2  # layers',
      'body.name = "st"  # name',
    ]);
  });
});
