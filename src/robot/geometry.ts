/**
 * Rigid-body geometry for robot actions, with mathjs matrices: roll-pitch-yaw <-> rotation
 * matrices, poses as 4x4 homogeneous transforms, frames and end-effector deltas (RT-1's
 * world_vector + rotation_delta). Convention (ROS REP 103): R = Rz(yaw) * Ry(pitch) * Rx(roll),
 * angles in radians, right-handed frames.
 */
import { cos, inv, matrix, multiply, sin, transpose, type Matrix } from 'mathjs';

export type Vec3 = [number, number, number];
export type Mat3 = number[][];
export type Mat4 = number[][];

/** Position plus roll-pitch-yaw orientation. */
export interface Pose {
  position: Vec3;
  rpy: Vec3;
}

const toArray = (m: Matrix | number[][]): number[][] => (Array.isArray(m) ? m : (m.toArray() as number[][]));

export { wrapAngle } from './angles.ts';

export function rotX(a: number): Mat3 {
  const c = cos(a), s = sin(a);
  return [[1, 0, 0], [0, c, -s], [0, s, c]];
}
export function rotY(a: number): Mat3 {
  const c = cos(a), s = sin(a);
  return [[c, 0, s], [0, 1, 0], [-s, 0, c]];
}
export function rotZ(a: number): Mat3 {
  const c = cos(a), s = sin(a);
  return [[c, -s, 0], [s, c, 0], [0, 0, 1]];
}

/** Rotation matrix of roll (x), pitch (y), yaw (z): Rz(yaw) * Ry(pitch) * Rx(roll). */
export function rpyToMatrix(roll: number, pitch: number, yaw: number): Mat3 {
  return toArray(multiply(matrix(rotZ(yaw)), multiply(matrix(rotY(pitch)), matrix(rotX(roll)))) as Matrix);
}

/** Roll, pitch, yaw of a rotation matrix (pitch in [-pi/2, pi/2]; at gimbal lock roll is 0). */
export function matrixToRpy(R: Mat3): Vec3 {
  const r20 = R[2]![0]!;
  const pitch = Math.asin(Math.max(-1, Math.min(1, -r20)));
  if (Math.abs(r20) > 1 - 1e-9) {
    // gimbal lock: only roll +/- yaw is defined; put it all in yaw
    const yaw = Math.atan2(-R[0]![1]!, R[1]![1]!);
    return [0, pitch, yaw];
  }
  return [Math.atan2(R[2]![1]!, R[2]![2]!), pitch, Math.atan2(R[1]![0]!, R[0]![0]!)];
}

/** Matrix product of two rotations (apply b, then a). */
export function composeRotations(a: Mat3, b: Mat3): Mat3 {
  return toArray(multiply(matrix(a), matrix(b)) as Matrix);
}

/** Inverse of a rotation (its transpose). */
export function invertRotation(R: Mat3): Mat3 {
  return toArray(transpose(matrix(R)));
}

/** 4x4 homogeneous transform of a pose (maps points in the pose's frame to the parent frame). */
export function poseToMatrix(p: Pose): Mat4 {
  const R = rpyToMatrix(p.rpy[0], p.rpy[1], p.rpy[2]);
  return [
    [R[0]![0]!, R[0]![1]!, R[0]![2]!, p.position[0]],
    [R[1]![0]!, R[1]![1]!, R[1]![2]!, p.position[1]],
    [R[2]![0]!, R[2]![1]!, R[2]![2]!, p.position[2]],
    [0, 0, 0, 1],
  ];
}

export function matrixToPose(T: Mat4): Pose {
  const R = [T[0]!.slice(0, 3), T[1]!.slice(0, 3), T[2]!.slice(0, 3)];
  return { position: [T[0]![3]!, T[1]![3]!, T[2]![3]!], rpy: matrixToRpy(R) };
}

/** a * b: the pose b (given in frame a) expressed in a's parent frame. */
export function composePoses(a: Pose, b: Pose): Pose {
  return matrixToPose(toArray(multiply(matrix(poseToMatrix(a)), matrix(poseToMatrix(b))) as Matrix));
}

/** The inverse transform: the parent frame expressed in the pose's frame. */
export function invertPose(p: Pose): Pose {
  return matrixToPose(toArray(inv(matrix(poseToMatrix(p)))));
}

/** A point given in the pose's frame, expressed in the parent frame. */
export function transformPoint(p: Pose, point: Vec3): Vec3 {
  const v = toArray(multiply(matrix(poseToMatrix(p)), matrix([[point[0]], [point[1]], [point[2]], [1]])) as Matrix);
  return [v[0]![0]!, v[1]![0]!, v[2]![0]!];
}

/**
 * Apply an end-effector delta in the RT-1 convention: translate by `worldVector` in the base
 * frame and rotate by `rotationDelta` (roll, pitch, yaw) about the base axes, pre-multiplied
 * (R' = dR * R). With frame 'tool' both are taken in the end-effector's own frame instead.
 */
export function applyDelta(p: Pose, worldVector: Vec3, rotationDelta: Vec3, frame: 'base' | 'tool' = 'base'): Pose {
  const R = rpyToMatrix(p.rpy[0], p.rpy[1], p.rpy[2]);
  const dR = rpyToMatrix(rotationDelta[0], rotationDelta[1], rotationDelta[2]);
  if (frame === 'tool') {
    const dp = toArray(multiply(matrix(R), matrix([[worldVector[0]], [worldVector[1]], [worldVector[2]]])) as Matrix);
    return {
      position: [p.position[0] + dp[0]![0]!, p.position[1] + dp[1]![0]!, p.position[2] + dp[2]![0]!],
      rpy: matrixToRpy(composeRotations(R, dR)),
    };
  }
  return {
    position: [p.position[0] + worldVector[0], p.position[1] + worldVector[1], p.position[2] + worldVector[2]],
    rpy: matrixToRpy(composeRotations(dR, R)),
  };
}

/** Angle of the rotation taking a to b (geodesic distance on SO(3)), in radians. */
export function rotationAngle(a: Mat3, b: Mat3): number {
  const d = composeRotations(invertRotation(a), b);
  const tr = d[0]![0]! + d[1]![1]! + d[2]![2]!;
  return Math.acos(Math.max(-1, Math.min(1, (tr - 1) / 2)));
}
