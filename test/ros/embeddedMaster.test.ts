/**
 * Without any ROS install: PATH holds only `node` (no roscore, no Python tools), msg packages
 * are generated from @foxglove/rosmsg-msgs-common, and ROS_MASTER_URI points at a free port.
 * `lara drive` must start its own master there; `lara sim --ros` then runs an episode through it;
 * stopping drive stops the master (by PID).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { masterAnswers, parseMasterUri } from '../../src/ros/master.ts';
import { freePort, lara, waitFor, type Proc } from './rosHarness.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('embedded master (no ROS installed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lara-noros-'));
  const procs: Proc[] = [];
  afterAll(async () => {
    for (const p of procs.reverse()) await p.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lara starts its own master when none answers, and nodes talk through it', async () => {
    symlinkSync(process.execPath, join(dir, 'node'));
    const port = await freePort();
    const uri = `http://127.0.0.1:${port}`;
    expect(parseMasterUri(uri).port).toBe(port);
    expect(await masterAnswers(uri, 500)).toBe(false);
    const env: NodeJS.ProcessEnv = { PATH: dir, HOME: join(dir, 'home'), ROS_MASTER_URI: uri, ROS_IP: '127.0.0.1', LARA_ROS_MSGS: 'generated' };

    const drive = lara(['drive', '--agent', 'random', '--robot', 'tabletop-sim', '--rate-hz', '20'], env);
    procs.push(drive);
    await waitFor(() => /started lara's embedded master \(pid \d+\)/.test(drive.err()) || drive.child.exitCode !== null, 150000, 'the embedded master');
    const pid = Number(/embedded master \(pid (\d+)\)/.exec(drive.err())![1]);
    expect(alive(pid)).toBe(true);
    expect(await masterAnswers(uri)).toBe(true);
    await waitFor(() => drive.err().includes('driving tabletop-sim'), 150000, 'lara drive to register');

    // a fixed-duration recording, ended early by SIGINT (the episode so far is kept)
    const rec = lara(['record', '--robot', 'tabletop-sim', '--out', join(dir, 'rec'), '--duration', '60', '--fps', '20'], env);
    procs.push(rec);
    await waitFor(() => rec.err().includes('recording tabletop-sim') || rec.child.exitCode !== null, 150000, 'lara record to start');

    const sim = lara(['sim', '--ros', '--episodes', '2', '--seed', '3', '--max-steps', '10', '--rate-hz', '20', '--min-subscribers', '2', '--json'], env);
    procs.push(sim);
    expect(await sim.exited).toBe(0);
    expect(sim.err()).toContain(`using the ROS master at ${uri}`);
    const r = JSON.parse(sim.out().trim().split('\n').pop()!) as { episodes: { steps: number }[] };
    expect(r.episodes).toHaveLength(2);
    for (const e of r.episodes) expect(e.steps).toBeGreaterThanOrEqual(1);

    expect(await rec.stop('SIGINT')).toBe(0);
    const steps = r.episodes.reduce((a, e) => a + e.steps, 0);
    expect(rec.err()).toMatch(/wrote 1 episodes, \d+ steps/);
    const recorded = Number(/wrote 1 episodes, (\d+) steps/.exec(rec.err())![1]);
    expect(recorded).toBeGreaterThanOrEqual(steps - 2);
    expect(existsSync(join(dir, 'rec', 'info.json'))).toBe(true);

    expect(await drive.stop('SIGINT')).toBe(0);
    expect(drive.err()).toMatch(/stopped: \d+ frames, [1-9]\d* commands/);
    await waitFor(() => !alive(pid), 5000, 'the embedded master to exit');
    expect(await masterAnswers(uri, 500)).toBe(false);
  }, 360_000);
});
