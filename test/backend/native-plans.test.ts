/**
 * The native kernels' shape planners (src/backend/native-plans.ts) on hand-worked cases:
 * reduction axes merged into kept/reduced groups, binary-op broadcasts and transposes
 * collapsed to the fewest axes. Pure functions, so these run with or without a built addon.
 */
import { describe, expect, it } from 'vitest';
import { broadcastPlan, collapseTranspose, reductionGroups } from '../../src/backend/native-plans.ts';

describe('native shape plans', () => {
  it('merges axes into kept/reduced groups', () => {
    const g = reductionGroups([2, 3, 1, 4, 5], [1, 2, 3]);
    expect(Array.from(g.sizes)).toEqual([2, 12, 5]);
    expect(g.mask).toBe(0b010);
    const h = reductionGroups([4, 6], [0]);
    expect(Array.from(h.sizes)).toEqual([4, 6]);
    expect(h.mask).toBe(0b01);
  });

  it('plans broadcasts on the fewest axes', () => {
    expect(broadcastPlan([4, 6], [6])).toEqual({ outShape: [4, 6], shape: [4, 6], sa: [6, 1], sb: [0, 1] });
    expect(broadcastPlan([2, 3, 4], [2, 3, 4])).toEqual({ outShape: [2, 3, 4], shape: [24], sa: [1], sb: [1] });
    expect(broadcastPlan([1024, 128], [])).toEqual({ outShape: [1024, 128], shape: [131072], sa: [1], sb: [0] });
    expect(broadcastPlan([2, 1, 4], [2, 3, 1]).shape).toEqual([2, 3, 4]);
  });

  it('collapses transposes to the fewest axes', () => {
    expect(collapseTranspose([8, 16, 4, 32], [0, 2, 1, 3])).toEqual({ shape: [8, 16, 4, 32], perm: [0, 2, 1, 3] });
    expect(collapseTranspose([2, 3, 4, 5], [2, 3, 0, 1])).toEqual({ shape: [6, 20], perm: [1, 0] });
    expect(collapseTranspose([1, 5, 1, 6], [3, 2, 1, 0])).toEqual({ shape: [5, 6], perm: [1, 0] });
    expect(collapseTranspose([4, 1, 6], [1, 0, 2])).toEqual({ shape: [24], perm: [0] });
  });
});
