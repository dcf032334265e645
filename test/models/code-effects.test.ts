import { describe, expect, it } from 'vitest';
import { codeEffects } from '../../src/world/code-effects.ts';

describe('per-code native action effects', () => {
  it('gives count, mean and spread of the actions seen with each code', () => {
    const codes = [0, 0, 1, 1, 1];
    const acts = [[1, 0], [3, 0], [0, 2], [0, 2], [0, 2]].map((a) => Float32Array.from(a));
    const e = codeEffects(codes, acts, 3);
    expect(e[0]).toEqual({ code: 0, count: 2, mean: [2, 0], std: [1, 0] });
    expect(e[1]!.mean).toEqual([0, 2]);
    expect(e[1]!.std).toEqual([0, 0]);
    expect(e[2]).toEqual({ code: 2, count: 0, mean: [], std: [] });
  });
});
