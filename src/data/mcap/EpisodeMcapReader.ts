/**
 * Indexed reader of one episode MCAP (format v1). Opening reads only the summary and the
 * 'lara.episode' metadata record; `readSteps` reads only the chunks overlapping the requested
 * steps (MCAP chunk index) and decodes only the requested frames.
 */
import { McapIndexedReader } from '@mcap/core';
import type { Episode, CameraFrames } from '../episode.ts';
import { decodeImage } from '../image.ts';
import { rosType } from '../ros/msgdefs.ts';
import { FileReadable } from './fileIo.ts';
import { EPISODE_METADATA_NAME, TOPICS, type CameraInfo } from '../format.ts';
import { LaraError } from '../../util/errors.ts';

export interface StepsData {
  /** Step indices read, in order. */
  steps: number[];
  /** Seconds from episode start, one per step. */
  timestamps: number[];
  /** camera name -> frames [H, W, 3] per step. */
  cameras: Record<string, CameraFrames>;
  actions?: Float32Array[];
  states?: Float32Array[];
  /** Latent code stored at each step (transition step -> step+1); -1 for the last step of the episode. */
  latents?: Int32Array;
}

export class EpisodeMcapReader {
  readonly path: string;
  readonly length: number;
  readonly instruction: string;
  readonly metadata: Record<string, unknown>;
  /** Log time of each step in ns. */
  readonly timesNs: bigint[];
  readonly topics: Set<string>;
  #io: FileReadable;
  #reader: McapIndexedReader;
  #stepByTime: Map<bigint, number>;

  private constructor(path: string, io: FileReadable, reader: McapIndexedReader, meta: ParsedMeta) {
    this.path = path;
    this.#io = io;
    this.#reader = reader;
    this.length = meta.length;
    this.instruction = meta.instruction;
    this.metadata = meta.metadata;
    this.timesNs = meta.timesNs;
    this.#stepByTime = new Map(this.timesNs.map((t, i) => [t, i]));
    this.topics = new Set([...reader.channelsById.values()].map((c) => c.topic));
  }

  static async open(path: string): Promise<EpisodeMcapReader> {
    let io: FileReadable;
    try {
      io = await FileReadable.open(path);
    } catch (e) {
      throw new LaraError(`cannot open episode file: ${(e as Error).message}`, { file: path });
    }
    try {
      const reader = await McapIndexedReader.Initialize({ readable: io });
      let meta: Map<string, string> | undefined;
      for await (const m of reader.readMetadata({ name: EPISODE_METADATA_NAME })) meta = m.metadata;
      if (!meta) throw new LaraError('episode file has no lara.episode metadata record', { file: path, expected: 'a lara format v1 episode' });
      return new EpisodeMcapReader(path, io, reader, parseMeta(path, meta));
    } catch (e) {
      await io.close();
      if (e instanceof LaraError) throw e;
      throw new LaraError(`corrupt or truncated episode file: ${(e as Error).message}`, { file: path, expected: 'an indexed MCAP file written by lara' });
    }
  }

  get bytesRead(): number {
    return this.#io.bytesRead;
  }

  async close(): Promise<void> {
    await this.#io.close();
  }

