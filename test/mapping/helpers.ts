import type { RobotDescription } from '../../src/robot/description.ts';

/** A two-DoF robot used by the mapping tests. */
export function testRobot(name = 'test-arm'): RobotDescription {
  return {
    name,
    description: 'test robot',
    rateHz: 10,
    dof: [
      { name: 'x', unit: 'm/step', min: -1, max: 1 },
      { name: 'y', unit: 'm/step', min: -0.5, max: 0.5, stop: 0 },
    ],
    cameras: [],
    command: { topic: '/cmd', messageType: 'std_msgs/Float64MultiArray' },
  };
}
