import { describe, expect, it } from 'vitest';
import { CommandGate } from '../../src/safety/gate.ts';
import { EStopLatch } from '../../src/safety/estop.ts';
import { loadRobot } from '../../src/robot/load.ts';

describe('EStopLatch', () => {
  it('latches until released and counts changes', () => {
    const e = new EStopLatch();
    expect(e.engaged).toBe(false);
    expect(e.set(true)).toBe(true);
    expect(e.set(true)).toBe(false);
    expect(e.engaged).toBe(true);
    expect(e.set(false)).toBe(true);
    expect(e.engaged).toBe(false);
    expect(e.changes).toBe(2);
  });
});

describe('CommandGate', () => {
  const arm = loadRobot('arm7'); // joint velocities in [-2, 2] / [-2.5, 2.5], maxDelta 0.5; gripper [0, 1]
  it('clamps to limits and rate limits against the last command', () => {
    const g = new CommandGate(arm, new EStopLatch());
    const r1 = g.request([100, -100, 0.3, 0, 0, 0, 0, 5]);
    expect(Array.from(r1.action)).toEqual([2, -2, Math.fround(0.3), 0, 0, 0, 0, 1]);
    expect(r1.clamped.slice(0, 3)).toEqual([true, true, false]);
    const r2 = g.request([-2, 2, 0.3, 0, 0, 0, 0, 0]);
    expect(r2.action[0]).toBeCloseTo(1.5);
    expect(r2.action[1]).toBeCloseTo(-1.5);
    expect(r2.action[7]).toBeCloseTo(0.75);
  });

  it('turns NaN and Infinity into safe values', () => {
    const g = new CommandGate(arm, new EStopLatch());
    const r = g.request([NaN, Infinity, -Infinity, 0, 0, 0, 0, 0]);
    for (const v of r.action) expect(Number.isFinite(v)).toBe(true);
    expect(r.action[1]).toBeLessThanOrEqual(2);
  });

  it('stops immediately, holds while the e-stop is engaged, then ramps up from stop', () => {
    const e = new EStopLatch();
    const g = new CommandGate(arm, e);
    g.request([2, 0, 0, 0, 0, 0, 0, 0]);
    g.request([2, 0, 0, 0, 0, 0, 0, 0]);
    e.set(true);
    const s = g.request([2, 2, 2, 2, 2, 2, 2, 1]);
    expect(s.stop).toBe('estop');
    expect(Array.from(s.action)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    e.set(false);
    const r = g.request([2, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.stop).toBeUndefined();
    expect(r.action[0]).toBeCloseTo(0.5); // rate-limited from the stop value
  });

  it('uses declared stop values', () => {
    const rt1 = loadRobot('rt1');
    const g = new CommandGate(rt1, new EStopLatch());
    const s = g.stop('shutdown');
    const i = rt1.dof.findIndex((d) => d.stop === 1);
    expect(s.action[i]).toBe(1);
    expect(s.stop).toBe('shutdown');
  });
});

describe('f32Within', () => {
  it('steps float32 roundings of limits back inside the float64 limits', async () => {
    const { f32Within } = await import('../../src/safety/gate.ts');
    const hi = Math.PI / 2;
    expect(Math.fround(hi)).toBeGreaterThan(hi);
    const v = f32Within(Math.fround(hi), -hi, hi);
    expect(v).toBeLessThanOrEqual(hi);
    expect(Math.fround(v)).toBe(v);
    expect(hi - v).toBeLessThan(1e-6);
    const w = f32Within(-Math.fround(hi), -hi, hi);
    expect(w).toBeGreaterThanOrEqual(-hi);
    expect(f32Within(0.25, -1, 1)).toBe(0.25);
  });
});
