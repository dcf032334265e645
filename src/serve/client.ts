/**
 * ActionClient: a TypeScript client for `lara serve` (protocol v1, docs/serve.md). One REQ
 * socket in relaxed + correlate mode, so a request that times out does not wedge the socket:
 * the caller gets a LaraError and may send the next request (a late reply is discarded).
 * Calls are serialised; seq numbers are assigned automatically.
 */
import * as zmq from 'zeromq';
import { LaraError } from '../util/errors.ts';
import { encodeState, type ActReply, type ErrorReply, type ImageEncoding } from './protocol.ts';

export interface ActionClientOptions {
  /** Give up on a reply after this long, ms (default 2000). The robot should stop then. */
  timeoutMs?: number;
}

export interface ActArgs {
  /** rgb8: [H, W, 3] bytes; png/jpeg: the encoded file bytes. */
  image: Uint8Array;
  width: number;
  height: number;
  encoding?: ImageEncoding;
  /** Proprioceptive state, sent as float32 little-endian. */
  state?: ArrayLike<number>;
  instruction?: string;
  /** Privileged tabletop state for the expert agent (src/serve/agents.ts expertStateOf). */
  expertState?: object;
  stamp?: number;
}

/** Any reply: the fields every reply has, plus type-specific ones. */
export type Reply = (ActReply | ErrorReply | (Record<string, unknown> & { ok: true; seq: number; type: string })) & Record<string, unknown>;

export interface InfoReply {
  ok: true;
  protocol: number;
  robot: { name: string; rateHz: number } & Record<string, unknown>;
  action_names: string[];
  limits: { name: string; unit: string; min: number; max: number; max_delta: number | null; stop: number }[];
  stop_action: number[];
  state_names: string[] | null;
  rate_hz: number;
  deadline_ms: number;
  agent: { spec: string | null; name: string; input_size: { width: number; height: number } | null };
  estop: boolean;
  clients: number;
}

export class ActionClient {
  readonly endpoint: string;
  readonly timeoutMs: number;
  readonly #sock: zmq.Request;
  #seq = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(endpoint: string, opts: ActionClientOptions = {}) {
    this.endpoint = endpoint;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.#sock = new zmq.Request({ relaxed: true, correlate: true, linger: 0, receiveTimeout: this.timeoutMs, sendTimeout: this.timeoutMs });
    this.#sock.connect(endpoint);
  }

  /** Robot description, action names, limits, agent. */
  async info(): Promise<InfoReply & Record<string, unknown>> {
    const r = await this.request({ type: 'info' });
    if (!r.ok) throw new LaraError(`lara serve refused info: ${String(r.error)}`, { where: this.endpoint });
    return r as unknown as InfoReply & Record<string, unknown>;
  }

  /** Start an episode (resets this client's agent). */
  reset(instruction?: string, seed?: number): Promise<Reply> {
    return this.request({ type: 'reset', ...(instruction !== undefined ? { instruction } : {}), ...(seed !== undefined ? { seed } : {}) });
  }

  /** One observation -> one command. Apply `reply.action` (a stop when `stopped`). */
  async act(a: ActArgs): Promise<ActReply | ErrorReply> {
    const header: Record<string, unknown> = { type: 'act', width: a.width, height: a.height, encoding: a.encoding ?? 'rgb8', stamp: a.stamp ?? Date.now() };
    if (a.instruction !== undefined) header.instruction = a.instruction;
    if (a.expertState !== undefined) header.expert_state = a.expertState;
    const frames: Uint8Array[] = [a.image];
    if (a.state !== undefined) frames.push(encodeState(a.state));
    return (await this.request(header, frames)) as ActReply | ErrorReply;
  }

  /** Engage the server-wide e-stop latch. */
  estop(): Promise<Reply> {
    return this.request({ type: 'estop' });
  }

  /** Release the e-stop latch. */
  release(): Promise<Reply> {
    return this.request({ type: 'release' });
  }

  /** Send a header (v and seq filled in unless given) plus binary frames. */
  request(header: Record<string, unknown>, frames: Uint8Array[] = []): Promise<Reply> {
    const h = { v: 1, seq: this.#seq++, ...header };
    return this.sendFrames([Buffer.from(JSON.stringify(h), 'utf8'), ...frames]);
  }

  /** Send raw frames (the first is the header) and wait for the reply. */
  sendFrames(frames: Uint8Array[]): Promise<Reply> {
    const run = async (): Promise<Reply> => {
      try {
        await this.#sock.send(frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.length)));
        const [frame] = await this.#sock.receive();
        return JSON.parse(frame!.toString('utf8')) as Reply;
      } catch (e) {
        if ((e as { code?: string }).code === 'EAGAIN') {
          throw new LaraError(`no reply from lara serve within ${this.timeoutMs} ms`, { where: this.endpoint, expected: 'a running server (stop the robot now)' });
        }
        throw e;
      }
    };
    const p = this.#chain.then(run, run);
    this.#chain = p.catch(() => undefined);
    return p;
  }

  close(): void {
    this.#sock.close();
  }
}
