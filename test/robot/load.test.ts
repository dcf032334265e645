import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRobot, robotNames, validateRobot, groupOffset, ROBOTS_DIR } from '../../src/robot/load.ts';
import { LaraError } from '../../src/util/errors.ts';

const tabletop = () => JSON.parse(readFileSync(join(ROBOTS_DIR, 'tabletop-sim', 'robot.json'), 'utf8')) as Record<string, any>;

describe('loadRobot', () => {
  it('ships rt1, tabletop-sim and arm7 and they all validate', () => {
    const names = robotNames();
    for (const n of ['rt1', 'tabletop-sim', 'arm7']) expect(names).toContain(n);
    for (const n of names) expect(loadRobot(n).name).toBe(n);
  });

  it('rt1 has the fractal action space', () => {
    const r = loadRobot('rt1');
    expect(r.rateHz).toBe(3);
    expect(r.dof).toHaveLength(13);
    expect(r.groups!.map((g) => [g.name, g.size])).toEqual([
      ['world_vector', 3], ['rotation_delta', 3], ['gripper_closedness_action', 1],
      ['base_displacement_vector', 2], ['base_displacement_vertical_rotation', 1], ['terminate_episode', 3],
    ]);
    expect(r.dof[3]!.max).toBeCloseTo(Math.PI / 2);
    expect(r.dof[9]!.min).toBeCloseTo(-Math.PI);
    expect(r.cameras[0]).toMatchObject({ width: 320, height: 256, encoding: 'rgb8' });
    expect(groupOffset(r, 'terminate_episode')).toEqual({ start: 10, size: 3 });
  });

  it('tabletop-sim is the 8-dim RT-1 arm subset with topics', () => {
    const r = loadRobot('tabletop-sim');
    expect(r.dof.map((d) => d.name)).toEqual([
      'world_vector.x', 'world_vector.y', 'world_vector.z', 'rotation_delta.roll', 'rotation_delta.pitch', 'rotation_delta.yaw',
      'gripper_closedness_action', 'terminate_episode',
    ]);
    expect(r.command).toMatchObject({ topic: '/tabletop/command', messageType: 'std_msgs/Float64MultiArray' });
    expect(r.cameras[0]!.topic).toBe('/tabletop/camera/image_raw');
    expect(r.stateTopic).toBe('/tabletop/joint_states');
  });

  it('loads by folder or file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-robot-'));
    writeFileSync(join(dir, 'robot.json'), JSON.stringify({ ...tabletop(), name: 'mine' }));
    expect(loadRobot(dir).name).toBe('mine');
    expect(loadRobot(join(dir, 'robot.json')).name).toBe('mine');
  });

  it('names the file and field of a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-robot-'));
    const bad = tabletop();
    bad.dof[2].max = -5;
    const f = join(dir, 'robot.json');
    writeFileSync(f, JSON.stringify(bad));
    expect(() => loadRobot(f)).toThrow(LaraError);
    expect(() => loadRobot(f)).toThrow(`${f}: dof[2].max: invalid robot description; expected a number greater than min (-1), got -5`);
  });

  it('rejects unknown names, bad JSON, unknown fields, bad topics, mismatched groups', () => {
    expect(() => loadRobot('no-such-robot')).toThrow(/unknown robot 'no-such-robot'; expected one of .*tabletop-sim/);
    const dir = mkdtempSync(join(tmpdir(), 'lara-robot-'));
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'robot.json'), '{ nope');
    expect(() => loadRobot(join(dir, 'x'))).toThrow(/cannot parse robot description/);
    const base = tabletop();
    expect(() => validateRobot({ ...base, rateHZ: 3 }, 'f.json')).toThrow(/f.json: rateHZ: .*expected a known field/);
    expect(() => validateRobot({ ...base, command: { ...base.command, topic: 'tabletop/cmd' } }, 'f.json')).toThrow(/command.topic.*ROS topic/);
    expect(() => validateRobot({ ...base, groups: [{ name: 'a', size: 3 }] }, 'f.json')).toThrow(/groups.*summing to the number of DoF \(8\)/);
    expect(() => validateRobot({ ...base, cameras: [{ ...base.cameras[0], encoding: 'jpeg' }] }, 'f.json')).toThrow(/cameras\[0\].messageType/);
    const dup = tabletop();
    dup.dof[1].name = dup.dof[0].name;
    expect(() => validateRobot(dup, 'f.json')).toThrow(/dof\[1\].name/);
    const noStop = tabletop();
    noStop.dof[0].min = 0.5;
    expect(() => validateRobot(noStop, 'f.json')).toThrow(/dof\[0\].stop/);
  });
});
