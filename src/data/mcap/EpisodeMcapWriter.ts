/**
 * Writes one lara Episode as an MCAP file of ROS 1 messages (format v1, docs/dataset-format.md):
 *   /camera/<name>        sensor_msgs/CompressedImage (png|jpeg) or sensor_msgs/Image (rgb8)
 *   /lara/action          std_msgs/Float32MultiArray, dim[0].label = comma-joined dimension names
 *   /lara/state           std_msgs/Float32MultiArray (same convention)
 *   /lara/latent_action   std_msgs/Int32, at the time of step t for the transition t -> t+1
 *   metadata 'lara.episode': instruction, metadata (JSON), length, timestamps_ns (JSON)
 * Log time of step t = round(timestamps[t] * 1e9) ns.
 */
import { McapWriter } from '@mcap/core';
import type { Episode } from '../episode.ts';
import { encodeImage } from '../image.ts';
import { rosType, rosTime } from '../ros/msgdefs.ts';
import { FileWritable } from './fileIo.ts';
import { EPISODE_METADATA_NAME, FORMAT_VERSION, TOPICS, type CameraInfo } from '../format.ts';
import { LaraError } from '../../util/errors.ts';

export interface EpisodeLayout {
  cameras: CameraInfo[];
  actionNames: string[] | null;
  stateNames: string[] | null;
}

/** Chunk size in bytes: small chunks let a window read touch only the frames it needs. */
const CHUNK_SIZE = 64 * 1024;

export function timestampsToNs(ts: number[], where: string): bigint[] {
  const ns = ts.map((t) => BigInt(Math.round(t * 1e9)));
  for (let i = 0; i < ns.length; i++) {
    if (!Number.isFinite(ts[i]!) || ns[i]! < 0n || (i > 0 && ns[i]! <= ns[i - 1]!)) {
      throw new LaraError('timestamps must be finite, >= 0 and strictly increasing (ns resolution)', { where: `${where} timestamps[${i}]`, got: String(ts[i]) });
    }
  }
  return ns;
}

