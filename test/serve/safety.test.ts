/** lara serve safety over real loopback sockets: limits, rate limits, e-stop, deadline, agent faults. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServeAgent } from '../../src/serve/agents.ts';
import { ServeExpertAgent } from '../../src/serve/agents.ts';
import type { ActReply, ErrorReply } from '../../src/serve/protocol.ts';
import { FixedAgent, SlowAgent, greyImage, startHarness, type Harness } from './harness.ts';

const img = { image: greyImage(16, 16), width: 16, height: 16 };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('lara serve: limits and rate limits', () => {
  it('never exceeds arm7 limits or rate limits, even for huge and non-finite requests', async () => {
    const wild = [1e6, -1e6, NaN, Infinity, -Infinity, 3, -3, 0.1];
    h = await startHarness({ makeAgent: () => new FixedAgent((i, t) => wild[(i + t) % wild.length]!, 8) }, 'arm7');
    const c = h.client();
    let prev: number[] = h.robot.dof.map(() => 0); // a fresh session's first command is only limit-clamped
    let first = true;
    for (let t = 0; t < 24; t++) {
      const r = (await c.act(img)) as ActReply;
      expect(r.ok).toBe(true);
      expect(r.stopped).toBeUndefined();
      r.action.forEach((v, i) => {
        const d = h!.robot.dof[i]!;
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(d.min);
        expect(v).toBeLessThanOrEqual(d.max);
        if (!first) expect(Math.abs(v - prev[i]!)).toBeLessThanOrEqual(d.maxDelta! + 1e-6);
        const req = wild[(i + t) % wild.length]!;
        if (!Number.isFinite(req) || Math.abs(req) > d.max || (!first && Math.abs(req - prev[i]!) > d.maxDelta! + 1e-6)) expect(r.clamped[i]).toBe(true);
      });
      prev = r.action;
      first = false;
    }
  });

  it('clamps a huge request to exactly the limit on a robot without rate limits', async () => {
    h = await startHarness({ makeAgent: () => new FixedAgent((i) => (i % 2 ? -1e9 : 1e9), 8) });
    const r = (await h.client().act(img)) as ActReply;
    r.action.forEach((v, i) => {
      const d = h!.robot.dof[i]!;
      const limit = i % 2 ? d.min : d.max;
      expect(v).toBeLessThanOrEqual(d.max);
      expect(v).toBeGreaterThanOrEqual(d.min);
      expect(Math.abs(v - limit)).toBeLessThan(1e-6); // the float32 at the limit, stepped inside
    });
    expect(r.clamped).toEqual(new Array(8).fill(true));
  });
});

describe('lara serve: e-stop latch', () => {
  it('stops every client until released, without running the agent, then resumes rate-limited from stop', async () => {
    const agents: FixedAgent[] = [];
    h = await startHarness({ makeAgent: () => (agents.push(new FixedAgent(() => 2, 8)), agents.at(-1)!) }, 'arm7');
    const a = h.client();
    const b = h.client();
    expect(((await b.act(img)) as ActReply).action[0]).toBe(2); // first command: limit-clamped only
    const e = await a.estop();
    expect(e).toMatchObject({ ok: true, type: 'estop', engaged: true, action: [0, 0, 0, 0, 0, 0, 0, 0] });
    const seen = () => agents.reduce((n, x) => n + x.seen.length, 0);
    const seenBefore = seen();
    for (const c of [a, b, b]) {
      const r = (await c.act(img)) as ActReply;
      expect(r).toMatchObject({ ok: true, stopped: true, reason: 'estop', action: [0, 0, 0, 0, 0, 0, 0, 0] });
    }
    expect(seen()).toBe(seenBefore); // no agent ran while e-stopped
    expect((await a.info()).estop).toBe(true);
    expect(await b.release()).toMatchObject({ ok: true, type: 'release', engaged: false });
    const r = (await b.act(img)) as ActReply;
    expect(r.stopped).toBeUndefined();
    expect(r.action.slice(0, 7)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]); // stop + maxDelta, not 2
    expect(r.action[7]).toBe(0.25);
  });

  it('an e-stop is accepted even when the server is full', async () => {
    h = await startHarness({ makeAgent: () => new FixedAgent(() => 0.1, 8), maxClients: 1, idleMs: 60_000 });
    const a = h.client();
    const b = h.client();
    expect((await a.act(img)).ok).toBe(true);
    const full = (await b.act(img)) as ErrorReply;
    expect(full).toMatchObject({ ok: false, field: 'client', reason: 'bad-request' });
    expect(await b.estop()).toMatchObject({ ok: true, engaged: true });
    expect(await a.act(img)).toMatchObject({ ok: true, stopped: true, reason: 'estop' });
  });

  it('admits a new client by evicting one idle longer than idleMs', async () => {
    h = await startHarness({ makeAgent: () => new FixedAgent(() => 0.1, 8), maxClients: 1, idleMs: 50 });
    expect((await h.client().act(img)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect((await h.client().act(img)).ok).toBe(true);
    expect(h.server.sessions.size).toBe(1);
  });
});

describe('lara serve: start-up errors', () => {
  it('an unusable endpoint is a LaraError naming --bind', async () => {
    await expect(startHarness({ makeAgent: () => new FixedAgent(() => 0, 8), bind: 'bogus://x' })).rejects.toThrow(/--bind: cannot bind the action server.*got bogus:\/\/x/);
  });
});

describe('lara serve: deadline and agent faults', () => {
  it('answers a slow async agent with a stop at the deadline, stays stopped while it runs, then recovers', async () => {
    const agent = new SlowAgent((call) => (call === 0 ? 400 : 0), 8);
    h = await startHarness({ makeAgent: () => agent, deadlineMs: 60 });
    const c = h.client();
    const t0 = performance.now();
    const r1 = (await c.act(img)) as ActReply;
    const waited = performance.now() - t0;
    expect(r1).toMatchObject({ ok: true, stopped: true, reason: 'inference-slow', action: [0, 0, 0, 0, 0, 0, 0, 0] });
    expect(r1.error).toMatch(/deadline/);
    expect(waited).toBeLessThan(300); // the reply did not wait for the agent
    expect(agent.finished).toBe(0);
    const r2 = (await c.act(img)) as ActReply;
    expect(r2).toMatchObject({ stopped: true, reason: 'inference-slow', error: 'the previous act() is still running' });
    expect(agent.calls).toBe(1); // not called again while busy
    await new Promise((r) => setTimeout(r, 450));
    expect(agent.finished).toBe(1);
    const r3 = (await c.act(img)) as ActReply;
    expect(r3.stopped).toBeUndefined();
    expect(r3.action[0]).toBe(0.5);
  });

  it('answers a synchronous agent that blocks past the deadline with a stop', async () => {
    const blocking: ServeAgent = {
      name: 'blocking',
      reset() {},
      act() {
        const until = performance.now() + 80;
        while (performance.now() < until);
        return new Float32Array(8).fill(0.3);
      },
    };
    h = await startHarness({ makeAgent: () => blocking, deadlineMs: 30 });
    const r = (await h.client().act(img)) as ActReply;
    expect(r).toMatchObject({ ok: true, stopped: true, reason: 'inference-slow' });
    expect(r.latency_ms).toBeGreaterThanOrEqual(80);
  });

  it('answers an agent that throws, or returns the wrong length, with an inference-error stop', async () => {
    let n = 0;
    const faulty: ServeAgent = {
      name: 'faulty',
      reset() {},
      act() {
        n++;
        if (n === 1) throw new Error('policy exploded');
        if (n === 2) return new Float32Array(3);
        return new Float32Array(8).fill(0.2);
      },
    };
    h = await startHarness({ makeAgent: () => faulty });
    const c = h.client();
    expect(await c.act(img)).toMatchObject({ ok: true, stopped: true, reason: 'inference-error', error: 'policy exploded', action: [0, 0, 0, 0, 0, 0, 0, 0] });
    const r2 = (await c.act(img)) as ActReply;
    expect(r2).toMatchObject({ stopped: true, reason: 'inference-error' });
    expect(r2.error).toMatch(/wrong length/);
    const r3 = (await c.act(img)) as ActReply;
    expect(r3.stopped).toBeUndefined();
    expect(r3.action[0]).toBeCloseTo(0.2, 6);
  });

  it('refuses a state frame shorter than the agent reads, and passes a long enough one through', async () => {
    const agent = Object.assign(new FixedAgent(() => 0.1, 8), { minState: 6 });
    h = await startHarness({ makeAgent: () => agent });
    const c = h.client();
    expect(await c.act({ ...img, state: [1, 2, 3] })).toMatchObject({ ok: false, field: 'state', got: '3 values' });
    expect(await c.act({ ...img, state: [1, 2, 3, 4, 5, 6.5] })).toMatchObject({ ok: true });
    expect(Array.from(agent.seen.at(-1)!.state)).toEqual([1, 2, 3, 4, 5, 6.5]);
  });

  it('the expert agent rejects requests without a usable expert_state', async () => {
    h = await startHarness({ makeAgent: () => new ServeExpertAgent() });
    const c = h.client();
    expect(await c.act(img)).toMatchObject({ ok: false, field: 'expert_state', stopped: true });
    expect(await c.act({ ...img, expertState: { scene: { gripper: {} }, task: {}, config: {}, success: false } })).toMatchObject({ ok: false, field: 'expert_state.scene' });
  });
});
