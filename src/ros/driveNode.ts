/**
 * `lara drive` as a ROS node: camera (+ optional joint state, e-stop, episode events) in,
 * gated commands out, at the robot's control rate. All decisions are in DriveController; this
 * file wires it to topics and signals.
 *
 * Publishes: robot.command.topic (+ gripperTopic), /lara/applied_command (JSON diagnostics).
 * Subscribes: the robot's camera, robot.stateTopic, /lara/estop, and optionally an episode topic
 * (JSON EpisodeEvent) whose "start" events reset the agent with their instruction and seed.
 * SIGINT / SIGTERM publish a stop, then shut the node down.
 */
import type { RobotDescription, CameraSpec } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { DriveController, type AppliedCommand, type DriveAgent } from './controller.ts';
import { encodeCommand } from './commands.ts';
import { decodeCameraMsg } from './image.ts';
import { RosNodeConnection, type Publisher } from './node.ts';
import { LARA_TOPICS, type AppliedCommandMsg, type EpisodeEvent } from './topics.ts';

export interface DriveNodeOptions {
  robot: RobotDescription;
  /** Builds the agent once the node is up (agents such as the ROS expert subscribe to topics). */
  makeAgent: (node: RosNodeConnection) => Promise<DriveAgent> | DriveAgent;
  masterUri: string;
  /** Instruction given to agent.reset() at start. */
  instruction: string;
  seed?: number;
  /** Camera name (default: the robot's first camera). */
  camera?: string;
  /** Override of robot.rateHz. */
  rateHz?: number;
  /** Topic of JSON EpisodeEvent messages that reset the agent (optional). */
  episodeTopic?: string;
  estopTopic?: string;
  appliedTopic?: string;
  clock?: Clock;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
  log?: (line: string) => void;
}

export interface DriveNode {
  controller: DriveController;
  node: RosNodeConnection;
  /** Publish a final stop and shut the node down (idempotent). */
  stop(): Promise<void>;
  /** Resolves once stopped. */
  done: Promise<void>;
}

export function pickCamera(robot: RobotDescription, name?: string): CameraSpec {
  const cam = name ? robot.cameras.find((c) => c.name === name) : robot.cameras[0];
  if (!cam) throw new LaraError(`robot '${robot.name}' has no camera ${name ? `'${name}'` : ''}`.trim(), { where: 'cameras', expected: robot.cameras.map((c) => c.name).join(', ') || 'a camera' });
  return cam;
}

export function toAppliedMsg(c: AppliedCommand): AppliedCommandMsg {
  return {
    seq: c.seq ?? null,
    requested: c.requested ? Array.from(c.requested) : null,
    applied: Array.from(c.action),
    clamped: c.clamped,
    stop: c.stop ?? null,
    latency_ms: c.latencyMs ?? null,
    inference_ms: c.inferenceMs ?? null,
    t_ms: Date.now(),
  };
}

export async function startDriveNode(o: DriveNodeOptions): Promise<DriveNode> {
  const clock = o.clock ?? systemClock;
  const log = o.log ?? (() => {});
  const cam = pickCamera(o.robot, o.camera);
  const node = await RosNodeConnection.create({ name: 'lara_drive', masterUri: o.masterUri, anonymous: true });
  const agent = await o.makeAgent(node);
  await agent.reset(o.instruction, o.seed ?? 0);

  const cmdPub = node.advertise(o.robot.command.topic, o.robot.command.messageType);
  const gripPub: Publisher | undefined = o.robot.command.gripperTopic ? node.advertise(o.robot.command.gripperTopic, 'std_msgs/Float64') : undefined;
  const diagPub = node.advertise<{ data: string }>(o.appliedTopic ?? LARA_TOPICS.applied, 'std_msgs/String');

  const emit = (c: AppliedCommand) => {
    const enc = encodeCommand(o.robot, c.action);
    cmdPub.publish(enc.main);
    if (gripPub && enc.gripper) gripPub.publish(enc.gripper);
    diagPub.publish({ data: JSON.stringify(toAppliedMsg(c)) });
    if (c.stop) log(`stop: ${c.stop}`);
  };
  const controller = new DriveController({ robot: o.robot, agent, clock, emit, rateHz: o.rateHz, onError: (e) => log(`agent error: ${(e as Error).message}`) });

  let decodeErrors = 0;
  node.subscribe(cam.topic, cam.messageType, (msg: any) => {
    const received = clock.now();
    const seq = Number(msg.header?.seq ?? 0);
    decodeCameraMsg(cam.messageType, msg, cam.topic).then(
      (img) => controller.onImage(img, seq, received),
      (e) => {
        if (decodeErrors++ < 3) log(`camera: ${(e as Error).message}`);
      },
    );
  });
  if (o.robot.stateTopic) {
    node.subscribe(o.robot.stateTopic, 'sensor_msgs/JointState', (msg: any) => controller.onState(Float32Array.from(msg.position ?? [])));
  }
  node.subscribe(o.estopTopic ?? LARA_TOPICS.estop, 'std_msgs/Bool', (msg: any) => {
    controller.onEStop(Boolean(msg.data));
    log(`e-stop ${msg.data ? 'engaged' : 'released'}`);
  });
  if (o.episodeTopic) {
    node.subscribe(o.episodeTopic, 'std_msgs/String', (msg: any) => {
      let ev: EpisodeEvent;
      try {
        ev = JSON.parse(msg.data) as EpisodeEvent;
      } catch {
        return;
      }
      if (ev.event === 'start') void agent.reset(ev.instruction, ev.seed);
    });
  }

  controller.start();
  const timer = setInterval(() => controller.tick(), Math.max(1, controller.periodMs / 4));

  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(timer);
      controller.shutdown();
      await new Promise((r) => setTimeout(r, 150)); // let the stop reach subscribers
      await node.shutdown();
      if (o.handleSignals !== false) {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
      resolveDone();
    })();
    return stopping;
  };
  const onSignal = () => void stop();
  if (o.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { controller, node, stop, done };
}
