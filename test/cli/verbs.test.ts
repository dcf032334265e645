import { describe, expect, it } from 'vitest';
import { verbIndex } from '../../src/cli/verbs.ts';

describe('verb index', () => {
  it('matches every verb module (name, usage, description)', async () => {
    const names = verbIndex.map((v) => v.name);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    for (const v of verbIndex) {
      const mod = await v.load();
      expect(mod.command, v.name).toBe(v.usage);
      expect(mod.describe, v.name).toBe(v.describe);
      expect(String(mod.command).split(' ')[0], v.name).toBe(v.name);
    }
  });
});
