/**
 * ActionServer: lara's ZeroMQ action server. One ROUTER socket; REQ clients (or DEALER clients
 * that send the empty delimiter frame first) each get a Session (own agent, own rate-limit
 * history) keyed by their routing id. Requests are handled concurrently across clients; every
 * request gets exactly one reply; bad input gets an ok:false reply and the server keeps serving.
 * The e-stop latch is server-wide. Protocol: ./protocol.ts and docs/serve.md.
 */
import * as zmq from 'zeromq';
import type { RobotDescription } from '../robot/description.ts';
import { stopAction } from '../robot/limits.ts';
import { EStopLatch } from '../safety/estop.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { LaraError } from '../util/errors.ts';
import type { AgentFactory } from './agents.ts';
import { decodeImageFrame } from './image.ts';
import { PROTOCOL_VERSION, IMAGE_ENCODINGS, MAX_IMAGE_SIDE, RequestError, decodeState, echoOf, encodeReply, errorReply, parseHeaderJson, validateRequest, type HeaderEcho, type Request } from './protocol.ts';
import { Session } from './session.ts';

export interface ActionServerOptions {
  robot: RobotDescription;
  /** One agent per client session. */
  makeAgent: AgentFactory;
  /** What `--agent` named (reported by info). */
  agentSpec?: string;
  /** ZeroMQ endpoint, e.g. tcp://127.0.0.1:5555 (port 0: any free port; see `endpoint`). */
  bind: string;
  clock?: Clock;
  /** Control rate override, Hz (default robot.rateHz). */
  rateHz?: number;
  /** act() deadline, ms (default one control period). */
  deadlineMs?: number;
  /** Most concurrent clients (default 8); idle ones are evicted to admit new ones. */
  maxClients?: number;
  /** A client silent this long may be evicted when the server is full, ms (default 10000). */
  idleMs?: number;
  /** Largest accepted message, bytes (default 64 MiB). */
  maxMessageBytes?: number;
  log?: (s: string) => void;
}

export interface ServerStats {
  requests: number;
  errors: number;
  clients: number;
}

