import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DictionaryMapping, RidgeMapping, MlpMapping, saveMapping, loadMapping, fitMapping, MappingSchema, type LabelledTransition } from '../../src/mapping/index.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { Rng } from '../../src/util/rng.ts';
import { testRobot } from './helpers.ts';

const robot = testRobot();
const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

describe('DictionaryMapping', () => {
  const samples: LabelledTransition[] = [
    { code: 0, action: f32(0.2, 0.1) },
    { code: 0, action: f32(0.4, 0.3) },
    { code: 1, action: f32(-3, 0.9) }, // outside limits: clamped
  ];
  it('maps a code to the mean of its actions, clamped to the robot limits', () => {
    const m = DictionaryMapping.fit(samples, robot, 3, 'mean');
    expect(Array.from(m.map({ code: 0 }, Rng.seeded(0)))).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.2, 6)]);
    expect(Array.from(m.map({ code: 1 }, Rng.seeded(0)))).toEqual([-1, 0.5]);
    expect(m.counts()).toEqual([2, 1, 0]);
  });
  it('samples one of the seen actions and returns the stop action for an unseen code', () => {
    const m = DictionaryMapping.fit(samples, robot, 3, 'sample');
    const rng = Rng.seeded(1);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(Array.from(m.map({ code: 0 }, rng)).map((v) => v.toFixed(2)).join(','));
    expect([...seen].sort()).toEqual(['0.20,0.10', '0.40,0.30']);
    expect(Array.from(m.map({ code: 2 }, rng))).toEqual([0, 0]);
  });
  it('rejects codes out of range and actions of the wrong length', () => {
    expect(() => DictionaryMapping.fit([{ code: 5, action: f32(0, 0) }], robot, 3)).toThrow(/code out of range.*\[0, 3\), got 5/);
    expect(() => DictionaryMapping.fit([{ code: 0, action: f32(0, 0, 0) }], robot, 3)).toThrow(/expected 2 DoF \(x, y\), got 3/);
  });
});

describe('RidgeMapping', () => {
  // ground truth: u = code-specific affine map of state s (1-D)
  const truth = (code: number, s: number): [number, number] => (code === 0 ? [0.5 * s, 0.1] : [-0.2, 0.3 * s - 0.1]);
  const rng = Rng.seeded(3);
  const samples: LabelledTransition[] = Array.from({ length: 200 }, () => {
    const code = rng.int(2);
    const s = rng.uniform(-1, 1);
    return { code, state: f32(s), action: f32(...truth(code, s)) };
  });
  it('recovers a per-code affine function of the state', () => {
    const m = RidgeMapping.fit(samples, robot, 2, 1e-6, true);
    for (const [code, s] of [[0, 0.7], [1, -0.4], [1, 0.9]] as const) {
      const u = m.map({ code, state: f32(s) }, Rng.seeded(0));
      const t = truth(code, s);
      expect(u[0]).toBeCloseTo(t[0], 3);
      expect(u[1]).toBeCloseTo(t[1], 3);
    }
  });
  it('without state it predicts each code\'s mean action', () => {
    const m = RidgeMapping.fit(samples, robot, 2, 1e-6, false);
    const mean0 = samples.filter((t) => t.code === 0).reduce((a, t) => a + t.action[0]!, 0) / samples.filter((t) => t.code === 0).length;
    expect(m.map({ code: 0 }, Rng.seeded(0))[0]).toBeCloseTo(mean0, 3);
  });
  it('refuses transitions without state when conditioned', () => {
    expect(() => RidgeMapping.fit([{ code: 0, action: f32(0, 0) }], robot, 2, 0.01, true)).toThrow(/no state/);
  });
});

describe('MlpMapping', () => {
  it('fits a nonlinear per-code function of the state better than the mean', async () => {
    const rng = Rng.seeded(4);
    const truth = (code: number, s: number): [number, number] => [code === 0 ? Math.sin(2 * s) * 0.5 : -0.5 * s * s, code * 0.2];
    const samples: LabelledTransition[] = Array.from({ length: 120 }, () => {
      const code = rng.int(2);
      const s = rng.uniform(-1, 1);
      return { code, state: f32(s), action: f32(...truth(code, s)) };
    });
    const m = await MlpMapping.fit(samples, robot, 2, { hidden: 32, steps: 300, lr: 1e-2, seed: 1 }, true);
    let err = 0;
    let base = 0;
    for (let i = 0; i < 50; i++) {
      const code = i % 2;
      const s = -1 + (2 * i) / 49;
      const u = m.map({ code, state: f32(s) }, rng);
      err += (u[0]! - truth(code, s)[0]) ** 2;
      base += truth(code, s)[0] ** 2;
    }
    expect(err).toBeLessThan(0.1 * base);
  });
});

describe('mapping files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lara-map-'));
  const samples: LabelledTransition[] = [
    { code: 0, action: f32(0.2, 0.1), state: f32(1) },
    { code: 1, action: f32(-0.4, 0.3), state: f32(-1) },
  ];
  it('round-trips every kind through JSON with identical outputs', async () => {
    for (const kind of ['dictionary', 'ridge', 'mlp'] as const) {
      const cfg = resolveConfig(MappingSchema, [{ kind, mode: 'mean', steps: 20 }]);
      const m = await fitMapping(samples, robot, 2, cfg);
      const file = join(dir, `${kind}.json`);
      saveMapping(file, m);
      const back = loadMapping(file, robot);
      expect(back.header.kind).toBe(kind);
      for (const code of [0, 1]) expect(Array.from(back.map({ code, state: f32(0.5) }, Rng.seeded(0)))).toEqual(Array.from(m.map({ code, state: f32(0.5) }, Rng.seeded(0))));
    }
  });
  it('refuses a mapping fitted for another robot, naming both robots', () => {
    const file = join(dir, 'other.json');
    saveMapping(file, DictionaryMapping.fit(samples, testRobot('franka'), 2));
    expect(() => loadMapping(file, robot)).toThrow(/fitted for robot 'franka' and cannot drive robot 'test-arm'/);
  });
  it('refuses a file that is not a mapping or has a bad header', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'something' }));
    expect(() => loadMapping(file, robot)).toThrow(/bad.json: format: not a lara mapping; expected "lara-mapping", got "something"/);
    const good = JSON.parse(readFileSync(join(dir, 'dictionary.json'), 'utf8'));
    writeFileSync(file, JSON.stringify({ ...good, dofNames: ['a', 'b'] }));
    expect(() => loadMapping(file, robot)).toThrow(/DoF do not match/);
    expect(() => loadMapping(join(dir, 'missing.json'), robot)).toThrow(/not found/);
  });
});
