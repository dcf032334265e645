import { describe, expect, it } from 'vitest';
import { clampAction, rampToStop, stopAction } from '../../src/robot/limits.ts';
import { loadRobot } from '../../src/robot/load.ts';

describe('clampAction', () => {
  const tab = loadRobot('tabletop-sim');
  const arm = loadRobot('arm7');

  it('passes in-range actions unchanged and clamps out-of-range ones', () => {
    const ok = [0.5, -0.5, 0, 0, 0, 0.3, 1, 0];
    const r = clampAction(tab, ok);
    expect(Array.from(r.action)).toEqual(Array.from(Float32Array.from(ok)));
    expect(r.clamped.every((c) => !c)).toBe(true);
    const r2 = clampAction(tab, [3, -3, 0, 0, 0, 4, 1, 0]);
    expect(r2.action[0]).toBe(1);
    expect(r2.action[1]).toBe(-1);
    expect(r2.action[5]).toBeCloseTo(Math.PI / 2, 6);
    expect(r2.clamped).toEqual([true, true, false, false, false, true, false, false]);
  });

  it('replaces non-finite values with the stop value', () => {
    const r = clampAction(tab, [NaN, Infinity, 0, 0, 0, 0, 0, 0]);
    expect(r.action[0]).toBe(0);
    expect(r.action[1]).toBe(0);
    expect(r.clamped.slice(0, 3)).toEqual([true, true, false]);
  });

  it('rate-limits DoF with maxDelta relative to the previous action', () => {
    const prev = new Float32Array(8);
    const r = clampAction(arm, [2, -2, 0.3, 0, 0, 0, 0, 1], prev);
    expect(r.action[0]).toBeCloseTo(0.5);
    expect(r.action[1]).toBeCloseTo(-0.5);
    expect(r.action[2]).toBeCloseTo(0.3);
    expect(r.action[7]).toBeCloseTo(0.25);
    expect(r.clamped).toEqual([true, true, false, false, false, false, false, true]);
    // without prev only the hard limits apply
    expect(clampAction(arm, [2, 0, 0, 0, 0, 0, 0, 1]).action[0]).toBe(2);
  });

  it('rejects the wrong length with the DoF names', () => {
    expect(() => clampAction(tab, [0, 0])).toThrow(/expected 8 values \(world_vector.x/);
  });

  it('stopAction holds; rampToStop respects rate limits', () => {
    expect(Array.from(stopAction(tab))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(stopAction(loadRobot('rt1'))).slice(10)).toEqual([0, 1, 0]);
    let a: Float32Array = Float32Array.from([2, -2, 1, 0, 0, 0, 0, 1]);
    a = rampToStop(arm, a);
    expect(a[0]).toBeCloseTo(1.5);
    expect(a[1]).toBeCloseTo(-1.5);
    expect(a[2]).toBeCloseTo(0.5);
    for (let i = 0; i < 4; i++) a = rampToStop(arm, a);
    expect(Array.from(a)).toEqual(Array.from(stopAction(arm)));
  });
});

describe('float32 rounding', () => {
  it('never rounds a clamped value outside its limits', () => {
    const rt1 = loadRobot('rt1');
    const r = clampAction(rt1, [0, 0, 0, 9, -9, Math.PI / 2, 0, 0, 0, -9, 0, 1, 0]);
    expect(r.action[3]!).toBeLessThanOrEqual(Math.PI / 2);
    expect(r.action[3]!).toBeGreaterThan(Math.PI / 2 - 1e-6);
    expect(r.action[4]!).toBeGreaterThanOrEqual(-Math.PI / 2);
    expect(r.action[5]!).toBeLessThanOrEqual(Math.PI / 2);
    expect(r.action[9]!).toBeGreaterThanOrEqual(-Math.PI);
    expect(r.clamped[5]).toBe(true); // pi/2 itself is not representable within the limit
  });
});
