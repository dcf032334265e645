/**
 * Robot descriptions: robots/<name>/robot.json, declaring native DoF, control rate, cameras and
 * command interface. The loader and validation live in ./load.ts.
 */

/** One native degree of freedom (one dimension of the action vector). */
export interface DofSpec {
  /** e.g. "world_vector.x", "joint_3.velocity", "gripper" */
  name: string;
  /** Unit, e.g. "m/step", "rad", "rad/s", "1" */
  unit: string;
  /** Hard limits; commands are clamped to [min, max]. */
  min: number;
  max: number;
  /** Largest change per control period (rate limit), optional. */
  maxDelta?: number;
  /** Value that means "stop" / "hold" for this dimension (default 0). */
  stop?: number;
}

export interface CameraSpec {
  name: string;
  topic: string;
  width: number;
  height: number;
  /** ROS image encoding or "jpeg"/"png" for CompressedImage. */
  encoding: 'rgb8' | 'bgr8' | 'mono8' | 'jpeg' | 'png';
  /** sensor_msgs/Image or sensor_msgs/CompressedImage */
  messageType: 'sensor_msgs/Image' | 'sensor_msgs/CompressedImage';
}

export interface CommandSpec {
  topic: string;
  messageType: 'geometry_msgs/Twist' | 'std_msgs/Float64MultiArray' | 'trajectory_msgs/JointTrajectory' | 'sensor_msgs/JointState';
  /** For Twist: which DoF fills linear.x/y/z and angular.x/y/z (by DoF name). */
  twist?: { linear?: [string?, string?, string?]; angular?: [string?, string?, string?] };
  /** Optional separate gripper command topic (std_msgs/Float64). */
  gripperTopic?: string;
}

/**
 * A named run of consecutive DoF (e.g. world_vector = 3 dims). Groups, when given, cover the
 * action vector in order. 'onehot' groups (RT-1's terminate_episode) hold one 1 and the rest 0.
 */
export interface ActionGroup {
  name: string;
  size: number;
  kind?: 'continuous' | 'onehot';
}

export interface RobotDescription {
  name: string;
  description: string;
  /** Control rate in Hz. */
  rateHz: number;
  dof: DofSpec[];
  cameras: CameraSpec[];
  command: CommandSpec;
  /** Optional proprioceptive state topic (sensor_msgs/JointState). */
  stateTopic?: string;
  /** Optional grouping of the DoF into named parts (sizes sum to dof.length). */
  groups?: ActionGroup[];
  /** Names of the proprioceptive state vector's dimensions, when known. */
  stateNames?: string[];
  /** Name of lara's embedded simulator that implements this robot (e.g. "tabletop"), if any. */
  simulator?: string;
}
