import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.ts';
import { DriveController, type AppliedCommand, type DriveAgent } from '../../src/ros/controller.ts';
import { loadRobot } from '../../src/robot/load.ts';
import type { Observation } from '../../src/agent/types.ts';

const robot = loadRobot('tabletop-sim'); // 10 Hz, 8 DoF, world_vector in [-1, 1]
const frame = (v = 0) => ({ width: 4, height: 4, data: new Uint8Array(48).fill(v) });
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(agent: DriveAgent) {
  const clock = new ManualClock(0);
  const out: AppliedCommand[] = [];
  const c = new DriveController({ robot, agent, clock, emit: (x) => out.push(x) });
  c.start();
  return { clock, out, c };
}

function constantAgent(value: number, inferMs = 5, clockRef?: { clock?: ManualClock }): DriveAgent {
  return {
    name: 'const',
    reset() {},
    act(_o: Observation) {
      clockRef?.clock?.advance(inferMs);
      return new Float32Array(8).fill(value);
    },
  };
}

describe('DriveController', () => {
  it('acts once per fresh frame, at most once per period, and reports latency', async () => {
    const ref: { clock?: ManualClock } = {};
    const { clock, out, c } = setup(constantAgent(0.5, 7, ref));
    ref.clock = clock;
    c.onImage(frame(), 1);
    await flush();
    expect(out).toHaveLength(1);
    expect(out[0]!.seq).toBe(1);
    expect(out[0]!.latencyMs).toBe(7);
    clock.advance(20);
    c.onImage(frame(), 2); // too soon: waits for the next period
    await flush();
    expect(out).toHaveLength(1);
    clock.advance(80);
    c.tick();
    await flush();
    expect(out).toHaveLength(2);
    expect(out[1]!.seq).toBe(2);
    expect(out[1]!.latencyMs).toBe(80 + 7);
    c.tick();
    await flush();
    expect(out).toHaveLength(2); // no fresh frame, no command
  });

  it('stops once when the camera goes silent for more than 2 periods, resumes on new frames', async () => {
    const { clock, out, c } = setup(constantAgent(0.5));
    c.onImage(frame(), 1);
    await flush();
    clock.advance(200);
    c.tick();
    expect(out).toHaveLength(1);
    clock.advance(5);
    c.tick();
    expect(out).toHaveLength(2);
    expect(out[1]!.stop).toBe('camera-stale');
    expect(Array.from(out[1]!.action)).toEqual(Array.from(new Float32Array(8)));
    clock.advance(100);
    c.tick();
    expect(out).toHaveLength(2); // emitted once
    c.onImage(frame(), 2);
    await flush();
    expect(out).toHaveLength(3);
    expect(out[2]!.stop).toBeUndefined();
  });

  it('never stops for silence before the first frame', () => {
    const { clock, out, c } = setup(constantAgent(0.5));
    clock.advance(1000);
    c.tick();
    expect(out).toHaveLength(0);
  });

  it('stops when the agent throws, and discards a result that takes longer than a period', async () => {
    let mode: 'throw' | 'slow' | 'ok' = 'throw';
    const ref: { clock?: ManualClock } = {};
    const agent: DriveAgent = {
      name: 'flaky',
      reset() {},
      act() {
        if (mode === 'throw') throw new Error('boom');
        ref.clock!.advance(mode === 'slow' ? 150 : 10);
        return new Float32Array(8).fill(0.25);
      },
    };
    const { clock, out, c } = setup(agent);
    ref.clock = clock;
    c.onImage(frame(), 1);
    await flush();
    expect(out.map((o) => o.stop)).toEqual(['inference-error']);
    mode = 'slow';
    clock.advance(100);
    c.onImage(frame(), 2);
    await flush();
    expect(out).toHaveLength(1); // slow result discarded, already stopped
    expect(c.stats.discarded).toBe(2);
    mode = 'ok';
    clock.advance(100);
    c.onImage(frame(), 3);
    await flush();
    expect(out).toHaveLength(2);
    expect(out[1]!.stop).toBeUndefined();
    expect(out[1]!.action[0]).toBeCloseTo(0.25);
  });

  it('emits a stop while a slow act() is still running (checked by tick)', async () => {
    let release: (a: Float32Array) => void = () => {};
    const agent: DriveAgent = { name: 'hang', reset() {}, act: () => new Promise<Float32Array>((r) => (release = r)) };
    const { clock, out, c } = setup(agent);
    c.onImage(frame(), 1);
    clock.advance(101);
    c.tick();
    expect(out.map((o) => o.stop)).toEqual(['inference-slow']);
    release(new Float32Array(8).fill(1));
    await flush();
    expect(out).toHaveLength(1);
  });

  it('e-stop latches output at stop until released, and commands never exceed limits', async () => {
    const { clock, out, c } = setup(constantAgent(1e9));
    c.onImage(frame(), 1);
    await flush();
    expect(out[0]!.action[0]).toBe(1); // clamped to world_vector.x max
    expect(out[0]!.requested![0]).toBe(1e9);
    c.onEStop(true);
    expect(out[1]!.stop).toBe('estop');
    for (let k = 2; k < 6; k++) {
      clock.advance(100);
      c.onImage(frame(), k);
      await flush();
    }
    expect(out).toHaveLength(2);
    c.onEStop(false);
    clock.advance(100);
    c.onImage(frame(), 9);
    await flush();
    expect(out).toHaveLength(3);
    for (const o of out) for (let i = 0; i < 8; i++) expect(Math.abs(o.action[i]!)).toBeLessThanOrEqual(robot.dof[i]!.max);
  });

  it('emits one final stop on shutdown and nothing after', async () => {
    const { out, c } = setup(constantAgent(0.1));
    const s = c.shutdown();
    expect(s.stop).toBe('shutdown');
    c.onImage(frame(), 1);
    await flush();
    expect(out).toHaveLength(1);
  });
});
