/** `lara serve` as a real child process: bind, answer a client, shut down on SIGINT; clear errors. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionClient } from '../../src/serve/client.ts';
import type { ActReply } from '../../src/serve/protocol.ts';
import { greyImage } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function serve(args: string[]) {
  const child = spawn('node', [resolve(ROOT, 'bin/lara.mjs'), 'serve', ...args], { cwd: ROOT, env: { ...process.env, LARA_DEBUG: '' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const endpoint = new Promise<string>((res, rej) => {
    child.stderr.on('data', () => {
      const m = /listening on (tcp:\/\/\S+)/.exec(stderr);
      if (m) res(m[1]!);
    });
    void exited.then(() => rej(new Error(`lara serve exited: ${stderr}`)));
  });
  endpoint.catch(() => undefined); // awaited only by tests that expect the server to come up
  return { child, endpoint, exited, stderr: () => stderr };
}

describe('lara serve CLI', () => {
  // both children start at once: CLI start-up dominates the time on a 2-core machine
  it('serves the random agent on a free port and stops on SIGINT; an unknown agent fails clearly', async () => {
    const s = serve(['--agent', 'random', '--robot', 'tabletop-sim', '--bind', 'tcp://127.0.0.1:0', '--duration', '60']);
    const bad = serve(['--agent', 'no/such/agent', '--robot', 'tabletop-sim', '--bind', 'tcp://127.0.0.1:0']);
    const ep = await s.endpoint;
    expect(ep).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const c = new ActionClient(ep, { timeoutMs: 5000 });
    try {
      const info = await c.info();
      expect(info.agent).toMatchObject({ spec: 'random', name: 'random' });
      expect(info.limits.length).toBe(8);
      const r = (await c.act({ image: greyImage(64, 64), width: 64, height: 64 })) as ActReply;
      expect(r.ok).toBe(true);
      expect(r.action.length).toBe(8);
    } finally {
      c.close();
    }
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(/stopped: 2 requests, 1 clients, 1 commands, 0 stops, 0 bad requests/);
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr()).toMatch(/--agent: unknown agent 'no\/such\/agent'/);
    expect(bad.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
