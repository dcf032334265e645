/**
 * Minimal decoder of tf.train.Example protocol buffers (wire format by hand):
 *   Example { Features features = 1 }   Features { map<string, Feature> feature = 1 }
 *   Feature { oneof { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3 } }
 *   BytesList { repeated bytes value = 1 }  FloatList { repeated float value = 1 [packed] }
 *   Int64List { repeated int64 value = 1 [packed] }
 */
export type Feature =
  | { kind: 'bytes'; value: Uint8Array[] }
  | { kind: 'float'; value: Float32Array }
  | { kind: 'int64'; value: bigint[] };

export type Example = Map<string, Feature>;

export class ProtoError extends Error {}

class Cursor {
  pos: number;
  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new ProtoError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtoError(`varint too long at byte ${this.pos}`);
    }
  }
  int(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtoError(`length too large at byte ${this.pos}`);
    return Number(v);
  }
  bytes(): Uint8Array {
    const n = this.int();
    if (this.pos + n > this.end) throw new ProtoError(`field of ${n} bytes runs past its message (at byte ${this.pos})`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new ProtoError(`unsupported wire type ${wire} at byte ${this.pos}`);
    if (this.pos > this.end) throw new ProtoError('field runs past its message');
  }
  /** Iterate (field number, wire type). */
  *fields(): Generator<[number, number]> {
    while (this.pos < this.end) {
      const key = this.int();
      yield [key >>> 3, key & 7];
    }
  }
}

function sub(c: Cursor): Cursor {
  const b = c.bytes();
  return new Cursor(b);
}

const toSigned = (v: bigint): bigint => BigInt.asIntN(64, v);

function decodeFeature(c: Cursor): Feature {
  let f: Feature = { kind: 'bytes', value: [] };
  for (const [no, wire] of c.fields()) {
    if (wire !== 2 || no < 1 || no > 3) {
      c.skip(wire);
      continue;
    }
    const list = sub(c);
    if (no === 1) {
      const value: Uint8Array[] = [];
      for (const [n2, w2] of list.fields()) {
        if (n2 === 1 && w2 === 2) value.push(list.bytes());
        else list.skip(w2);
      }
      f = { kind: 'bytes', value };
    } else if (no === 2) {
      const vals: number[] = [];
      for (const [n2, w2] of list.fields()) {
        if (n2 === 1 && w2 === 2) {
          const p = list.bytes();
          if (p.length % 4) throw new ProtoError('packed float list length not a multiple of 4');
          const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
          for (let i = 0; i < p.length; i += 4) vals.push(dv.getFloat32(i, true));
        } else if (n2 === 1 && w2 === 5) {
          const dv = new DataView(list.buf.buffer, list.buf.byteOffset + list.pos, 4);
          vals.push(dv.getFloat32(0, true));
          list.pos += 4;
        } else list.skip(w2);
      }
      f = { kind: 'float', value: Float32Array.from(vals) };
    } else {
      const value: bigint[] = [];
      for (const [n2, w2] of list.fields()) {
        if (n2 === 1 && w2 === 2) {
          const p = new Cursor(list.bytes());
          while (p.pos < p.end) value.push(toSigned(p.varint()));
        } else if (n2 === 1 && w2 === 0) value.push(toSigned(list.varint()));
        else list.skip(w2);
      }
      f = { kind: 'int64', value };
    }
  }
  return f;
}

/** Decode a serialized tf.train.Example. Throws ProtoError on malformed input. */
export function decodeExample(buf: Uint8Array): Example {
  const out: Example = new Map();
  const ex = new Cursor(buf);
  for (const [no, wire] of ex.fields()) {
    if (no !== 1 || wire !== 2) {
      ex.skip(wire);
      continue;
    }
    const feats = sub(ex);
    for (const [n2, w2] of feats.fields()) {
      if (n2 !== 1 || w2 !== 2) {
        feats.skip(w2);
        continue;
      }
      const entry = sub(feats);
      let key = '';
      let feature: Feature | undefined;
      for (const [n3, w3] of entry.fields()) {
        if (n3 === 1 && w3 === 2) key = new TextDecoder().decode(entry.bytes());
        else if (n3 === 2 && w3 === 2) feature = decodeFeature(sub(entry));
        else entry.skip(w3);
      }
      out.set(key, feature ?? { kind: 'bytes', value: [] });
    }
  }
  return out;
}

/** Encode an Example (used by tests to make RT-1-style records). */
export function encodeExample(ex: Example): Uint8Array {
  const parts: number[] = [];
  const varint = (out: number[], v: bigint): void => {
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      out.push(b);
    } while (x);
  };
  const lenDelim = (out: number[], no: number, body: number[] | Uint8Array): void => {
    varint(out, BigInt((no << 3) | 2));
    varint(out, BigInt(body.length));
    for (const b of body) out.push(b);
  };
  const feats: number[] = [];
  for (const [key, f] of ex) {
    const list: number[] = [];
    if (f.kind === 'bytes') for (const v of f.value) lenDelim(list, 1, v);
    else if (f.kind === 'float') lenDelim(list, 1, new Uint8Array(f.value.buffer, f.value.byteOffset, f.value.byteLength));
    else {
      const p: number[] = [];
      for (const v of f.value) varint(p, v);
      lenDelim(list, 1, p);
    }
    const feature: number[] = [];
    lenDelim(feature, f.kind === 'bytes' ? 1 : f.kind === 'float' ? 2 : 3, list);
    const entry: number[] = [];
    lenDelim(entry, 1, new TextEncoder().encode(key));
    lenDelim(entry, 2, feature);
    lenDelim(feats, 1, entry);
  }
  lenDelim(parts, 1, feats);
  return Uint8Array.from(parts);
}
