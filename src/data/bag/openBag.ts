/**
 * Open a ROS 1 bag with @foxglove/rosbag (lz4 and bz2 chunks supported), list its topics, and turn
 * reader failures into LaraErrors naming the file.
 */
import { open as openFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Bag } from '@foxglove/rosbag';
import lz4 from '@foxglove/wasm-lz4';
import { LaraError } from '../../util/errors.ts';

const require = createRequire(import.meta.url);
const { FileReader } = require('@foxglove/rosbag/node.js') as { FileReader: new (path: string) => { close(): Promise<void>; read(o: number, l: number): Promise<Uint8Array>; size(): number } };

export interface TopicInfo {
  topic: string;
  type: string;
  count: number;
}

export interface OpenBag {
  path: string;
  bag: Bag;
  topics: TopicInfo[];
  close(): Promise<void>;
}

let bz2: { decompress(src: Uint8Array, size: number): Uint8Array } | null = null;

/** Compression names used by the bag's chunks (reads each chunk record's header only). */
async function chunkCompressions(path: string, positions: number[]): Promise<Set<string>> {
  const fh = await openFile(path, 'r');
  const out = new Set<string>();
  try {
    const buf = Buffer.alloc(256);
    for (const pos of positions) {
      const { bytesRead } = await fh.read(buf, 0, 256, pos);
      const hlen = buf.readUInt32LE(0);
      let o = 4;
      while (o < Math.min(4 + hlen, bytesRead) - 4) {
        const flen = buf.readUInt32LE(o);
        const field = buf.subarray(o + 4, Math.min(o + 4 + flen, bytesRead)).toString('latin1');
        if (field.startsWith('compression=')) out.add(field.slice(12));
        o += 4 + flen;
      }
    }
  } finally {
    await fh.close();
  }
  return out;
}

export async function openBag(path: string): Promise<OpenBag> {
  if (!existsSync(path)) throw new LaraError('no such bag file', { file: path });
  await lz4.isLoaded;
  const reader = new FileReader(path);
  const decompress = {
    lz4: (b: Uint8Array, size: number) => new Uint8Array(lz4(b, size)),
    bz2: (b: Uint8Array, size: number) => {
      if (!bz2) throw new Error('bz2 decompressor not loaded');
      return bz2.decompress(b, size);
    },
  };
  const bag = new Bag(reader, { decompress, parse: true });
  try {
    await bag.open();
    const comps = await chunkCompressions(path, bag.chunkInfos.map((c) => c.chunkPosition));
    if (comps.has('bz2') && !bz2) {
      const Bzip2 = (await import('@foxglove/wasm-bz2')).default as unknown as { init(): Promise<{ decompress(src: Uint8Array, size: number, o?: object): Uint8Array }> };
      const b = await Bzip2.init();
      bz2 = { decompress: (src, size) => b.decompress(src, size, { small: false }) };
    }
    const unknown = [...comps].filter((c) => !['none', 'lz4', 'bz2'].includes(c));
    if (unknown.length) throw new LaraError('unsupported chunk compression', { file: path, expected: 'none, lz4 or bz2', got: unknown.join(', ') });
  } catch (e) {
    await reader.close().catch(() => undefined);
    if (e instanceof LaraError) throw e;
    throw new LaraError(`not a readable ROS 1 bag (corrupt or truncated): ${(e as Error).message}`, { file: path, expected: 'a ROS bag v2.0 file with its index' });
  }
  const counts = new Map<number, number>();
  for (const ci of bag.chunkInfos) for (const c of ci.connections as { conn: number; count: number }[]) counts.set(c.conn, (counts.get(c.conn) ?? 0) + c.count);
  const byTopic = new Map<string, TopicInfo>();
  for (const [id, c] of bag.connections) {
    const t = byTopic.get(c.topic) ?? { topic: c.topic, type: c.type ?? '?', count: 0 };
    t.count += counts.get(id) ?? 0;
    byTopic.set(c.topic, t);
  }
  const topics = [...byTopic.values()].sort((a, b) => a.topic.localeCompare(b.topic));
  return { path, bag, topics, close: () => reader.close() };
}

/** "topic (type, N msgs)" list for error messages and `dataset info`. */
export function formatTopics(topics: TopicInfo[]): string {
  return topics.map((t) => `${t.topic} (${t.type}, ${t.count} msgs)`).join(', ');
}

/** Iterate messages of `topics` in time order; reader errors become LaraErrors. */
export async function* bagMessages(b: OpenBag, topics: string[]): AsyncGenerator<{ topic: string; timeNs: bigint; message: Record<string, unknown> }> {
  if (b.bag.chunkInfos.length === 0) return;
  const it = b.bag.messageIterator({ topics })[Symbol.asyncIterator]();
  let n = 0;
  for (;;) {
    let r: IteratorResult<{ topic: string; timestamp: { sec: number; nsec: number }; message?: unknown }>;
    try {
      r = await it.next();
    } catch (e) {
      throw new LaraError(`cannot read bag messages (corrupt chunk?): ${(e as Error).message}`, { file: b.path, where: `after message ${n} of ${topics.join(', ')}` });
    }
    if (r.done) return;
    n++;
    const v = r.value;
    yield { topic: v.topic, timeNs: BigInt(v.timestamp.sec) * 1_000_000_000n + BigInt(v.timestamp.nsec), message: v.message as Record<string, unknown> };
  }
}
