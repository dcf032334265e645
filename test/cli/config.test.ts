import { describe, expect, it } from 'vitest';
import { componentSchema, formatResolved } from '../../src/cli/config.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { DemoSchema } from '../../src/train/demo-config.ts';
import { lara } from './helpers.ts';

describe('lara config', () => {
  it('show prints every field with its doc, marking overrides; --json with a preset; list', async () => {
    const [show, json, list] = await Promise.all([
      lara(['config', 'show', 'demo', '--set', 'train.steps=50', '--set', 'model.width=16']),
      lara(['config', 'show', 'lam', '--preset', 'tiny', '--json']),
      lara(['config', 'list']),
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^# demo config from defaults < --set train\.steps=50 < --set model\.width=16\n/);
    expect(show.stdout).toContain('# model: toy next-frame ST-transformer\n');
    expect(show.stdout).toContain('model.width = 16  # model width D (divisible by heads)  [default: 32]\n');
    expect(show.stdout).toContain('train.steps = 50  # optimizer steps in the whole run');
    expect(show.stdout).toMatch(/^train\.seed = 0  # seed for weight init.*\)$/m); // a default: no [default: ...] mark

    expect(json.code).toBe(0);
    const cfg = JSON.parse(json.stdout);
    expect(cfg.model.codes).toBe(4); // from configs/lam/tiny.json
    expect(cfg.model.commitment).toBe(0.25); // schema default

    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^lam +latent action model\n +presets: .*tiny/m);
    expect(list.stdout).toMatch(/^demo .*\n +presets: \(none; defaults only\)/m);
  });

  it('formatResolved marks only changed values', () => {
    const cfg = resolveConfig(DemoSchema, [], ['data.grid=5']);
    const lines = formatResolved(DemoSchema, cfg as unknown as Record<string, unknown>);
    expect(lines.filter((l) => l.includes('[default:'))).toEqual(['data.grid = 5  # the toy world is a grid x grid of tokens per frame (S = grid^2 tokens)  [default: 3]']);
    expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(14); // data 4 + model 3 + train 7
  });

  it('an unknown component names the known ones', () => {
    expect(() => componentSchema('robotz')).toThrow(/^COMPONENT: unknown config component; expected one of demo, dynamics, lam, mapping, policy, tokenizer, world-model, got "robotz"$/);
  });
});

describe('CLI errors: one "lara: error:" line, no stack, non-zero exit', () => {
  it('bad --set field, bad value type, unknown preset', async () => {
    const cases: [string[], RegExp][] = [
      [['config', 'show', 'demo', '--set', 'model.depth=3'], /^lara: error: config field 'model\.depth' \(from --set\): unknown field; expected one of width, layers, heads\n$/],
      [['demo', '--set', 'train.steps=many'], /^lara: error: config field 'train\.steps' \(from --set\): expected an integer >= 1, got NaN\n$/],
      [['config', 'show', 'lam', '--preset', 'huge'], /^lara: error: unknown lam preset 'huge'; expected one of .*tiny.* or a path to a \.json file\n$/],
    ];
    const results = await Promise.all(cases.map(([args]) => lara(args)));
    results.forEach((r, i) => {
      expect(r.stderr).toMatch(cases[i]![1]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
    });
  });
});
