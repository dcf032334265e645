import { describe, expect, it } from 'vitest';
import { episodeSeed, rolloutExpert } from '../../src/sim/rollout.ts';
import { TabletopEnv } from '../../src/sim/tabletop.ts';
import { TASK_KINDS } from '../../src/sim/tasks.ts';
import { loadRobot } from '../../src/robot/load.ts';

describe('scripted expert', () => {
  for (const task of TASK_KINDS) {
    it(`${task}: >= 90% success over 30 noisy episodes`, () => {
      const env = new TabletopEnv({ tasks: [task], width: 32, height: 32, supersample: 1 });
      let ok = 0;
      for (let i = 0; i < 30; i++) if (rolloutExpert(env, episodeSeed(11, i), { noise: 0.2 }).success) ok++;
      expect(ok).toBeGreaterThanOrEqual(27);
    });
  }

  it('records T frames, states and in-limit actions, ending with terminate after success', () => {
    const env = new TabletopEnv({ tasks: ['push'] });
    const r = rolloutExpert(env, 5, { noise: 0.3 });
    const ep = r.episode;
    const T = ep.timestamps.length;
    expect(ep.cameras.image!.frames).toHaveLength(T);
    expect(ep.states).toHaveLength(T);
    expect(ep.actions).toHaveLength(T);
    expect(ep.timestamps[1]).toBeCloseTo(0.1, 9);
    expect(ep.metadata).toMatchObject({ task: 'push', seed: 5, success: r.success, robot: 'tabletop-sim' });
    const dof = loadRobot('tabletop-sim').dof;
    for (const a of ep.actions!) a.forEach((v, k) => expect(v >= dof[k]!.min && v <= dof[k]!.max).toBe(true));
    expect(r.success).toBe(true);
    expect(ep.actions![T - 1]![7]).toBe(1);
    expect(ep.actions!.slice(0, -1).every((a) => a[7] === 0)).toBe(true);
  });

  it('doing nothing fails where the expert succeeds', () => {
    const env = new TabletopEnv({ tasks: ['pick-place'], maxSteps: 30 });
    env.reset(episodeSeed(11, 0));
    let r = { success: false, done: false };
    while (!r.done) r = env.step(new Float32Array(8));
    expect(r.success).toBe(false);
  });
});
