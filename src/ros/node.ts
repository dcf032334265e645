/**
 * A thin wrapper over one rosnodejs node: init against a master (prepared environment, timeout,
 * no forced exit), typed-enough publish/subscribe, and shutdown. One per process (rosnodejs
 * allows only one node per process).
 *
 * Signals: rosnodejs installs its own SIGINT handler that shuts the node down; lara removes it so
 * that its own SIGINT/SIGTERM handlers can publish a stop command first (see ShutdownGuard).
 */
import { loadRosnodejs, prepareRosEnv, type Rosnodejs } from './env.ts';
import { LaraError } from '../util/errors.ts';
import { installFastImageCodecs } from './fastImage.ts';

export interface Publisher<M = unknown> {
  publish(msg: M): void;
  getNumSubscribers(): number;
}

export interface RosNodeOptions {
  /** Node name, e.g. "lara_drive" (made anonymous when anonymous is true). */
  name: string;
  masterUri: string;
  /** Milliseconds to wait for the master (default 10000). */
  timeoutMs?: number;
  anonymous?: boolean;
}

type NodeHandle = Awaited<ReturnType<Rosnodejs['initNode']>>;

export class RosNodeConnection {
  readonly ros: Rosnodejs;
  readonly nh: NodeHandle;
  readonly masterUri: string;
  #closed = false;

  private constructor(ros: Rosnodejs, nh: NodeHandle, masterUri: string) {
    this.ros = ros;
    this.nh = nh;
    this.masterUri = masterUri;
  }

  static async create(opts: RosNodeOptions): Promise<RosNodeConnection> {
    const msgs = await prepareRosEnv();
    process.env.ROS_MASTER_URI = opts.masterUri;
    const ros = await loadRosnodejs();
    const before = new Set(process.listeners('SIGINT'));
    let nh: NodeHandle;
    try {
      nh = await ros.initNode(opts.name, {
        rosMasterUri: opts.masterUri,
        onTheFly: true,
        anonymous: opts.anonymous ?? false,
        timeout: opts.timeoutMs ?? 10000,
        notime: true,
        logging: { skipRosLogging: !msgs.rosLogging, waitOnRosOut: false, level: process.env.LARA_ROS_LOG ?? 'warn' } as never,
      });
    } catch (e) {
      throw new LaraError('could not register with the ROS master', {
        where: opts.masterUri,
        expected: 'a running master (roscore) at ROS_MASTER_URI',
        got: (e as Error).message,
      });
    }
    for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.removeListener('SIGINT', l);
    if (process.env.LARA_ROS_FAST_IMAGES !== '0') installFastImageCodecs((t) => ros.checkMessage(t));
    return new RosNodeConnection(ros, nh, opts.masterUri);
  }

  /** Advertise a topic; publish() sends immediately (no spinner throttling). */
  advertise<M = unknown>(topic: string, type: string, opts: { latching?: boolean; queueSize?: number } = {}): Publisher<M> {
    const pub = this.nh.advertise<M>(topic, type, { latching: opts.latching ?? false, queueSize: opts.queueSize ?? 1, throttleMs: -1, tcpNoDelay: true } as never);
    return {
      publish: (msg: M) => pub.publish(msg, -1),
      getNumSubscribers: () => pub.getNumSubscribers(),
    };
  }

  /** Subscribe; returns a function telling how many publishers are connected. */
  subscribe<M = any>(topic: string, type: string, cb: (msg: M) => void, opts: { queueSize?: number } = {}): { getNumPublishers(): number } {
    const sub = this.nh.subscribe<M>(topic, type, (m: M) => cb(m), { queueSize: opts.queueSize ?? 1, throttleMs: -1 } as never);
    return { getNumPublishers: () => sub.getNumPublishers() };
  }

  /** Wait until a publisher has at least n subscribers (false on timeout). */
  async waitForSubscribers(pub: Publisher, n = 1, timeoutMs = 5000): Promise<boolean> {
    const t0 = Date.now();
    while (pub.getNumSubscribers() < n) {
      if (Date.now() - t0 > timeoutMs) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.ros.shutdown();
  }
}
