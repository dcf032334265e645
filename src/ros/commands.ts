/**
 * Native action vectors <-> command messages, per the robot description's command spec:
 *   std_msgs/Float64MultiArray   data = the DoF values in description order
 *   geometry_msgs/Twist          command.twist names the DoF for linear.xyz / angular.xyz
 *   trajectory_msgs/JointTrajectory  joint_names = DoF names, one point, time_from_start = 1 period
 *   sensor_msgs/JointState       name = DoF names; velocity when every unit is a rate ("/s"), else position
 * With command.gripperTopic, the gripper DoF (the DoF named "gripper" or starting with "gripper")
 * is left out of the main message and sent as std_msgs/Float64 on that topic.
 */
import type { RobotDescription } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';

export interface EncodedCommand {
  main: unknown;
  /** std_msgs/Float64 for command.gripperTopic, when declared. */
  gripper?: { data: number };
}

/** Index of the gripper DoF when a separate gripper topic is declared, else -1. */
export function gripperIndex(desc: RobotDescription): number {
  if (!desc.command.gripperTopic) return -1;
  const exact = desc.dof.findIndex((d) => d.name === 'gripper');
  if (exact >= 0) return exact;
  return desc.dof.findIndex((d) => d.name.startsWith('gripper'));
}

/** DoF indices carried by the main command message. */
export function mainIndices(desc: RobotDescription): number[] {
  const g = gripperIndex(desc);
  return desc.dof.map((_, i) => i).filter((i) => i !== g);
}

function twistSlots(desc: RobotDescription): Array<[keyof TwistMsg, 'x' | 'y' | 'z', number]> {
  const spec = desc.command.twist;
  if (!spec) throw new LaraError('Twist command needs command.twist', { where: `robot ${desc.name}: command.twist`, expected: 'DoF names for linear/angular axes', got: 'nothing' });
  const slots: Array<[keyof TwistMsg, 'x' | 'y' | 'z', number]> = [];
  for (const part of ['linear', 'angular'] as const) {
    (spec[part] ?? []).forEach((name, k) => {
      if (!name) return;
      const i = desc.dof.findIndex((d) => d.name === name);
      if (i < 0) throw new LaraError('command.twist names an unknown DoF', { where: `robot ${desc.name}: command.twist.${part}[${k}]`, expected: desc.dof.map((d) => d.name).join(', '), got: name });
      slots.push([part, (['x', 'y', 'z'] as const)[k]!, i]);
    });
  }
  return slots;
}

interface Vec3 {
  x: number;
  y: number;
  z: number;
}
interface TwistMsg {
  linear: Vec3;
  angular: Vec3;
}

function usesVelocity(desc: RobotDescription, idx: number[]): boolean {
  return idx.length > 0 && idx.every((i) => desc.dof[i]!.unit.includes('/s'));
}

/** Build the command message(s) for an action (already clamped). */
export function encodeCommand(desc: RobotDescription, action: ArrayLike<number>, stampMs = Date.now()): EncodedCommand {
  const idx = mainIndices(desc);
  const vals = idx.map((i) => Number(action[i]));
  const g = gripperIndex(desc);
  const gripper = g >= 0 ? { data: Number(action[g]) } : undefined;
  const stamp = { secs: Math.floor(stampMs / 1000), nsecs: Math.round((stampMs % 1000) * 1e6) };
  let main: unknown;
  switch (desc.command.messageType) {
    case 'std_msgs/Float64MultiArray':
      main = { layout: { dim: [{ label: 'dof', size: vals.length, stride: vals.length }], data_offset: 0 }, data: vals };
      break;
    case 'geometry_msgs/Twist': {
      const t: TwistMsg = { linear: { x: 0, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } };
      for (const [part, axis, i] of twistSlots(desc)) t[part][axis] = Number(action[i]);
      main = t;
      break;
    }
    case 'trajectory_msgs/JointTrajectory': {
      const period = 1 / desc.rateHz;
      const vel = usesVelocity(desc, idx);
      main = {
        header: { seq: 0, stamp, frame_id: '' },
        joint_names: idx.map((i) => desc.dof[i]!.name),
        points: [
          {
            positions: vel ? [] : vals,
            velocities: vel ? vals : [],
            accelerations: [],
            effort: [],
            time_from_start: { secs: Math.floor(period), nsecs: Math.round((period % 1) * 1e9) },
          },
        ],
      };
      break;
    }
    case 'sensor_msgs/JointState': {
      const vel = usesVelocity(desc, idx);
      main = { header: { seq: 0, stamp, frame_id: '' }, name: idx.map((i) => desc.dof[i]!.name), position: vel ? [] : vals, velocity: vel ? vals : [], effort: [] };
      break;
    }
  }
  return gripper ? { main, gripper } : { main };
}

/**
 * Read an action back out of a command message (what a robot or recorder sees). DoF the message
 * does not carry (and the gripper until one arrives) take `base`'s values (default: stop values).
 */
export function decodeCommand(desc: RobotDescription, msg: any, base?: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(desc.dof, (d, i) => (base ? Number(base[i]) : (d.stop ?? 0)));
  const idx = mainIndices(desc);
  const where = `${desc.command.topic} (${desc.command.messageType})`;
  const fromList = (vals: ArrayLike<number> | undefined, names?: string[]) => {
    if (!vals) return;
    if (names && names.length) {
      names.forEach((n, k) => {
        const i = desc.dof.findIndex((d) => d.name === n);
        if (i >= 0 && k < vals.length) out[i] = Number(vals[k]);
      });
      return;
    }
    if (vals.length !== idx.length) throw new LaraError('command has the wrong number of values', { where, expected: `${idx.length}`, got: String(vals.length) });
    idx.forEach((i, k) => (out[i] = Number(vals[k])));
  };
  switch (desc.command.messageType) {
    case 'std_msgs/Float64MultiArray':
      fromList(msg.data);
      break;
    case 'geometry_msgs/Twist':
      for (const [part, axis, i] of twistSlots(desc)) out[i] = Number(msg[part][axis]);
      break;
    case 'trajectory_msgs/JointTrajectory': {
      const p = msg.points?.[0];
      if (p) fromList(p.velocities?.length ? p.velocities : p.positions, msg.joint_names);
      break;
    }
    case 'sensor_msgs/JointState':
      fromList(msg.velocity?.length ? msg.velocity : msg.position, msg.name);
      break;
  }
  return out;
}
