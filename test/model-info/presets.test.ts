import { describe, expect, it } from 'vitest';
import { modelInfoFor } from '../../src/cli/model-info.ts';
import { presetNames } from '../../src/config/presets.ts';

describe('model info (analytic, nothing allocated)', () => {
  it('genie-robotics-2.5b dynamics lands within 5% of 2.5B parameters', () => {
    const info = modelInfoFor('dynamics/genie-robotics-2.5b');
    expect(Math.abs(info.params - 2.5e9) / 2.5e9).toBeLessThan(0.05);
    expect(info.trainFlopsPerStep).toBeGreaterThan(0);
  });
  it('every preset of the three models resolves and has a positive size', () => {
    for (const comp of ['tokenizer', 'lam', 'dynamics', 'world-model'] as const) {
      const names = presetNames(comp);
      expect(names).toContain('small');
      for (const n of names) {
        const info = modelInfoFor(`${comp}/${n}`);
        expect(info.params, `${comp}/${n}`).toBeGreaterThan(0);
        expect(info.activationBytesPerClip, `${comp}/${n}`).toBeGreaterThan(0);
      }
    }
  });
  it('counts scale as 16·d² per ST layer for a large width', () => {
    const a = modelInfoFor('dynamics/small', undefined, ['model.body.width=1024', 'model.body.heads=8', 'model.body.layers=1']);
    const b = modelInfoFor('dynamics/small', undefined, ['model.body.width=1024', 'model.body.heads=8', 'model.body.layers=2']);
    const perLayer = b.params - a.params;
    expect(perLayer / (1024 * 1024)).toBeGreaterThan(16);
    expect(perLayer / (1024 * 1024)).toBeLessThan(16.1);
  });
  it('rejects a config whose component cannot be told', () => {
    expect(() => modelInfoFor('small')).toThrow(/component/);
  });
});
