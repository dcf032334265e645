import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { onPath, pingRosMaster } from '../../src/cli/doctor.ts';

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

describe('lara doctor', () => {
  it('--json reports wasm chosen, why tfjs-node was skipped, and the machine facts', () => {
    const out = execFileSync(process.execPath, ['bin/lara.mjs', 'doctor', '--json'], { encoding: 'utf8', env: { ...process.env, ROS_MASTER_URI: '' } });
    const r = JSON.parse(out);
    expect(r.backend.chosen).toBe('wasm');
    expect(r.backend.tried[1]).toMatchObject({ name: 'tensorflow', ok: false });
    expect(r.node).toBe(process.version);
    expect(r.npm.ok).toBe(true);
    expect(r.ros.master).toEqual({ ok: false, detail: 'ROS_MASTER_URI is not set' });
    expect(r.ffmpeg.bundled.ok).toBe(true);
    expect(typeof r.gpu.ok).toBe('boolean');
    expect(['loaded', 'not built', 'failed']).toContain(r.backend.accelerator.status);
  });

  it('the text form names the backend and each check', () => {
    const out = execFileSync(process.execPath, ['bin/lara.mjs', 'doctor'], { encoding: 'utf8' });
    expect(out).toMatch(/^backend\s+wasm/m);
    expect(out).toMatch(/skip tensorflow-gpu/);
    expect(out).toMatch(/^accelerator\s+/m);
    expect(out).toMatch(/^ffmpeg bundled\s+ok/m);
  });

  it('onPath skips node_modules/.bin (where @foxglove/ros1 puts a non-ROS roscore)', () => {
    const withBin = `${process.cwd()}/node_modules/.bin:/nonexistent`;
    expect(onPath('roscore', withBin)).toBeUndefined();
    expect(onPath('node', `${process.cwd()}/node_modules/.bin:${process.execPath.replace(/\/node$/, '')}`)).toBe(process.execPath);
  });

  it('a closed port is reported as no master', async () => {
    const port = await freePort();
    const c = await pingRosMaster(`http://127.0.0.1:${port}/`);
    expect(c.ok).toBe(false);
    expect(c.detail).toMatch(/no master/);
  });

  it.skipIf(!onPath('roscore'))('a real roscore on a free port is reported as answering', async () => {
    const port = await freePort();
    const child = spawn(onPath('roscore')!, ['-p', String(port)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ROS_HOME: `/tmp/lara-doctor-test-${port}` } });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    let exited = false;
    child.on('exit', () => (exited = true));
    try {
      let c = { ok: false, detail: '' };
      for (let i = 0; i < 180 && !c.ok && !exited; i++) {
        await new Promise((r) => setTimeout(r, 250));
        c = await pingRosMaster(`http://127.0.0.1:${port}/`);
      }
      expect(c.ok, `roscore output:\n${log}`).toBe(true);
      expect(c.detail).toMatch(/master answering .* \(pid \d+\)/);
    } finally {
      if (child.pid && !exited) process.kill(-child.pid, 'SIGINT');
    }
  }, 90_000);
});
