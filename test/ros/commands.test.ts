import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, gripperIndex } from '../../src/ros/commands.ts';
import { loadRobot, validateRobot } from '../../src/robot/load.ts';
import type { RobotDescription } from '../../src/robot/description.ts';

const arm = loadRobot('arm7');
const sim = loadRobot('tabletop-sim');

function variant(base: RobotDescription, command: RobotDescription['command']): RobotDescription {
  return validateRobot({ ...JSON.parse(JSON.stringify(base)), command });
}

describe('command messages', () => {
  it('Float64MultiArray carries every DoF in order', () => {
    const a = [0.1, -0.2, 0.3, 0, 0, 0.5, -1, 1];
    const m = encodeCommand(sim, a).main as { data: number[]; layout: { dim: { size: number }[] } };
    expect(m.data).toEqual(a);
    expect(m.layout.dim[0]!.size).toBe(8);
    expect(Array.from(decodeCommand(sim, m))).toEqual(Array.from(Float32Array.from(a)));
    expect(() => decodeCommand(sim, { data: [1, 2] })).toThrow(/wrong number of values; expected 8, got 2/);
  });

  it('splits the gripper onto its own topic when declared', () => {
    expect(gripperIndex(arm)).toBe(7);
    const a = [1, 2, 3, 4, 5, 6, 7, 0.5];
    const e = encodeCommand(arm, a);
    expect((e.main as { data: number[] }).data).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(e.gripper).toEqual({ data: 0.5 });
    expect(encodeCommand(sim, a).gripper).toBeUndefined();
  });

  it('Twist maps named DoF to linear/angular axes', () => {
    const r = variant(sim, { topic: '/cmd_vel', messageType: 'geometry_msgs/Twist', twist: { linear: ['world_vector.x', 'world_vector.y'], angular: [null, null, 'rotation_delta.yaw'] as never } });
    const m = encodeCommand(r, [0.5, -0.25, 0.9, 0, 0, 0.3, 1, 0]).main;
    expect(m).toEqual({ linear: { x: 0.5, y: -0.25, z: 0 }, angular: { x: 0, y: 0, z: 0.3 } });
    const back = decodeCommand(r, m);
    expect([back[0], back[1], back[5]]).toEqual([0.5, -0.25, Math.fround(0.3)]);
  });

  it('JointTrajectory and JointState name the joints; velocities for rate units', () => {
    const jt = variant(arm, { topic: '/traj', messageType: 'trajectory_msgs/JointTrajectory', gripperTopic: '/g' });
    const a = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1];
    const m = encodeCommand(jt, a).main as { joint_names: string[]; points: { velocities: number[]; positions: number[]; time_from_start: { nsecs: number } }[] };
    expect(m.joint_names).toHaveLength(7);
    expect(m.points[0]!.velocities).toEqual(a.slice(0, 7));
    expect(m.points[0]!.positions).toEqual([]);
    expect(m.points[0]!.time_from_start.nsecs).toBe(50_000_000); // 1 / 20 Hz
    expect(Array.from(decodeCommand(jt, m)).slice(0, 7)).toEqual(Array.from(Float32Array.from(a.slice(0, 7))));

    const js = variant(sim, { topic: '/js', messageType: 'sensor_msgs/JointState' });
    const s = encodeCommand(js, [0.1, 0, 0, 0, 0, 0, 0, 0]).main as { name: string[]; position: number[]; velocity: number[] };
    expect(s.name[0]).toBe('world_vector.x');
    expect(s.position[0]).toBe(0.1);
    expect(s.velocity).toEqual([]);
    // a JointState naming only some joints, in another order, updates just those
    const part = decodeCommand(js, { name: ['gripper_closedness_action', 'world_vector.y'], position: [1, -0.5], velocity: [] });
    expect([part[6], part[1], part[0]]).toEqual([1, -0.5, 0]);
  });
});
