import { describe, expect, it } from 'vitest';
import { EpisodeRecorder } from '../../src/ros/recorder.ts';
import { loadRobot } from '../../src/robot/load.ts';
import type { Episode } from '../../src/data/episode.ts';

const robot = loadRobot('tabletop-sim'); // 10 Hz, camera 64x64, 8 DoF, 6 state names
const img = (v: number) => ({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(v) });
const cmd = (v: number) => new Float32Array(8).fill(v);

function recorder(fps?: number) {
  const eps: Episode[] = [];
  const r = new EpisodeRecorder({ robot, fps, onEpisode: (e) => void eps.push(e) });
  return { r, eps };
}

describe('EpisodeRecorder', () => {
  it("pairs each frame with the command that answered it, ends with the last command", async () => {
    const { r, eps } = recorder();
    r.onFrame(img(9), 0, 1); // before start: not recorded
    r.start('reach the red block', { seed: 3 });
    r.onFrame(img(1), 1000, 2);
    r.onCommand(cmd(0.1));
    r.onFrame(img(2), 1100, 3);
    r.onCommand(cmd(0.2));
    r.onFrame(img(3), 1200, 4);
    r.onCommand(cmd(0.3));
    await r.end({ success: true });
    expect(eps).toHaveLength(1);
    const e = eps[0]!;
    expect(e.instruction).toBe('reach the red block');
    expect(e.timestamps).toEqual([0, 0.1, 0.2]);
    expect(e.cameras.image!.frames.map((f) => f[0])).toEqual([1, 2, 3]);
    expect(e.actions!.map((a) => a[0])).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(e.states).toHaveLength(3);
    expect(e.metadata).toMatchObject({ seed: 3, success: true, robot: 'tabletop-sim' });
  });

  it('downsamples to fps, keeping the last command of the dropped frames', async () => {
    const { r, eps } = recorder(10);
    r.start();
    for (let k = 0; k < 9; k++) {
      r.onFrame(img(k), k * 33, k + 1); // 30 Hz camera
      r.onCommand(cmd(k));
    }
    await r.end();
    const e = eps[0]!;
    expect(e.cameras.image!.frames.map((f) => f[0])).toEqual([0, 3, 6]);
    expect(e.actions!.map((a) => a[0])).toEqual([2, 5, 8]);
  });

  it('assigns frames by sequence number around episode boundaries', async () => {
    const { r, eps } = recorder();
    r.start('a', {}, 1);
    r.onFrame(img(1), 0, 1);
    r.onCommand(cmd(1));
    r.onFrame(img(2), 100, 2); // first frame of the next episode arrives before the end signal
    await r.end({}, 1);
    r.start('b', {}, 2);
    r.onCommand(cmd(2));
    r.onFrame(img(3), 200, 3);
    r.onCommand(cmd(3));
    await r.end({}, 3);
    expect(eps.map((e) => e.cameras.image!.frames.map((f) => f[0]))).toEqual([[1], [2, 3]]);
    expect(eps.map((e) => e.actions!.map((a) => a[0]))).toEqual([[1], [2, 3]]);
    expect(eps[1]!.timestamps).toEqual([0, 0.1]);
  });

  it('drops an episode without frames', async () => {
    const { r, eps } = recorder();
    r.start();
    r.onCommand(cmd(1));
    await r.end();
    expect(eps).toHaveLength(0);
  });
});
