/**
 * The `lara serve` wire protocol, version 1 (docs/serve.md). A request is a multipart ZeroMQ
 * message: a UTF-8 JSON header frame, then for `act` a binary image frame and optionally a
 * float32 little-endian state frame. Every reply is one JSON header frame. This file parses and
 * validates request headers (errors name the field and what was expected) and builds replies;
 * it does no I/O.
 */
import { describe } from '../util/errors.ts';

export const PROTOCOL_VERSION = 1;

export const REQUEST_TYPES = ['act', 'reset', 'info', 'estop', 'release'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const IMAGE_ENCODINGS = ['rgb8', 'png', 'jpeg'] as const;
export type ImageEncoding = (typeof IMAGE_ENCODINGS)[number];

/** Largest accepted image side, pixels. */
export const MAX_IMAGE_SIDE = 4096;
/** Largest accepted state vector, values. */
export const MAX_STATE_VALUES = 4096;

interface BaseRequest {
  v: 1;
  seq: number;
  /** Client time stamp (any number; echoed back). */
  stamp?: number;
}

export interface ActRequest extends BaseRequest {
  type: 'act';
  width: number;
  height: number;
  encoding: ImageEncoding;
  instruction?: string;
  /** Privileged simulator state for the tabletop expert agent (see docs/serve.md). */
  expert_state?: Record<string, unknown>;
}

export interface ResetRequest extends BaseRequest {
  type: 'reset';
  instruction?: string;
  seed?: number;
}

export interface PlainRequest extends BaseRequest {
  type: 'info' | 'estop' | 'release';
}

export type Request = ActRequest | ResetRequest | PlainRequest;

/** Why a reply carries the stop action. */
export type ServeStopReason = 'estop' | 'inference-error' | 'inference-slow' | 'bad-request' | 'shutdown';

export interface ActReply {
  v: 1;
  type: 'act';
  seq: number;
  ok: true;
  /** The command to apply, one value per DoF (robot order). */
  action: number[];
  /** Per DoF: whether safety changed the agent's request (all false for stops). */
  clamped: boolean[];
  /** Server time from receiving the request to sending this reply, ms. */
  latency_ms: number;
  stamp?: number;
  stopped?: true;
  reason?: ServeStopReason;
  /** Detail for inference-error stops. */
  error?: string;
}

export interface ErrorReply {
  v: 1;
  type: string | null;
  seq: number | null;
  ok: false;
  /** Human-readable message: names the field, what was expected and what came. */
  error: string;
  field: string;
  expected: string;
  got: string;
  /** The robot's stop action: a client that applies every reply's action stops. */
  action: number[];
  stopped: true;
  reason: 'bad-request';
  latency_ms: number;
  stamp?: number;
}

/** A request the server cannot serve: which field, what was expected, what came. */
export class RequestError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: string,
    message = 'bad request',
  ) {
    super(`${message}: ${field}: expected ${expected}, got ${got}`);
    this.name = 'RequestError';
  }
}

/** The best-effort seq/type/stamp of a header, for error replies (null when unreadable). */
export interface HeaderEcho {
  seq: number | null;
  type: string | null;
  stamp?: number;
}

