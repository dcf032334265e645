import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIGS_DIR, loadConfig, presetLayers, presetNames } from '../../src/config/presets.ts';
import { int, section, str } from '../../src/config/schema.ts';
import { CONFIG_COMPONENTS } from '../../src/cli/config.ts';

const S = section({ a: int(1, 'a'), b: str('x', 'b'), inner: section({ c: int(3, 'c') }) });

function dir(files: Record<string, unknown>): string {
  const d = mkdtempSync(join(tmpdir(), 'lara-presets-'));
  for (const [n, v] of Object.entries(files)) writeFileSync(join(d, n), typeof v === 'string' ? v : JSON.stringify(v));
  return d;
}

describe('presets', () => {
  it('extends chains resolve base first; overrides only what differs', () => {
    const d = dir({ 'base.json': { a: 5, inner: { c: 7 } } });
    writeFileSync(join(d, 'child.json'), JSON.stringify({ extends: join(d, 'base.json'), b: 'y' }));
    const layers = presetLayers('any', join(d, 'child.json'));
    expect(layers.map((l) => l.source)).toEqual([join(d, 'base.json'), join(d, 'child.json')]);
    expect(loadConfig(S, 'any', join(d, 'child.json'), ['inner.c=9'])).toEqual({ a: 5, b: 'y', inner: { c: 9 } });
  });

  it('"extends" by name stays within the component (configs/lam/small-tokens.json extends small)', () => {
    const layers = presetLayers('lam', 'small-tokens');
    expect(layers.map((l) => l.source)).toEqual([join(CONFIGS_DIR, 'lam', 'small.json'), join(CONFIGS_DIR, 'lam', 'small-tokens.json')]);
    const small = loadConfig(CONFIG_COMPONENTS.lam!.schema, 'lam', 'small') as { model: Record<string, unknown> };
    const tokens = loadConfig(CONFIG_COMPONENTS.lam!.schema, 'lam', 'small-tokens') as { model: Record<string, unknown> };
    expect(tokens.model.input).toBe('tokens');
    expect({ ...tokens.model, input: small.model.input }).toEqual(small.model);
  });

  it('an extends cycle is an error naming the chain', () => {
    const d = dir({});
    writeFileSync(join(d, 'p.json'), JSON.stringify({ extends: join(d, 'q.json') }));
    writeFileSync(join(d, 'q.json'), JSON.stringify({ extends: join(d, 'p.json') }));
    expect(() => presetLayers('any', join(d, 'p.json'))).toThrow(/"extends" forms a cycle \(.*p\.json -> .*q\.json -> .*p\.json\)/);
  });

  it('bad JSON and unknown names are LaraErrors naming the file or the choices', () => {
    const d = dir({ 'bad.json': '{"a": ' });
    expect(() => presetLayers('any', join(d, 'bad.json'))).toThrow(new RegExp(`^${join(d, 'bad.json')}: cannot parse preset: .*; expected a JSON object$`));
    expect(() => presetLayers('lam', 'nope')).toThrow(/^unknown lam preset 'nope'; expected one of .*small.*tiny.* or a path to a \.json file$/);
    expect(() => presetLayers('no-such-component', 'nope')).toThrow(/^unknown no-such-component preset 'nope'; expected a path to a \.json file$/);
    expect(() => loadConfig(S, 'any', join(dir({ 'w.json': { a: 'one' } }), 'w.json'))).toThrow(/config field 'a' \(from .*w\.json\): expected an integer, got "one"/);
  });

  it('every preset shipped in configs/ resolves against its component schema', () => {
    let checked = 0;
    for (const [component, { schema }] of Object.entries(CONFIG_COMPONENTS)) {
      expect(presetNames(component)).toEqual([...presetNames(component)].sort());
      for (const name of presetNames(component)) {
        expect(() => loadConfig(schema, component, name), `${component}/${name}`).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    // and every preset file is valid JSON with at most an "extends" string beyond the schema
    for (const c of readdirSync(CONFIGS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const f of readdirSync(join(CONFIGS_DIR, c.name)).filter((f) => f.endsWith('.json'))) {
        const v = JSON.parse(readFileSync(join(CONFIGS_DIR, c.name, f), 'utf8'));
        if ('extends' in v) expect(typeof v.extends).toBe('string');
      }
    }
  });
});