export class ActionServer {
  readonly robot: RobotDescription;
  readonly estop = new EStopLatch();
  readonly rateHz: number;
  readonly deadlineMs: number;
  readonly stats: ServerStats = { requests: 0, errors: 0, clients: 0 };
  readonly #o: ActionServerOptions;
  readonly #sock: zmq.Router;
  readonly #clock: Clock;
  readonly #stop: Float32Array;
  readonly #sessions = new Map<string, Promise<Session>>();
  readonly #live = new Map<string, Session>();
  #sendChain: Promise<void> = Promise.resolve();
  #loop: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(o: ActionServerOptions, sock: zmq.Router) {
    this.#o = o;
    this.#sock = sock;
    this.robot = o.robot;
    this.#clock = o.clock ?? systemClock;
    this.rateHz = o.rateHz ?? o.robot.rateHz;
    if (!(this.rateHz > 0)) throw new LaraError('invalid control rate', { where: '--rate-hz', expected: 'a positive number (Hz)', got: String(this.rateHz) });
    this.deadlineMs = o.deadlineMs ?? 1000 / this.rateHz;
    if (!(this.deadlineMs > 0)) throw new LaraError('invalid deadline', { where: '--deadline-ms', expected: 'a positive number of milliseconds', got: String(this.deadlineMs) });
    this.#stop = stopAction(o.robot);
  }

  /** Bind and start serving. */
  static async start(o: ActionServerOptions): Promise<ActionServer> {
    const sock = new zmq.Router({ linger: 0, maxMessageSize: o.maxMessageBytes ?? 64 * 1024 * 1024 });
    const server = new ActionServer(o, sock);
    try {
      await sock.bind(o.bind);
    } catch (e) {
      sock.close();
      throw new LaraError(`cannot bind the action server: ${(e as Error).message}`, { where: '--bind', expected: 'a free ZeroMQ endpoint such as tcp://127.0.0.1:5555', got: o.bind });
    }
    server.#loop = server.#receive();
    return server;
  }

  /** The bound endpoint (with the real port when bound to port 0). */
  get endpoint(): string {
    return this.#sock.lastEndpoint ?? this.#o.bind;
  }

  /** Connected client sessions. */
  get sessions(): ReadonlyMap<string, Session> {
    return this.#live;
  }

  /** Stop serving and close the socket (in-flight replies are dropped). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.close();
    await this.#loop;
    await this.#sendChain;
  }

  async #receive(): Promise<void> {
    try {
      for await (const msg of this.#sock) void this.#handle(msg);
    } catch (e) {
      if (!this.#closed) this.#o.log?.(`receive loop ended: ${(e as Error).message}`);
    }
  }

  #send(frames: Buffer[]): void {
    this.#sendChain = this.#sendChain
      .then(() => (this.#closed ? undefined : this.#sock.send(frames)))
      .catch((e: unknown) => this.#o.log?.(`reply dropped: ${(e as Error).message}`));
  }

  async #handle(msg: Buffer[]): Promise<void> {
    const received = this.#clock.now();
    this.stats.requests++;
    const id = msg[0]!;
    const key = id.toString('hex');
    const envelope = msg.slice(0, envelopeLength(msg));
    const body = msg.slice(envelope.length);
    let echo: HeaderEcho = { seq: null, type: null };
    let reply: object;
    try {
      const h = parseHeaderJson(body[0]);
      echo = echoOf(h);
      const req = validateRequest(h, body.length - 1);
      reply = await this.#dispatch(key, req, body.slice(1), received);
    } catch (e) {
      this.stats.errors++;
      const re = e instanceof RequestError ? e : new RequestError('server', 'a request the server can serve', (e as Error).message ?? String(e), 'request failed');
      if (!(e instanceof RequestError)) this.#o.log?.(`request failed: ${(e as Error).stack ?? String(e)}`);
      const s = this.#live.get(key);
      const stop = s ? s.stop('bad-request').action : this.#stop;
      reply = errorReply(re, echo, stop, this.#clock.now() - received);
    }
    this.#send([...envelope, encodeReply(reply)]);
  }

  async #dispatch(key: string, req: Request, frames: Buffer[], received: number): Promise<object> {
    const base = { v: PROTOCOL_VERSION, type: req.type, seq: req.seq, ok: true, ...(req.stamp !== undefined ? { stamp: req.stamp } : {}) };
    switch (req.type) {
      case 'estop':
      case 'release': {
        // never needs a session: an e-stop works even when the server is full
        const engaged = req.type === 'estop';
        if (this.estop.set(engaged)) {
          this.#o.log?.(engaged ? 'e-stop engaged: every client gets the stop action until released' : 'e-stop released');
          if (engaged) for (const s of this.#live.values()) s.stop('estop');
        }
        return { ...base, engaged: this.estop.engaged, action: Array.from(this.#stop), latency_ms: this.#clock.now() - received };
      }
      case 'info': {
        const s = await this.#session(key);
        return { ...base, ...this.#info(s), latency_ms: this.#clock.now() - received };
      }
      case 'reset': {
        const s = await this.#session(key);
        const instruction = req.instruction ?? s.instruction ?? '';
        const seed = req.seed ?? 0;
        try {
          await s.reset(instruction, seed);
        } catch (e) {
          throw new RequestError('instruction', 'an instruction the agent accepts', `${JSON.stringify(instruction)} (agent.reset failed: ${(e as Error).message})`, 'reset failed');
        }
        return { ...base, instruction, seed, latency_ms: this.#clock.now() - received };
      }
      case 'act': {
        const s = await this.#session(key);
        const image = await decodeImageFrame(req, frames[0]!);
        const state = decodeState(frames[1]);
        return s.act(req, image, state, received);
      }
    }
  }

  #info(s: Session): object {
    const r = this.robot;
    return {
      protocol: PROTOCOL_VERSION,
      robot: r,
      action_names: r.dof.map((d) => d.name),
      limits: r.dof.map((d) => ({ name: d.name, unit: d.unit, min: d.min, max: d.max, max_delta: d.maxDelta ?? null, stop: d.stop ?? 0 })),
      stop_action: Array.from(this.#stop),
      state_names: r.stateNames ?? null,
      rate_hz: this.rateHz,
      deadline_ms: this.deadlineMs,
      agent: { spec: this.#o.agentSpec ?? null, name: s.agent.name, input_size: s.agent.inputSize ?? null },
      image: { encodings: IMAGE_ENCODINGS, max_side: MAX_IMAGE_SIDE, camera: r.cameras[0] ? { width: r.cameras[0].width, height: r.cameras[0].height } : null },
      estop: this.estop.engaged,
      clients: this.#live.size,
    };
  }

  /** This client's session, created (with a fresh agent) on its first request. */
  #session(key: string): Promise<Session> {
    const known = this.#sessions.get(key);
    if (known) return known.then((s) => ((s.lastSeenMs = this.#clock.now()), s));
    const max = this.#o.maxClients ?? 8;
    this.#evictIdle(max);
    if (this.#sessions.size >= max) {
      return Promise.reject(new RequestError('client', `at most ${max} connected clients (others idle < ${this.#o.idleMs ?? 10_000} ms)`, `client number ${this.#sessions.size + 1}`, 'server full'));
    }
    const p = (async () => {
      let agent;
      try {
        agent = await this.#o.makeAgent();
      } catch (e) {
        this.#sessions.delete(key);
        throw new RequestError('agent', 'an agent the server can create', (e as Error).message, 'agent creation failed');
      }
      const s = new Session({ robot: this.robot, agent, estop: this.estop, clock: this.#clock, rateHz: this.rateHz, deadlineMs: this.deadlineMs, onError: (e) => this.#o.log?.(`agent error: ${(e as Error).message ?? String(e)}`) });
      this.#live.set(key, s);
      this.stats.clients++;
      this.#o.log?.(`client ${key} connected (${this.#live.size} now)`);
      return s;
    })();
    this.#sessions.set(key, p);
    return p;
  }

  /** When full, drop the longest-silent client if it has been idle long enough. */
  #evictIdle(max: number): void {
    if (this.#sessions.size < max) return;
    const idleMs = this.#o.idleMs ?? 10_000;
    const now = this.#clock.now();
    let oldest: [string, Session] | undefined;
    for (const e of this.#live) if (!oldest || e[1].lastSeenMs < oldest[1].lastSeenMs) oldest = e;
    if (oldest && now - oldest[1].lastSeenMs > idleMs) {
      this.#live.delete(oldest[0]);
      this.#sessions.delete(oldest[0]);
      this.#o.log?.(`client ${oldest[0]} evicted after ${((now - oldest[1].lastSeenMs) / 1000).toFixed(1)} s idle`);
    }
  }
}

/**
 * Frames before the body: the routing id, then for REQ clients an empty delimiter, preceded by a
 * 4-byte request id when the REQ socket correlates (ZMQ_REQ_CORRELATE). A DEALER that sends no
 * delimiter has just the routing id.
 */
function envelopeLength(msg: Buffer[]): number {
  if (msg.length > 1 && msg[1]!.length === 0) return 2;
  if (msg.length > 2 && msg[1]!.length === 4 && msg[2]!.length === 0) return 3;
  return 1;
}
