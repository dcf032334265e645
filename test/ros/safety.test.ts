/**
 * Safety over a REAL roscore, with the Python ROS tools as the independent peer: an agent that
 * asks for huge values never gets a command past the limits or rate limits; the e-stop latches;
 * the watchdog stops the robot when the camera (published by `rostopic pub`) goes silent.
 * The drive node runs in this process (custom agent); checks use its applied-command topic, the
 * robot's command topics, and a `rosbag record` of them read back with @foxglove/rosbag.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadRobot, resolveRobotFile } from '../../src/robot/load.ts';
import { startDriveNode, type DriveNode } from '../../src/ros/driveNode.ts';
import { openBag } from '../../src/data/bag/openBag.ts';
import type { AppliedCommandMsg } from '../../src/ros/topics.ts';
import type { DriveAgent } from '../../src/ros/controller.ts';
import { rosSkipReason, rosTool, sleep, stopRosbag, startRoscore, waitFor, type Proc, type Roscore } from './rosHarness.ts';

const skip = rosSkipReason();
const RATE = 10; // Hz: period 100 ms
const PERIOD = 1000 / RATE;

/** An agent that asks for far more than any limit, alternating sign, with a NaN. */
class GreedyAgent implements DriveAgent {
  readonly name = 'greedy';
  #k = 0;
  reset() {}
  act(): Float32Array {
    const s = this.#k++ % 2 === 0 ? 1 : -1;
    const a = new Float32Array(8).fill(s * 1e6);
    a[3] = NaN;
    return a;
  }
}

