import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, f32, i32, u8, readSafetensors, toFloat32, toInt32, writeSafetensors, halfToFloat } from '../../src/checkpoint/safetensors.ts';
import { LaraError } from '../../src/util/errors.ts';

const golden = join(import.meta.dirname, 'golden/python-written.safetensors');

describe('safetensors', () => {
  it('writes the documented layout: u64 LE header size, space-padded JSON, sorted aligned data', () => {
    const bytes = encodeSafetensors({ b: u8([3], [1, 2, 3]), a: f32([2, 2], [1, 2, 3, 4]), c: i32([1], [-9]) }, { note: 'x' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    expect(text.startsWith('{')).toBe(true);
    expect(/^[^ ]*\}\s*$/.test(text.replace(/: /g, ':'))).toBe(true);
    const h = JSON.parse(text);
    expect(h.__metadata__).toEqual({ note: 'x' });
    // 4-byte dtypes first (by name), then U8
    expect(h.a).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    expect(h.c).toEqual({ dtype: 'I32', shape: [1], data_offsets: [16, 20] });
    expect(h.b).toEqual({ dtype: 'U8', shape: [3], data_offsets: [20, 23] });
    expect(bytes.byteLength).toBe(8 + n + 23);
    expect(new Float32Array(bytes.slice(8 + n, 8 + n + 16).buffer)).toEqual(new Float32Array([1, 2, 3, 4]));
  });

  it('round-trips through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-st-'));
    const file = join(dir, 'x.safetensors');
    writeSafetensors(file, { w: f32([3], [0.1, -2, 3e-8]), n: i32([2, 1], [5, -6]), e: f32([0], []) });
    const r = readSafetensors(file);
    expect(Array.from(toFloat32(r.tensors.w!))).toEqual(Array.from(new Float32Array([0.1, -2, 3e-8])));
    expect(Array.from(toInt32(r.tensors.n!))).toEqual([5, -6]);
    expect(r.tensors.n!.shape).toEqual([2, 1]);
    expect(r.tensors.e!.shape).toEqual([0]);
    expect(r.metadata).toEqual({});
  });

  it('reads a file written by an independent Python writer (F32, F16, BF16, I32, I64, U8; unsorted, unaligned)', () => {
    const r = readSafetensors(golden);
    expect(r.metadata).toEqual({ written_by: 'python struct' });
    expect(Array.from(toFloat32(r.tensors.f32!))).toEqual(Array.from(new Float32Array([0.5, -1, 2.25, 3, -4.5, 1e-3])));
    expect(r.tensors.f32!.shape).toEqual([2, 3]);
    expect(Array.from(toFloat32(r.tensors.f16!))).toEqual([1, -2.5, 0.333251953125, 65504]);
    expect(Array.from(toFloat32(r.tensors.bf16!))).toEqual([1.5, -3, 0.099609375]);
    expect(Array.from(toInt32(r.tensors.i32!))).toEqual([-7, 2147483647]);
    expect(Array.from(toInt32(r.tensors.i64!))).toEqual([-5, 9]);
    expect(Array.from(toInt32(r.tensors.u8!))).toEqual([0, 128, 255]);
  });

  it('decodes half-precision specials', () => {
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
  });

  const bytes = readFileSync(golden);
  const err = (b: Uint8Array): LaraError => {
    try {
      decodeSafetensors(b, 'bad.safetensors');
    } catch (e) {
      return e as LaraError;
    }
    throw new Error('expected an error');
  };

  it('rejects truncated files with a message naming the file and the expected size', () => {
    const e1 = err(bytes.subarray(0, 5));
    expect(e1).toBeInstanceOf(LaraError);
    expect(e1.message).toMatch(/^bad\.safetensors: truncated safetensors file: no 8-byte header length; expected at least 8 bytes, got 5/);
    expect(err(bytes.subarray(0, 40)).message).toMatch(/header runs past the end of the file/);
    const e3 = err(bytes.subarray(0, bytes.byteLength - 3));
    expect(e3.message).toMatch(/truncated safetensors file: tensor '\w+' ends at data byte \d+; expected \d+ bytes in the file, got \d+/);
  });

  it('rejects corrupt headers, bad dtypes, wrong sizes and trailing bytes', () => {
    const junk = new Uint8Array(bytes);
    junk[8] = 0x78; // 'x' instead of '{'
    expect(err(junk).message).toMatch(/header does not start with "\{"/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(err(huge).message).toMatch(/header length is implausible/);
    const mk = (header: object, data = 0): Uint8Array => {
      const h = Buffer.from(JSON.stringify(header));
      const out = new Uint8Array(8 + h.length + data);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      return out;
    };
    expect(err(mk({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, 4)).message).toMatch(/tensor 'a': unsupported dtype; expected F64.*got "Q7"/);
    expect(err(mk({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4)).message).toMatch(/tensor 'a' F32\[2\]: data_offsets span the wrong size; expected 8 bytes, got 4/);
    expect(err(mk({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 6)).message).toMatch(/trailing bytes/);
    expect(err(mk({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)).message).toMatch(/bad shape/);
    const bad = new Uint8Array(mk({ a: 1 }));
    bad[bad.length - 1] = 0x2c; // break the JSON
    expect(err(bad).message).toMatch(/corrupt safetensors header/);
  });

  it('names a missing file', () => {
    expect(() => readSafetensors('/nonexistent/model.safetensors')).toThrow(/\/nonexistent\/model\.safetensors: cannot read safetensors file: ENOENT/);
  });

  it('refuses to encode data of the wrong size', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Uint8Array(8) } })).toThrow(/tensor 'a' F32\[3\]: wrong data size; expected 12 bytes, got 8/);
  });

  it('a file it writes parses with a plain reader of the spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-st-'));
    const file = join(dir, 'y.safetensors');
    writeSafetensors(file, { z: f32([2], [7, 8]) }, { k: 'v' });
    const b = readFileSync(file);
    const n = Number(b.readBigUInt64LE(0));
    const h = JSON.parse(b.subarray(8, 8 + n).toString());
    const [s, e] = h.z.data_offsets;
    expect([b.readFloatLE(8 + n + s), b.readFloatLE(8 + n + s + 4)]).toEqual([7, 8]);
    expect(8 + n + e).toBe(b.length);
  });
});
