import { describe, expect, it } from 'vitest';
import { formatInstruction, parseInstruction, parseTaskKind } from '../../src/sim/tasks.ts';
import { TabletopEnv } from '../../src/sim/tabletop.ts';
import { LaraError } from '../../src/util/errors.ts';
import { act, layout, repeat } from './helpers.ts';

describe('instructions', () => {
  it('parses the canonical forms and common variants', () => {
    expect(parseInstruction('reach the red block')).toEqual({ kind: 'reach', block: 'red' });
    expect(parseInstruction('  Please TOUCH the Blue cube. ')).toEqual({ kind: 'reach', block: 'blue' });
    expect(parseInstruction('push the green block to the yellow zone')).toEqual({ kind: 'push', block: 'green', zone: 'yellow' });
    expect(parseInstruction('Slide green box into the red area!')).toEqual({ kind: 'push', block: 'green', zone: 'red' });
    expect(parseInstruction('pick up the blue block and place it in the red zone')).toEqual({ kind: 'pick-place', block: 'blue', zone: 'red' });
    expect(parseInstruction('pick the yellow cube up and put it on the green target')).toEqual({ kind: 'pick-place', block: 'yellow', zone: 'green' });
    for (const t of [{ kind: 'reach', block: 'red' }, { kind: 'push', block: 'blue', zone: 'green' }, { kind: 'pick-place', block: 'yellow', zone: 'red' }] as const) {
      expect(parseInstruction(formatInstruction(t))).toEqual(t);
    }
  });

  it('rejects unknown colours and unknown sentences with LaraErrors', () => {
    expect(() => parseInstruction('reach the purple block')).toThrow(/unknown colour 'purple'; expected one of red, green, blue, yellow/);
    expect(() => parseInstruction('push the red block to the big zone')).toThrow(/'big' is not a colour/);
    expect(() => parseInstruction('make me a sandwich')).toThrow(LaraError);
    expect(() => parseInstruction('make me a sandwich')).toThrow(/cannot understand instruction .*expected 'reach the <color> block'/);
    expect(() => parseTaskKind('stack')).toThrow(/one of reach, push, pick-place/);
  });

  it('reset() puts the named colours in the scene', () => {
    const env = new TabletopEnv();
    for (let seed = 0; seed < 10; seed++) {
      env.reset(seed, 'push the yellow block to the blue zone');
      expect(env.scene.blocks.some((b) => b.color === 'yellow')).toBe(true);
      expect(env.scene.zones.some((z) => z.color === 'blue')).toBe(true);
      expect(env.instruction).toBe('push the yellow block to the blue zone');
    }
  });
});

describe('success detection', () => {
  it('reach: descending onto the block succeeds; doing nothing does not', () => {
    const env = layout('reach the red block', { block: [0.05, 0.05], grip: [0.05, 0.05, 0.12] });
    expect(env.success).toBe(false);
    const r = repeat(env, act(0, 0, -1), 10);
    expect(r.success).toBe(true);
    expect(r.done).toBe(true);
    const idle = layout('reach the red block', { block: [0.05, 0.05], grip: [-0.1, -0.1, 0.12] });
    const r2 = repeat(idle, act(), 200);
    expect(r2.success).toBe(false);
    expect(r2.done).toBe(true); // step limit
    expect(idle.scene.t).toBe(idle.config.maxSteps);
  });

  it('push: a straight push into the zone succeeds; doing nothing does not', () => {
    const env = layout('push the blue block to the green zone', { block: [0, 0], zone: [0.15, 0], grip: [-0.045, 0, 0.012], yaw: Math.PI / 2, closedness: 1 });
    const r = repeat(env, act(1, 0, 0), 12);
    expect(r.success).toBe(true);
    expect(env.scene.t).toBeLessThan(12);
    const idle = layout('push the blue block to the green zone', { block: [0, 0], zone: [0.15, 0], grip: [-0.045, 0, 0.012] });
    expect(repeat(idle, act(), 200).success).toBe(false);
  });

  it('pick-place: grasp, lift, carry, lower, release succeeds; pushing it there does not count', () => {
    const env = layout('pick up the red block and place it in the yellow zone', { block: [0, 0], zone: [0.15, 0], grip: [0, 0, 0.1] });
    repeat(env, act(0, 0, -1), 7);
    repeat(env, act(0, 0, 0, 1), 1);
    expect(env.scene.gripper.held).toBeGreaterThanOrEqual(0);
    repeat(env, act(0, 0, 1, 1), 5);
    repeat(env, act(1, 0, 0, 1), 10);
    repeat(env, act(0, 0, -1, 1), 6);
    expect(env.success).toBe(false); // still held
    const r = repeat(env, act(0, 0, 0, -1), 3);
    expect(r.success).toBe(true);

    const pushed = layout('pick up the red block and place it in the yellow zone', { block: [0, 0], zone: [0.15, 0], grip: [-0.045, 0, 0.012], yaw: Math.PI / 2, closedness: 1 });
    repeat(pushed, act(1, 0, 0), 10);
    const b = pushed.scene.blocks.find((x) => x.color === 'red')!;
    expect(Math.hypot(b.x - 0.15, b.y)).toBeLessThan(0.045); // in the zone...
    expect(pushed.success).toBe(false); // ...but never picked up
  });

  it('the terminate action ends the episode', () => {
    const env = new TabletopEnv();
    env.reset(3);
    const r = env.step(act(0, 0, 0, 0, 0, 1));
    expect(r.done).toBe(true);
    expect(r.info.terminated).toBe(true);
    expect(() => env.step(act())).toThrow(/after the episode ended/);
  });
});
