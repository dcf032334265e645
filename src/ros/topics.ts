/** lara's own ROS topics (beside the robot's camera, state and command topics). */
export const LARA_TOPICS = {
  /** std_msgs/Bool: true engages the e-stop latch, false releases it. */
  estop: '/lara/estop',
  /** std_msgs/String, JSON AppliedCommandMsg: every command lara applied, after clamping. */
  applied: '/lara/applied_command',
} as const;

/** Simulator topics (tabletop-sim as a ROS robot). */
export const SIM_TOPICS = {
  /** std_msgs/String JSON EpisodeEvent: episode start / end (with success). */
  episode: '/tabletop/episode',
  /** std_msgs/String JSON: privileged simulator state for the scripted expert (debug only). */
  expertState: '/tabletop/expert_state',
} as const;

/** Payload of SIM_TOPICS.episode. */
export interface EpisodeEvent {
  event: 'start' | 'end';
  episode: number;
  seed: number;
  instruction: string;
  /** On 'end'. */
  success?: boolean;
  steps?: number;
  /** Camera header.seq of the episode's first frame (on 'start') / last frame (on 'end'), so
   * recorders can assign frames to episodes even when topics arrive out of order. */
  first_seq?: number;
  last_seq?: number;
}

/** Payload of LARA_TOPICS.applied. */
export interface AppliedCommandMsg {
  /** Sequence number of the camera frame the command answers (null for stops). */
  seq: number | null;
  requested: number[] | null;
  applied: number[];
  clamped: boolean[];
  /** Why this is a stop (null when driving). */
  stop: string | null;
  /** Frame arrival to command decision, ms (null for stops). */
  latency_ms: number | null;
  inference_ms: number | null;
  /** Wall-clock time of publication, ms since the epoch. */
  t_ms: number;
}
