import { describe, expect, it } from 'vitest';
import { codebookStats } from '../../src/metrics/codebook.ts';
import { LaraError } from '../../src/util/errors.ts';

describe('codebook statistics', () => {
  it('perplexity is K for uniform use and 1 for a single code', () => {
    const uni = codebookStats([0, 1, 2, 3, 0, 1, 2, 3], 8);
    expect(uni.used).toBe(4);
    expect(uni.usage).toBe(0.5);
    expect(uni.perplexity).toBeCloseTo(4, 10);
    const one = codebookStats([5, 5, 5], 8);
    expect(one.perplexity).toBeCloseTo(1, 10);
    expect(one.counts[5]).toBe(3);
  });
  it('matches exp(entropy) on a skewed histogram', () => {
    const s = codebookStats([0, 0, 0, 1], 2);
    const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(s.perplexity).toBeCloseTo(Math.exp(h), 10);
  });
  it('rejects out-of-range codes', () => {
    expect(() => codebookStats([0, 9], 8)).toThrow(LaraError);
  });
});
