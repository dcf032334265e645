/**
 * Fast (de)serialization for sensor_msgs/Image and sensor_msgs/CompressedImage.
 *
 * rosnodejs' on-the-fly message classes read and write uint8[] one element at a time and hand
 * the data over as a plain JS array: ~20 ms each way for a 256x320 rgb8 image. Both layouts are
 * fixed, so lara replaces those classes' static getMessageSize / serialize / deserialize with
 * block copies (data arrives as a Uint8Array). Byte-for-byte equality with rosnodejs' own
 * serializer is checked in test/ros/fastImage.test.ts.
 *
 * Wire layout (little endian): Header = uint32 seq, uint32 secs, uint32 nsecs, string frame_id;
 * string = uint32 length + bytes; uint8[] = uint32 length + bytes.
 *   Image:           Header, uint32 height, uint32 width, string encoding, uint8 is_bigendian,
 *                    uint32 step, uint8[] data
 *   CompressedImage: Header, string format, uint8[] data
 */
interface Header {
  seq?: number;
  stamp?: { secs?: number; nsecs?: number };
  frame_id?: string;
}
interface ImageLike {
  header?: Header;
  height?: number;
  width?: number;
  encoding?: string;
  is_bigendian?: number;
  step?: number;
  format?: string;
  data?: ArrayLike<number>;
}

interface MessageClass {
  getMessageSize(m: unknown): number;
  serialize(m: unknown, buf: Buffer, offset: number): number;
  deserialize(buf: Buffer, offset?: number[]): unknown;
}

const strLen = (s: string | undefined) => 4 + Buffer.byteLength(s ?? '', 'utf8');
const dataLen = (d: ArrayLike<number> | undefined) => 4 + (d?.length ?? 0);

function writeStr(s: string | undefined, buf: Buffer, o: number): number {
  const n = buf.write(s ?? '', o + 4, 'utf8');
  buf.writeUInt32LE(n, o);
  return o + 4 + n;
}

function writeData(d: ArrayLike<number> | undefined, buf: Buffer, o: number): number {
  const n = d?.length ?? 0;
  buf.writeUInt32LE(n, o);
  if (n === 0) return o + 4;
  if (d instanceof Uint8Array) buf.set(d, o + 4);
  else for (let i = 0; i < n; i++) buf[o + 4 + i] = d![i]! & 0xff;
  return o + 4 + n;
}

function writeHeader(h: Header | undefined, buf: Buffer, o: number): number {
  buf.writeUInt32LE((h?.seq ?? 0) >>> 0, o);
  buf.writeUInt32LE((h?.stamp?.secs ?? 0) >>> 0, o + 4);
  buf.writeUInt32LE((h?.stamp?.nsecs ?? 0) >>> 0, o + 8);
  return writeStr(h?.frame_id, buf, o + 12);
}

class Cursor {
  constructor(
    readonly buf: Buffer,
    public o: number,
  ) {}
  u32(): number {
    const v = this.buf.readUInt32LE(this.o);
    this.o += 4;
    return v;
  }
  u8(): number {
    return this.buf[this.o++]!;
  }
  str(): string {
    const n = this.u32();
    const s = this.buf.toString('utf8', this.o, this.o + n);
    this.o += n;
    return s;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    const out = Uint8Array.prototype.slice.call(this.buf, this.o, this.o + n);
    this.o += n;
    return out;
  }
  header(): Required<Header> {
    return { seq: this.u32(), stamp: { secs: this.u32(), nsecs: this.u32() }, frame_id: this.str() };
  }
}

const headerLen = (h: Header | undefined) => 12 + strLen(h?.frame_id);

export const imageCodec = {
  getMessageSize: (m: ImageLike) => headerLen(m.header) + 8 + strLen(m.encoding) + 1 + 4 + dataLen(m.data),
  serialize(m: ImageLike, buf: Buffer, offset: number): number {
    let o = writeHeader(m.header, buf, offset);
    buf.writeUInt32LE((m.height ?? 0) >>> 0, o);
    buf.writeUInt32LE((m.width ?? 0) >>> 0, o + 4);
    o = writeStr(m.encoding, buf, o + 8);
    buf[o] = (m.is_bigendian ?? 0) & 0xff;
    buf.writeUInt32LE((m.step ?? 0) >>> 0, o + 1);
    return writeData(m.data, buf, o + 5);
  },
  deserialize(buf: Buffer, offset: number[] = [0]) {
    const c = new Cursor(buf, offset[0] ?? 0);
    const m = { header: c.header(), height: c.u32(), width: c.u32(), encoding: c.str(), is_bigendian: c.u8(), step: c.u32(), data: c.bytes() };
    offset[0] = c.o;
    return m;
  },
};

export const compressedCodec = {
  getMessageSize: (m: ImageLike) => headerLen(m.header) + strLen(m.format) + dataLen(m.data),
  serialize(m: ImageLike, buf: Buffer, offset: number): number {
    const o = writeStr(m.format, buf, writeHeader(m.header, buf, offset));
    return writeData(m.data, buf, o);
  },
  deserialize(buf: Buffer, offset: number[] = [0]) {
    const c = new Cursor(buf, offset[0] ?? 0);
    const m = { header: c.header(), format: c.str(), data: c.bytes() };
    offset[0] = c.o;
    return m;
  },
};

/** Replace the (de)serializers of rosnodejs' Image / CompressedImage classes (idempotent). */
export function installFastImageCodecs(checkMessage: (type: string) => unknown): void {
  for (const [type, codec] of [
    ['sensor_msgs/Image', imageCodec],
    ['sensor_msgs/CompressedImage', compressedCodec],
  ] as const) {
    let cls: MessageClass & { __laraFast?: boolean };
    try {
      cls = checkMessage(type) as MessageClass & { __laraFast?: boolean };
    } catch {
      continue;
    }
    if (!cls || cls.__laraFast) continue;
    cls.getMessageSize = codec.getMessageSize as MessageClass['getMessageSize'];
    cls.serialize = codec.serialize as MessageClass['serialize'];
    cls.deserialize = codec.deserialize;
    cls.__laraFast = true;
  }
}