describe.skipIf(skip)(`safety over a real roscore${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lara-safety-'));
  const procs: Proc[] = [];
  let core: Roscore | undefined;
  let drive: DriveNode | undefined;
  afterAll(async () => {
    await drive?.stop();
    for (const p of procs.reverse()) await p.stop('SIGINT');
    await core?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('clamps and rate-limits every command, latches the e-stop, and stops on camera silence', async () => {
    core = await startRoscore();
    const env = core.env;
    // arm7 (joint velocities with maxDelta, separate gripper topic) with a tiny camera
    const raw = JSON.parse(readFileSync(resolveRobotFile('arm7'), 'utf8'));
    raw.cameras = [{ ...raw.cameras[0], width: 4, height: 2 }];
    const robotFile = join(dir, 'robot.json');
    writeFileSync(robotFile, JSON.stringify(raw));
    const robot = loadRobot(robotFile);
    const cam = robot.cameras[0]!;

    const bagPath = join(dir, 'safety.bag');
    const bag = rosTool('rosbag', ['record', '-O', bagPath, robot.command.topic, robot.command.gripperTopic!], env);
    procs.push(bag);

    drive = await startDriveNode({ robot, masterUri: core.uri, makeAgent: () => new GreedyAgent(), instruction: '', rateHz: RATE, handleSignals: false });
    const applied: (AppliedCommandMsg & { at: number })[] = [];
    const commands: number[][] = [];
    const frames: number[] = [];
    drive.node.subscribe('/lara/applied_command', 'std_msgs/String', (m: { data: string }) => applied.push({ ...(JSON.parse(m.data) as AppliedCommandMsg), at: performance.now() }), { queueSize: 100 });
    drive.node.subscribe(robot.command.topic, robot.command.messageType, (m: { data: number[] }) => commands.push(Array.from(m.data)), { queueSize: 100 });
    drive.node.subscribe(cam.topic, cam.messageType, () => frames.push(performance.now()), { queueSize: 100 });
    await sleep(1500); // rosbag subscribed

    const data = Array.from({ length: 4 * 2 * 3 }, (_, i) => (i * 11) % 256);
    const img = `{header: {seq: 0, frame_id: cam}, height: 2, width: 4, encoding: rgb8, is_bigendian: 0, step: 12, data: [${data.join(',')}]}`;
    const camPub = rosTool('rostopic', ['pub', '-r', '20', cam.topic, 'sensor_msgs/Image', img], env);
    procs.push(camPub);
    await waitFor(() => applied.filter((a) => !a.stop).length >= 8, 30000, 'commands from the drive node');

    // e-stop from the Python peer: latched at stop while frames keep coming
    const on = rosTool('rostopic', ['pub', '-1', '/lara/estop', 'std_msgs/Bool', 'data: true'], env);
    procs.push(on);
    await waitFor(() => applied.some((a) => a.stop === 'estop'), 20000, 'e-stop');
    const estopAt = applied.findIndex((a) => a.stop === 'estop');
    const framesAtEstop = frames.length;
    await sleep(8 * PERIOD);
    expect(frames.length - framesAtEstop).toBeGreaterThan(5);
    expect(applied.slice(estopAt + 1)).toEqual([]); // nothing but the one stop while latched
    const off = rosTool('rostopic', ['pub', '-1', '/lara/estop', 'std_msgs/Bool', 'data: false'], env);
    procs.push(off);
    await waitFor(() => applied.slice(estopAt + 1).some((a) => !a.stop), 20000, 'driving after release');
    const resumed = applied.slice(estopAt + 1).find((a) => !a.stop)!;
    // resumes rate-limited from the stop values
    expect(Math.max(...resumed.applied.slice(0, 7).map(Math.abs))).toBeLessThanOrEqual(0.5 + 1e-6);

    // watchdog: silence the camera
    await sleep(5 * PERIOD);
    await camPub.stop('SIGINT');
    const lastFrame = frames[frames.length - 1]!;
    await waitFor(() => applied.some((a) => a.stop === 'camera-stale'), 5000, 'watchdog stop');
    const stale = applied.find((a) => a.stop === 'camera-stale')!;
    const delay = stale.at - lastFrame;
    console.log(`watchdog: stop ${delay.toFixed(0)} ms after the last frame (control period ${PERIOD} ms)`);
    expect(delay).toBeGreaterThanOrEqual(2 * PERIOD - 15);
    expect(delay).toBeLessThanOrEqual(2.75 * PERIOD + 50);
    expect(stale.applied.every((v) => v === 0)).toBe(true);

    await drive.stop();
    drive = undefined;
    await sleep(300);
    await stopRosbag(bag, bagPath);

    // every command, as seen in-process and as recorded by rosbag, within limits and rate limits
    const ob = await openBag(bagPath);
    const bagged: number[][] = [];
    const grips: number[] = [];
    try {
      for await (const m of ob.bag.messageIterator({ topics: [robot.command.topic, robot.command.gripperTopic!] })) {
        const d = (m.message as { data: number[] | number }).data;
        if (m.topic === robot.command.topic) bagged.push(Array.from(d as number[]));
        else grips.push(d as number);
      }
    } finally {
      await ob.close();
    }
    expect(bagged.length).toBeGreaterThanOrEqual(10);
    expect(bagged.length).toBe(grips.length);
    for (const cmds of [commands, bagged]) {
      for (const c of cmds) {
        expect(c).toHaveLength(7);
        c.forEach((v, i) => {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(robot.dof[i]!.min);
          expect(v).toBeLessThanOrEqual(robot.dof[i]!.max);
        });
      }
    }
    for (const g of grips) expect(g >= 0 && g <= 1).toBe(true);
    // rate limits between consecutive driving commands (stops may jump to zero)
    const driving = applied.filter((a) => !a.stop);
    for (let k = 1; k < driving.length; k++) {
      const prev = applied[applied.indexOf(driving[k]!) - 1]!;
      driving[k]!.applied.forEach((v, i) => expect(Math.abs(v - prev.applied[i]!)).toBeLessThanOrEqual(robot.dof[i]!.maxDelta! + 1e-6));
    }
    expect(driving.every((a) => a.requested!.some((v) => v === null || Math.abs(v) >= 1e6))).toBe(true);
    expect(driving.every((a) => a.clamped.some(Boolean))).toBe(true);
    expect(applied[applied.length - 1]!.stop).toBe('shutdown');
    expect(bagged[bagged.length - 1]!.every((v) => v === 0)).toBe(true);
  });
});