  /** Read the given steps (ascending, in range). `cameras` limits which camera topics are decoded. */
  async readSteps(steps: number[], cameras: CameraInfo[], opts: { actions?: boolean; states?: boolean; latents?: boolean } = {}): Promise<StepsData> {
    const n = steps.length;
    for (let i = 0; i < n; i++) {
      const s = steps[i]!;
      if (!Number.isInteger(s) || s < 0 || s >= this.length || (i > 0 && s <= steps[i - 1]!)) {
        throw new LaraError('step out of range', { file: this.path, where: `steps[${i}]`, expected: `ascending integers in [0, ${this.length})`, got: String(s) });
      }
    }
    const slot = new Map<number, number>(steps.map((s, i) => [s, i]));
    const camByTopic = new Map(cameras.map((c) => [TOPICS.camera(c.name), c]));
    const want = { actions: opts.actions ?? true, states: opts.states ?? true, latents: opts.latents ?? true };
    const topics = [...camByTopic.keys()];
    if (want.actions && this.topics.has(TOPICS.action)) topics.push(TOPICS.action);
    if (want.states && this.topics.has(TOPICS.state)) topics.push(TOPICS.state);
    if (want.latents && this.topics.has(TOPICS.latent)) topics.push(TOPICS.latent);
    const out: StepsData = { steps: [...steps], timestamps: steps.map((s) => Number(this.timesNs[s]!) / 1e9), cameras: {} };
    const pending: Promise<void>[] = [];
    for (const c of cameras) out.cameras[c.name] = { width: c.width, height: c.height, frames: new Array<Uint8Array>(n) };
    if (topics.includes(TOPICS.action)) out.actions = new Array<Float32Array>(n);
    if (topics.includes(TOPICS.state)) out.states = new Array<Float32Array>(n);
    if (topics.includes(TOPICS.latent)) out.latents = new Int32Array(n).fill(-1);
    if (n === 0) return out;
    try {
      for await (const m of this.#reader.readMessages({ topics, startTime: this.timesNs[steps[0]!]!, endTime: this.timesNs[steps[n - 1]!]! })) {
        const step = this.#stepByTime.get(m.logTime);
        const i = step === undefined ? undefined : slot.get(step);
        if (i === undefined) continue;
        const ch = this.#reader.channelsById.get(m.channelId)!;
        const type = this.#reader.schemasById.get(ch.schemaId)!.name;
        const msg = rosType(type).reader.readMessage<Record<string, unknown>>(m.data);
        const cam = camByTopic.get(ch.topic);
        if (cam) {
          pending.push(this.#decodeFrame(cam, type, msg, step!).then((f) => void (out.cameras[cam.name]!.frames[i] = f)));
        } else if (ch.topic === TOPICS.action) out.actions![i] = Float32Array.from(msg.data as ArrayLike<number>);
        else if (ch.topic === TOPICS.state) out.states![i] = Float32Array.from(msg.data as ArrayLike<number>);
        else if (ch.topic === TOPICS.latent) out.latents![i] = msg.data as number;
      }
      await Promise.all(pending);
    } catch (e) {
      await Promise.allSettled(pending);
      if (e instanceof LaraError) throw e;
      throw new LaraError(`corrupt episode data: ${(e as Error).message}`, { file: this.path, where: `steps ${steps[0]}..${steps[n - 1]}`, expected: 'readable MCAP chunks' });
    }
    for (const c of cameras) {
      const f = out.cameras[c.name]!.frames;
      for (let i = 0; i < n; i++) if (!f[i]) throw new LaraError('missing frame', { file: this.path, where: `${TOPICS.camera(c.name)} step ${steps[i]}`, expected: 'one image per step' });
    }
    return out;
  }

  async #decodeFrame(cam: CameraInfo, type: string, msg: Record<string, unknown>, step: number): Promise<Uint8Array> {
    const where = { file: this.path, where: `${TOPICS.camera(cam.name)} step ${step}` };
    if (type === 'sensor_msgs/Image') {
      const d = msg.data as Uint8Array;
      if (msg.encoding !== 'rgb8' || d.length !== cam.width * cam.height * 3) throw new LaraError('unexpected raw image', { ...where, expected: `rgb8 ${cam.width}x${cam.height}`, got: `${String(msg.encoding)} ${d.length} bytes` });
      return Uint8Array.from(d);
    }
    const img = await decodeImage(msg.data as Uint8Array, where);
    if (img.width !== cam.width || img.height !== cam.height) throw new LaraError('frame size differs from info.json', { ...where, expected: `${cam.width}x${cam.height}`, got: `${img.width}x${img.height}` });
    return img.data;
  }

  /** Read the whole episode. */
  async readEpisode(cameras: CameraInfo[]): Promise<Episode> {
    const all = Array.from({ length: this.length }, (_, i) => i);
    const d = await this.readSteps(all, cameras);
    const ep: Episode = { instruction: this.instruction, cameras: d.cameras, timestamps: d.timestamps, metadata: this.metadata };
    if (d.actions) ep.actions = d.actions;
    if (d.states) ep.states = d.states;
    if (d.latents) ep.latents = d.latents.slice(0, Math.max(0, this.length - 1));
    return ep;
  }
}

interface ParsedMeta {
  length: number;
  instruction: string;
  metadata: Record<string, unknown>;
  timesNs: bigint[];
}

function parseMeta(path: string, meta: Map<string, string>): ParsedMeta {
  const bad = (field: string, got: string | undefined): never => {
    throw new LaraError('corrupt episode metadata', { file: path, where: `metadata ${EPISODE_METADATA_NAME}.${field}`, expected: 'a valid value', got: String(got) });
  };
  const length = Number(meta.get('length'));
  if (!Number.isInteger(length) || length < 0) bad('length', meta.get('length'));
  let metadata: Record<string, unknown> = {};
  let ns: unknown;
  try {
    metadata = JSON.parse(meta.get('metadata') ?? '{}') as Record<string, unknown>;
  } catch {
    bad('metadata', meta.get('metadata')?.slice(0, 40));
  }
  try {
    ns = JSON.parse(meta.get('timestamps_ns') ?? 'null');
  } catch {
    bad('timestamps_ns', meta.get('timestamps_ns')?.slice(0, 40));
  }
  if (!Array.isArray(ns) || ns.length !== length || !ns.every((x) => Number.isInteger(x))) bad('timestamps_ns', meta.get('timestamps_ns')?.slice(0, 40));
  return { length, instruction: meta.get('instruction') ?? '', metadata, timesNs: (ns as number[]).map((x) => BigInt(x)) };
}