/** Parse the header frame's JSON; throws RequestError naming `header`. */
export function parseHeaderJson(frame: Uint8Array | undefined): Record<string, unknown> {
  if (!frame || frame.length === 0) throw new RequestError('header', 'a JSON object frame', 'an empty frame');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(frame.buffer, frame.byteOffset, frame.length).toString('utf8'));
  } catch (e) {
    throw new RequestError('header', 'a JSON object (UTF-8)', `unparseable JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RequestError('header', 'a JSON object', describe(raw));
  return raw as Record<string, unknown>;
}

/** What can be echoed from a header that may be invalid. */
export function echoOf(h: Record<string, unknown> | undefined): HeaderEcho {
  const e: HeaderEcho = { seq: null, type: null };
  if (!h) return e;
  if (typeof h.seq === 'number' && Number.isInteger(h.seq)) e.seq = h.seq;
  if (typeof h.type === 'string') e.type = h.type.slice(0, 32);
  if (typeof h.stamp === 'number' && Number.isFinite(h.stamp)) e.stamp = h.stamp;
  return e;
}

const int = (h: Record<string, unknown>, f: string, lo: number, hi: number): number => {
  const v = h[f];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new RequestError(f, `an integer in [${lo}, ${hi}]`, describe(v));
  return v;
};

/** Validate a parsed header against protocol v1. `frames` = number of frames after the header. */
export function validateRequest(h: Record<string, unknown>, frames: number): Request {
  if (h.v !== PROTOCOL_VERSION) throw new RequestError('v', `${PROTOCOL_VERSION} (protocol version)`, describe(h.v));
  if (typeof h.type !== 'string' || !(REQUEST_TYPES as readonly string[]).includes(h.type)) {
    throw new RequestError('type', `one of ${REQUEST_TYPES.join(', ')}`, describe(h.type));
  }
  const type = h.type as RequestType;
  const seq = int(h, 'seq', 0, Number.MAX_SAFE_INTEGER);
  const base: BaseRequest = { v: 1, seq };
  if (h.stamp !== undefined) {
    if (typeof h.stamp !== 'number' || !Number.isFinite(h.stamp)) throw new RequestError('stamp', 'a finite number (client time)', describe(h.stamp));
    base.stamp = h.stamp;
  }
  const instruction = (): string | undefined => {
    if (h.instruction === undefined) return undefined;
    if (typeof h.instruction !== 'string' || h.instruction.length > 1000) throw new RequestError('instruction', 'a string of at most 1000 characters', describe(h.instruction));
    return h.instruction;
  };
  if (type === 'act') {
    if (frames < 1) throw new RequestError('frames', 'an image frame after the header (header, image[, state])', 'the header alone');
    if (frames > 2) throw new RequestError('frames', 'at most 3 frames (header, image, state)', `${frames + 1} frames`);
    const width = int(h, 'width', 1, MAX_IMAGE_SIDE);
    const height = int(h, 'height', 1, MAX_IMAGE_SIDE);
    if (typeof h.encoding !== 'string' || !(IMAGE_ENCODINGS as readonly string[]).includes(h.encoding)) {
      throw new RequestError('encoding', `one of ${IMAGE_ENCODINGS.join(', ')}`, describe(h.encoding));
    }
    const r: ActRequest = { ...base, type, width, height, encoding: h.encoding as ImageEncoding };
    const ins = instruction();
    if (ins !== undefined) r.instruction = ins;
    if (h.expert_state !== undefined) {
      if (typeof h.expert_state !== 'object' || h.expert_state === null || Array.isArray(h.expert_state)) {
        throw new RequestError('expert_state', 'a JSON object {scene, task, config, success}', describe(h.expert_state));
      }
      r.expert_state = h.expert_state as Record<string, unknown>;
    }
    return r;
  }
  if (frames > 0) throw new RequestError('frames', `only the header frame for a '${type}' request`, `${frames + 1} frames`);
  if (type === 'reset') {
    const r: ResetRequest = { ...base, type };
    const ins = instruction();
    if (ins !== undefined) r.instruction = ins;
    if (h.seed !== undefined) r.seed = int(h, 'seed', 0, 0xffffffff);
    return r;
  }
  return { ...base, type };
}

/** Decode the optional state frame: float32 little-endian values. */
export function decodeState(frame: Uint8Array | undefined): Float32Array {
  if (!frame || frame.length === 0) return new Float32Array(0);
  if (frame.length % 4 !== 0) throw new RequestError('state', 'float32 little-endian values (a multiple of 4 bytes)', `${frame.length} bytes`);
  const n = frame.length / 4;
  if (n > MAX_STATE_VALUES) throw new RequestError('state', `at most ${MAX_STATE_VALUES} values`, `${n}`);
  const out = new Float32Array(n);
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.length);
  for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

/** Encode a state vector as the state frame. */
export function encodeState(state: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(state.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < state.length; i++) dv.setFloat32(4 * i, state[i]!, true);
  return out;
}

/** An error reply for `e`, carrying the stop action. */
export function errorReply(e: RequestError, echo: HeaderEcho, stop: ArrayLike<number>, latencyMs: number): ErrorReply {
  const r: ErrorReply = {
    v: 1,
    type: echo.type,
    seq: echo.seq,
    ok: false,
    error: e.message,
    field: e.field,
    expected: e.expected,
    got: e.got,
    action: Array.from(stop),
    stopped: true,
    reason: 'bad-request',
    latency_ms: latencyMs,
  };
  if (echo.stamp !== undefined) r.stamp = echo.stamp;
  return r;
}

/** Encode a reply object as its JSON frame. */
export function encodeReply(r: object): Buffer {
  return Buffer.from(JSON.stringify(r), 'utf8');
}
