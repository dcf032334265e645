/**
 * Minimal ROS bag v2.0 writer (uncompressed chunks), for tests and tools: connection records,
 * message data records in chunks, index data per chunk, then connection + chunk info records
 * at index_pos. Message types come from @foxglove/rosmsg-msgs-common (see ../ros/msgdefs.ts).
 */
import { openSync, writeSync, closeSync, renameSync, rmSync } from 'node:fs';
import { rosType, rosTime, type RosType } from '../ros/msgdefs.ts';
import { tempPathFor } from '../../util/atomic.ts';

const enc = new TextEncoder();
type FieldValue = string | Uint8Array;

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}
function u64(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
}
function time(ns: bigint): Uint8Array {
  const t = rosTime(ns);
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, t.sec, true);
  dv.setUint32(4, t.nsec, true);
  return b;
}
function cat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
function header(fields: Record<string, FieldValue>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const val = typeof v === 'string' ? enc.encode(v) : v;
    const name = enc.encode(k + '=');
    parts.push(u32(name.length + val.length), name, val);
  }
  return cat(parts);
}
function record(fields: Record<string, FieldValue>, data: Uint8Array): Uint8Array {
  const h = header(fields);
  return cat([u32(h.length), h, u32(data.length), data]);
}

interface Conn {
  id: number;
  topic: string;
  type: RosType;
  /** Message count per chunk, for chunk info. */
}

export class BagWriter {
  #fd: number;
  #path: string;
  #tmp: string;
  #pos = 0;
  #conns = new Map<string, Conn>();
  #chunk: Uint8Array[] = [];
  #chunkBytes = 0;
  #chunkConns = new Set<number>();
  #index = new Map<number, { t: bigint; off: number }[]>();
  #chunkStart: bigint | null = null;
  #chunkEnd = 0n;
  #chunkInfos: Uint8Array[] = [];
  #chunkSize: number;

  private constructor(path: string, chunkSize: number) {
    this.#path = path;
    this.#tmp = tempPathFor(path);
    this.#fd = openSync(this.#tmp, 'w');
    this.#chunkSize = chunkSize;
    this.#write(enc.encode('#ROSBAG V2.0\n'));
    this.#write(new Uint8Array(4096)); // bag header placeholder, rewritten by close()
  }

  /** Start a bag at `path` (written to a temp file, renamed by close()). */
  static create(path: string, opts: { chunkSize?: number } = {}): BagWriter {
    return new BagWriter(path, opts.chunkSize ?? 768 * 1024);
  }

  #write(b: Uint8Array, at?: number): void {
    writeSync(this.#fd, b, 0, b.length, at ?? this.#pos);
    if (at === undefined) this.#pos += b.length;
  }

  /** Declare a topic with a ROS 1 type, e.g. ('/camera/image', 'sensor_msgs/Image'). */
  addTopic(topic: string, typeName: string): void {
    if (!this.#conns.has(topic)) this.#conns.set(topic, { id: this.#conns.size, topic, type: rosType(typeName) });
  }

  #connRecord(c: Conn): Uint8Array {
    return record({ op: Uint8Array.of(0x07), conn: u32(c.id), topic: c.topic }, header({ topic: c.topic, type: c.type.name, md5sum: c.type.md5, message_definition: c.type.text }));
  }

  /** Write one message (time in ns since the epoch). */
  write(topic: string, timeNs: bigint, msg: unknown): void {
    const c = this.#conns.get(topic);
    if (!c) throw new Error(`BagWriter: topic ${topic} was not declared with addTopic`);
    if (!this.#chunkConns.has(c.id)) {
      this.#push(this.#connRecord(c));
      this.#chunkConns.add(c.id);
    }
    const data = c.type.writer.writeMessage(msg);
    const list = this.#index.get(c.id) ?? [];
    list.push({ t: timeNs, off: this.#chunkBytes });
    this.#index.set(c.id, list);
    this.#push(record({ op: Uint8Array.of(0x02), conn: u32(c.id), time: time(timeNs) }, data));
    if (this.#chunkStart === null || timeNs < this.#chunkStart) this.#chunkStart = timeNs;
    if (timeNs > this.#chunkEnd) this.#chunkEnd = timeNs;
    if (this.#chunkBytes >= this.#chunkSize) this.#flush();
  }

  #push(b: Uint8Array): void {
    this.#chunk.push(b);
    this.#chunkBytes += b.length;
  }

  #flush(): void {
    if (!this.#chunkBytes) return;
    const chunkPos = this.#pos;
    const data = cat(this.#chunk);
    this.#write(record({ op: Uint8Array.of(0x05), compression: 'none', size: u32(data.length) }, data));
    const counts: Uint8Array[] = [];
    for (const [conn, entries] of this.#index) {
      const body = cat(entries.flatMap((e) => [time(e.t), u32(e.off)]));
      this.#write(record({ op: Uint8Array.of(0x04), ver: u32(1), conn: u32(conn), count: u32(entries.length) }, body));
      counts.push(u32(conn), u32(entries.length));
    }
    this.#chunkInfos.push(
      record({ op: Uint8Array.of(0x06), ver: u32(1), chunk_pos: u64(chunkPos), start_time: time(this.#chunkStart ?? 0n), end_time: time(this.#chunkEnd), count: u32(this.#index.size) }, cat(counts)),
    );
    this.#chunk = [];
    this.#chunkBytes = 0;
    this.#chunkConns.clear();
    this.#index.clear();
    this.#chunkStart = null;
    this.#chunkEnd = 0n;
  }

  /** Flush, write the index section and the bag header, and move the file into place. */
  close(): void {
    try {
      this.#flush();
      const indexPos = this.#pos;
      for (const c of this.#conns.values()) this.#write(this.#connRecord(c));
      for (const ci of this.#chunkInfos) this.#write(ci);
      const h = header({ op: Uint8Array.of(0x03), index_pos: u64(indexPos), conn_count: u32(this.#conns.size), chunk_count: u32(this.#chunkInfos.length) });
      const padLen = 4096 - 4 - h.length - 4;
      const bagHeader = cat([u32(h.length), h, u32(padLen), new Uint8Array(padLen).fill(0x20)]);
      this.#write(bagHeader, 13);
      closeSync(this.#fd);
      renameSync(this.#tmp, this.#path);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  abort(): void {
    try {
      closeSync(this.#fd);
    } catch {
      /* already closed */
    }
    rmSync(this.#tmp, { force: true });
  }
}