/** Serialize raw messages for a whole episode (images encoded), in step order. */
export async function writeEpisodeMcap(path: string, ep: Episode, layout: EpisodeLayout, where: string): Promise<number> {
  const T = ep.timestamps.length;
  const ns = timestampsToNs(ep.timestamps, where);
  const out = await FileWritable.create(path);
  try {
    const w = new McapWriter({ writable: out, chunkSize: CHUNK_SIZE, useMessageIndex: true, useChunkIndex: true, useStatistics: true, useSummaryOffsets: true, useMetadataIndex: true });
    await w.start({ profile: 'ros1', library: 'lara' });
    const schemaIds = new Map<string, number>();
    const schema = async (name: string): Promise<number> => {
      let id = schemaIds.get(name);
      if (id === undefined) {
        id = await w.registerSchema({ name, encoding: 'ros1msg', data: new TextEncoder().encode(rosType(name).text) });
        schemaIds.set(name, id);
      }
      return id;
    };
    const channel = async (topic: string, type: string, meta: Record<string, string> = {}): Promise<number> =>
      w.registerChannel({ topic, schemaId: await schema(type), messageEncoding: 'ros1', metadata: new Map(Object.entries(meta)) });
    const seq = new Map<number, number>();
    const add = async (channelId: number, t: bigint, type: string, msg: unknown): Promise<void> => {
      const s = seq.get(channelId) ?? 0;
      seq.set(channelId, s + 1);
      await w.addMessage({ channelId, sequence: s, logTime: t, publishTime: t, data: rosType(type).writer.writeMessage(msg) });
    };

    const cams: { info: CameraInfo; ch: number; type: string }[] = [];
    for (const c of layout.cameras) {
      const frames = ep.cameras[c.name];
      if (!frames) throw new LaraError('episode lacks a camera of the dataset', { where, expected: `camera ${c.name}`, got: Object.keys(ep.cameras).join(', ') || 'none' });
      if (frames.width !== c.width || frames.height !== c.height) throw new LaraError('camera size differs from the dataset', { where: `${where} camera ${c.name}`, expected: `${c.width}x${c.height}`, got: `${frames.width}x${frames.height}` });
      if (frames.frames.length !== T) throw new LaraError('camera frame count differs from timestamps', { where: `${where} camera ${c.name}`, expected: String(T), got: String(frames.frames.length) });
      const type = c.encoding === 'raw' ? 'sensor_msgs/Image' : 'sensor_msgs/CompressedImage';
      cams.push({ info: c, type, ch: await channel(TOPICS.camera(c.name), type, { width: String(c.width), height: String(c.height) }) });
    }
    const vec = async (topic: string, rows: Float32Array[] | undefined, names: string[] | null, what: string): Promise<{ ch: number; rows: Float32Array[]; label: string } | null> => {
      if (!names) return null;
      if (!rows || rows.length !== T) throw new LaraError(`episode ${what} count differs from its length`, { where, expected: `${T} rows of ${names.length}`, got: rows ? `${rows.length} rows` : 'none' });
      rows.forEach((r, i) => {
        if (r.length !== names.length) throw new LaraError(`${what} has the wrong dimension`, { where: `${where} ${what}[${i}]`, expected: String(names.length), got: String(r.length) });
      });
      return { ch: await channel(topic, 'std_msgs/Float32MultiArray', { names: JSON.stringify(names) }), rows, label: names.join(',') };
    };
    const act = await vec(TOPICS.action, ep.actions, layout.actionNames, 'actions');
    const st = await vec(TOPICS.state, ep.states, layout.stateNames, 'states');
    let lat: number | null = null;
    if (ep.latents) {
      if (ep.latents.length !== Math.max(0, T - 1)) throw new LaraError('latent count must be episode length - 1', { where, expected: String(T - 1), got: String(ep.latents.length) });
      lat = await channel(TOPICS.latent, 'std_msgs/Int32');
    }

    for (let t = 0; t < T; t++) {
      const time = ns[t]!;
      const header = { seq: t, stamp: rosTime(time), frame_id: '' };
      for (const c of cams) {
        const raw = ep.cameras[c.info.name]!.frames[t]!;
        if (raw.length !== c.info.width * c.info.height * 3) throw new LaraError('frame has the wrong byte length', { where: `${where} camera ${c.info.name} frame ${t}`, expected: String(c.info.width * c.info.height * 3), got: String(raw.length) });
        if (c.info.encoding === 'raw') {
          await add(c.ch, time, c.type, { header: { ...header, frame_id: c.info.name }, height: c.info.height, width: c.info.width, encoding: 'rgb8', is_bigendian: 0, step: c.info.width * 3, data: raw });
        } else {
          const data = await encodeImage({ width: c.info.width, height: c.info.height, data: raw }, c.info.encoding);
          await add(c.ch, time, c.type, { header: { ...header, frame_id: c.info.name }, format: c.info.encoding, data });
        }
      }
      for (const v of [act, st]) {
        if (v) await add(v.ch, time, 'std_msgs/Float32MultiArray', { layout: { dim: [{ label: v.label, size: v.rows[t]!.length, stride: v.rows[t]!.length }], data_offset: 0 }, data: v.rows[t]! });
      }
      if (lat !== null && t < T - 1) await add(lat, time, 'std_msgs/Int32', { data: ep.latents![t]! });
    }
    await w.addMetadata({
      name: EPISODE_METADATA_NAME,
      metadata: new Map([
        ['format_version', String(FORMAT_VERSION)],
        ['instruction', ep.instruction],
        ['length', String(T)],
        ['timestamps_ns', JSON.stringify(ns.map((x) => Number(x)))],
        ['metadata', JSON.stringify(ep.metadata ?? {})],
      ]),
    });
    await w.end();
    return Number(out.position());
  } finally {
    await out.close();
  }
}
