/** lara serve over real loopback ZeroMQ sockets: round trips, sessions, and bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { RandomAgent } from '../../src/agent/random.ts';
import { encodeCompressed } from '../../src/ros/image.ts';
import type { ActReply, ErrorReply } from '../../src/serve/protocol.ts';
import { FixedAgent, greyImage, startHarness, type Harness } from './harness.ts';

describe('lara serve: round trips with the random agent', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ makeAgent: () => new RandomAgent(h.robot), agentSpec: 'random' });
  });
  afterAll(() => h.close());

  it('info describes the robot, its limits and the agent', async () => {
    const c = h.client();
    const info = await c.info();
    expect(info.ok).toBe(true);
    expect(info.protocol).toBe(1);
    expect(info.robot.name).toBe('tabletop-sim');
    expect(info.action_names).toEqual(h.robot.dof.map((d) => d.name));
    expect(info.limits[7]).toEqual({ name: 'terminate_episode', unit: '1', min: 0, max: 1, max_delta: null, stop: 0 });
    expect(info.rate_hz).toBe(10);
    expect(info.deadline_ms).toBe(100);
    expect(info.agent).toEqual({ spec: 'random', name: 'random', input_size: null });
    expect(info.stop_action).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('act returns in-limit actions equal to the in-process agent after a seeded reset', async () => {
    const c = h.client();
    const reset = await c.reset('reach the red block', 42);
    expect(reset).toMatchObject({ ok: true, type: 'reset', instruction: 'reach the red block', seed: 42 });
    const local = new RandomAgent(h.robot);
    local.reset('reach the red block', 42);
    for (let t = 0; t < 5; t++) {
      const r = (await c.act({ image: greyImage(64, 64), width: 64, height: 64, state: [1, 2, 3], stamp: 1000 + t })) as ActReply;
      expect(r.ok).toBe(true);
      expect(r.type).toBe('act');
      expect(r.stamp).toBe(1000 + t);
      expect(r.stopped).toBeUndefined();
      expect(r.latency_ms).toBeGreaterThanOrEqual(0);
      expect(r.action).toEqual(Array.from(local.act({ image: new Uint8Array(0), state: new Float32Array(0) })));
      r.action.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(h.robot.dof[i]!.min);
        expect(v).toBeLessThanOrEqual(h.robot.dof[i]!.max);
      });
    }
  });

  it('each client has its own session (seq echoed, separate agents)', async () => {
    const a = h.client();
    const b = h.client();
    await a.reset('', 7);
    await b.reset('', 7);
    const ra = (await a.act({ image: greyImage(8, 8), width: 8, height: 8 })) as ActReply;
    const rb = (await b.act({ image: greyImage(8, 8), width: 8, height: 8 })) as ActReply;
    expect(ra.action).toEqual(rb.action); // same seed, independent agents: same first action
    expect(ra.seq).toBe(1); // reset was seq 0
    expect(h.server.sessions.size).toBeGreaterThanOrEqual(2);
  });

  it('decodes png and jpeg frames', async () => {
    const c = h.client();
    const img = { width: 32, height: 24, data: greyImage(32, 24, 90) };
    for (const enc of ['png', 'jpeg'] as const) {
      const bytes = (await encodeCompressed(img, enc)).data as Uint8Array;
      const r = await c.act({ image: bytes, width: 32, height: 24, encoding: enc });
      expect(r.ok).toBe(true);
    }
    const png = (await encodeCompressed(img, 'png')).data as Uint8Array;
    const bad = (await c.act({ image: png, width: 64, height: 64, encoding: 'png' })) as ErrorReply;
    expect(bad).toMatchObject({ ok: false, field: 'image', expected: 'a 64x64 png image (as declared by width/height)', got: '32x24', stopped: true, reason: 'bad-request' });
  });
});

describe('lara serve: bad requests get ok:false replies and the server keeps serving', () => {
  let h: Harness;
  let agent: FixedAgent;
  let client: ReturnType<Harness['client']> | undefined;
  beforeAll(async () => {
    h = await startHarness({ makeAgent: () => (agent = new FixedAgent(() => 0.25, 8)) });
  });
  afterAll(() => h.close());

  const cases: [string, Record<string, unknown> | string, Uint8Array[], string][] = [
    ['non-JSON header', '{"v":1,', [], 'header'],
    ['header that is not an object', '[1,2,3]', [], 'header'],
    ['wrong protocol version', { v: 2, type: 'act', seq: 0 }, [], 'v'],
    ['unknown type', { v: 1, type: 'teleport', seq: 1 }, [], 'type'],
    ['missing seq', { v: 1, type: 'info' }, [], 'seq'],
    ['act without an image frame', { v: 1, type: 'act', seq: 2, width: 4, height: 4, encoding: 'rgb8' }, [], 'frames'],
    ['missing width', { v: 1, type: 'act', seq: 3, height: 4, encoding: 'rgb8' }, [greyImage(4, 4)], 'width'],
    ['unknown encoding', { v: 1, type: 'act', seq: 4, width: 4, height: 4, encoding: 'yuv' }, [greyImage(4, 4)], 'encoding'],
    ['wrong image size', { v: 1, type: 'act', seq: 5, width: 64, height: 64, encoding: 'rgb8' }, [greyImage(64, 63)], 'image'],
    ['undecodable png', { v: 1, type: 'act', seq: 6, width: 4, height: 4, encoding: 'png' }, [Buffer.from('not a png')], 'image'],
    ['ragged state frame', { v: 1, type: 'act', seq: 7, width: 4, height: 4, encoding: 'rgb8' }, [greyImage(4, 4), new Uint8Array(5)], 'state'],
    ['too many frames', { v: 1, type: 'act', seq: 8, width: 4, height: 4, encoding: 'rgb8' }, [greyImage(4, 4), new Uint8Array(4), new Uint8Array(4)], 'frames'],
  ];

  it.each(cases)('%s', async (_name, header, frames, field) => {
    const c = (client ??= h.client());
    const head = typeof header === 'string' ? Buffer.from(header) : Buffer.from(JSON.stringify(header));
    const r = (await c.sendFrames([head, ...frames])) as ErrorReply;
    expect(r.ok).toBe(false);
    expect(r.field).toBe(field);
    expect(typeof r.expected).toBe('string');
    expect(r.error).toContain(field);
    expect(r.action).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.reason).toBe('bad-request');
    if (typeof header === 'object' && typeof header.seq === 'number') expect(r.seq).toBe(header.seq);
    // the same server still serves this client
    const ok = (await c.act({ image: greyImage(4, 4), width: 4, height: 4 })) as ActReply;
    expect(ok.ok).toBe(true);
    expect(ok.action[0]).toBe(0.25);
  });

  it('serves a DEALER client that sends the delimiter, and one that does not', async () => {
    for (const delimiter of [true, false]) {
      const d = new zmq.Dealer({ linger: 0, receiveTimeout: 3000 });
      d.connect(h.server.endpoint);
      const head = Buffer.from(JSON.stringify({ v: 1, type: 'act', seq: 99, width: 2, height: 2, encoding: 'rgb8' }));
      await d.send([...(delimiter ? [Buffer.alloc(0)] : []), head, Buffer.from(greyImage(2, 2))]);
      const reply = await d.receive();
      const body = delimiter ? reply.slice(1) : reply;
      expect(JSON.parse(body[0]!.toString())).toMatchObject({ ok: true, seq: 99, action: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25] });
      d.close();
    }
  });

  it('a flood of garbage from a raw socket does not stop the server', async () => {
    const d = new zmq.Dealer({ linger: 0, receiveTimeout: 3000 });
    d.connect(h.server.endpoint);
    const junk = [[Buffer.from([0xff, 0xfe])], [Buffer.alloc(0), Buffer.from('null')], [Buffer.alloc(0), Buffer.from('{"v":1,"type":"act","seq":1e400}')], [Buffer.alloc(0), Buffer.alloc(0)]];
    for (const m of junk) await d.send(m);
    let oks = 0;
    for (let i = 0; i < junk.length; i++) {
      const r = await d.receive();
      const last = JSON.parse(r[r.length - 1]!.toString()) as { ok: boolean };
      if (!last.ok) oks++;
    }
    expect(oks).toBe(junk.length);
    d.close();
    const c = h.client();
    expect((await c.info()).ok).toBe(true);
    const r = (await c.act({ image: greyImage(4, 4), width: 4, height: 4 })) as ActReply;
    expect(r.ok).toBe(true);
    expect(agent.seen.length).toBe(1); // this client's fresh agent saw exactly this frame
    expect(Array.from(agent.seen[0]!.image)).toEqual(Array.from(greyImage(4, 4)));
  });
});
