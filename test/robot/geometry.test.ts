import { describe, expect, it } from 'vitest';
import {
  applyDelta, composePoses, invertPose, matrixToRpy, rotationAngle, rotZ, rpyToMatrix, transformPoint, wrapAngle, type Pose,
} from '../../src/robot/geometry.ts';

const close = (a: number[], b: number[], d = 9) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, d));

describe('geometry', () => {
  it('rpy -> matrix -> rpy round-trips away from gimbal lock', () => {
    for (const rpy of [[0.1, -0.4, 2.5], [-1.2, 1.3, -3.0], [0, 0, 0], [3.0, -0.2, 0.7]] as const) {
      close(matrixToRpy(rpyToMatrix(rpy[0], rpy[1], rpy[2])), [...rpy]);
    }
  });

  it('yaw rotates x onto y; the matrix is orthonormal', () => {
    const R = rpyToMatrix(0, 0, Math.PI / 2);
    close([R[0]![0]!, R[1]![0]!, R[2]![0]!], [0, 1, 0]);
    const Rr = rpyToMatrix(0.3, -0.7, 1.1);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const dot = Rr[0]![i]! * Rr[0]![j]! + Rr[1]![i]! * Rr[1]![j]! + Rr[2]![i]! * Rr[2]![j]!;
      expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
    }
  });

  it('handles gimbal lock by keeping the same rotation', () => {
    const R = rpyToMatrix(0.4, Math.PI / 2, 0.1);
    const rpy = matrixToRpy(R);
    expect(rotationAngle(R, rpyToMatrix(rpy[0], rpy[1], rpy[2]))).toBeLessThan(1e-6);
  });

  it('poses compose, invert and transform points', () => {
    const a: Pose = { position: [1, 2, 3], rpy: [0, 0, Math.PI / 2] };
    close(transformPoint(a, [1, 0, 0]), [1, 3, 3]);
    const id = composePoses(a, invertPose(a));
    close(id.position, [0, 0, 0]);
    close(id.rpy, [0, 0, 0]);
    const b: Pose = { position: [0.5, 0, 0], rpy: [0.2, 0.1, -0.3] };
    const ab = composePoses(a, b);
    close(transformPoint(ab, [0, 0, 0]), transformPoint(a, b.position));
  });

  it('applies RT-1 deltas in the base or the tool frame', () => {
    const p: Pose = { position: [0, 0, 0], rpy: [0, 0, Math.PI / 2] };
    const base = applyDelta(p, [0.1, 0, 0], [0, 0, 0.2]);
    close(base.position, [0.1, 0, 0]);
    expect(base.rpy[2]).toBeCloseTo(Math.PI / 2 + 0.2, 9);
    const tool = applyDelta(p, [0.1, 0, 0], [0, 0, 0], 'tool');
    close(tool.position, [0, 0.1, 0]);
    expect(rotationAngle(rotZ(0), rotZ(0.5))).toBeCloseTo(0.5, 9);
  });

  it('wraps angles to (-pi, pi]', () => {
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(-Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(0.5 - 4 * Math.PI)).toBeCloseTo(0.5, 12);
  });
});
