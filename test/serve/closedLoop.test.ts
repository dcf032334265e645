/**
 * Closed loop over ZeroMQ: the TS client steps the in-process tabletop simulator with actions
 * the scripted expert serves over a loopback socket, and must reproduce the in-process expert
 * rollout exactly (same actions, same steps, same success) for several seeded episodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServeExpertAgent, expertStateOf } from '../../src/serve/agents.ts';
import type { ActReply } from '../../src/serve/protocol.ts';
import { TabletopEnv, episodeSeed, rolloutExpert } from '../../src/sim/index.ts';
import { startHarness, type Harness } from './harness.ts';

describe('lara serve closed loop with the tabletop simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ makeAgent: () => new ServeExpertAgent(), agentSpec: 'expert' });
  });
  afterAll(() => h.close());

  it('served expert matches the in-process expert on seeded episodes', async () => {
    const c = h.client();
    const results: { seed: number; success: boolean; steps: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const seed = episodeSeed(1, i); // reach, push and pick-place episodes
      const ref = rolloutExpert(new TabletopEnv(), seed);
      const env = new TabletopEnv();
      let obs = env.reset(seed);
      expect(await c.reset(env.instruction, seed)).toMatchObject({ ok: true });
      const actions: Float32Array[] = [];
      let done = false;
      let success = env.success;
      while (!done) {
        const r = (await c.act({ image: obs.image, width: env.spec.width, height: env.spec.height, state: obs.state, expertState: expertStateOf(env) })) as ActReply;
        expect(r.ok).toBe(true);
        expect(r.stopped).toBeUndefined();
        const a = Float32Array.from(r.action);
        actions.push(a);
        const s = env.step(a);
        obs = s.obs;
        done = s.done;
        success = s.success;
      }
      expect(actions.length).toBe(ref.steps);
      expect(success).toBe(ref.success);
      expect(actions.map((a) => Array.from(a))).toEqual(ref.episode.actions!.slice(0, ref.steps).map((a) => Array.from(a)));
      results.push({ seed, success, steps: actions.length });
    }
    expect(results.filter((r) => r.success).length).toBe(5); // the in-process expert solves all five
    expect(results.reduce((n, r) => n + r.steps, 0)).toBeGreaterThan(100);
  });
});
