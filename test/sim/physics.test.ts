import { describe, expect, it } from 'vitest';
import { fingerPositions, graspClosedness, pushBlockFromDisc } from '../../src/sim/physics.ts';
import { act, layout, repeat } from './helpers.ts';

const red = (env: ReturnType<typeof layout>) => env.scene.blocks.find((b) => b.color === 'red')!;
const PICK = 'pick up the red block and place it in the green zone';

describe('tabletop physics', () => {
  it('a low closed gripper pushes the block it drives into', () => {
    const env = layout('reach the red block', { block: [0, 0], grip: [-0.06, 0, 0.012], yaw: Math.PI / 2, closedness: 1 });
    repeat(env, act(1, 0, 0), 5); // 7.5 cm
    const b = red(env);
    expect(b.x).toBeGreaterThan(0.03);
    expect(Math.abs(b.y)).toBeLessThan(0.01);
    // the finger stays in contact, never inside the block
    expect(env.scene.gripper.x).toBeLessThan(b.x - 0.025);
  });

  it('a high gripper passes over blocks without moving them', () => {
    const env = layout(PICK, { block: [0, 0], grip: [-0.06, 0, 0.07], closedness: 1 });
    repeat(env, act(1, 0, 0), 8);
    expect(env.scene.gripper.x).toBeGreaterThan(0.05);
    expect(red(env).x).toBe(0);
  });

  it('an off-centre push turns the block', () => {
    const b = { color: 'red' as const, x: 0, y: 0, z: 0, yaw: 0, vz: 0 };
    const depth = pushBlockFromDisc(b, 0.025, -0.03, 0.02, 0.008);
    expect(depth).toBeGreaterThan(0);
    expect(b.x).toBeGreaterThan(0);
    expect(b.yaw).not.toBe(0);
  });

  it('a grasped block follows the gripper, and release drops it to the table', () => {
    const env = layout(PICK, { block: [0, 0], grip: [0, 0, 0.1] });
    repeat(env, act(0, 0, -1), 7);
    repeat(env, act(0, 0, 0, 1), 1);
    const g = env.scene.gripper;
    expect(g.held).toBe(env.scene.blocks.indexOf(red(env)));
    expect(g.closedness).toBeCloseTo(graspClosedness(env.config), 9); // fingers stop on the block
    repeat(env, act(0, 0, 1, 1), 5);
    repeat(env, act(0.6, -0.4, 0, 0.5, 0.4), 6);
    const b = red(env);
    expect(b.z).toBeGreaterThan(0.05);
    expect(b.x).toBeCloseTo(g.x, 6);
    expect(b.y).toBeCloseTo(g.y, 6);
    expect(Math.abs(b.yaw - g.yaw)).toBeLessThan(1e-9 + Math.abs(b.yaw - g.yaw) % (Math.PI / 2)); // turns with the gripper
    const [x, y] = [b.x, b.y];
    env.step(act(0, 0, 0, -1));
    expect(g.held).toBe(-1);
    repeat(env, act(), 2);
    expect(b.z).toBe(0);
    expect(b.x).toBeCloseTo(x, 9);
    expect(b.y).toBeCloseTo(y, 9);
  });

  it('closing on nothing closes fully; closing too high grasps nothing', () => {
    const env = layout(PICK, { block: [0, 0], grip: [0, 0, 0.1] });
    repeat(env, act(0, 0, 0, 1), 3);
    expect(env.scene.gripper.closedness).toBe(1);
    expect(env.scene.gripper.held).toBe(-1);
    const [f0, f1] = fingerPositions(env.scene.gripper, env.config);
    expect(Math.hypot(f0[0] - f1[0], f0[1] - f1[1])).toBeCloseTo(0.016, 9);
  });
});
