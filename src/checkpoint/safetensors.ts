/**
 * The safetensors file format (https://huggingface.co/docs/safetensors), read and written without
 * tfjs so other tools (Python `safetensors`, `torch`, `numpy`) can open lara's weights:
 *
 *   [u64 little-endian N][N bytes of UTF-8 JSON header, padded with spaces to a multiple of 8][data]
 *
 * The header maps each tensor name to { dtype, shape, data_offsets: [begin, end] } (byte offsets
 * into the data section) and may hold "__metadata__": { string: string }. Tensors are stored
 * little-endian, row-major, back to back; we order them by element size (largest first), then by
 * name, so every tensor starts aligned to its element size and the bytes are deterministic.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { LaraError, describe } from '../util/errors.ts';
import { writeFileAtomic } from '../util/atomic.ts';

export const DTYPE_SIZES = {
  F64: 8,
  I64: 8,
  U64: 8,
  F32: 4,
  I32: 4,
  U32: 4,
  F16: 2,
  BF16: 2,
  I16: 2,
  U16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;
export type DType = keyof typeof DTYPE_SIZES;

/** One tensor as raw little-endian bytes. */
export interface RawTensor {
  dtype: DType;
  shape: number[];
  /** numel(shape) * DTYPE_SIZES[dtype] bytes, little-endian. */
  data: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Record<string, RawTensor>;
  metadata: Record<string, string>;
}

/** Largest header we accept (the reference implementation's limit too). */
const MAX_HEADER_BYTES = 100_000_000;

if (endianness() !== 'LE') throw new Error('lara checkpoints assume a little-endian machine');

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isDType(v: unknown): v is DType {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZES, v);
}

/** Encode tensors (and string metadata) as the bytes of a .safetensors file. */
export function encodeSafetensors(tensors: Record<string, RawTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort((a, b) => {
    const sa = DTYPE_SIZES[tensors[a]!.dtype];
    const sb = DTYPE_SIZES[tensors[b]!.dtype];
    return sa !== sb ? sb - sa : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new LaraError(`safetensors: tensor name '__metadata__' is reserved`);
    const t = tensors[name]!;
    if (!isDType(t.dtype)) throw new LaraError(`safetensors: tensor '${name}': unknown dtype`, { expected: Object.keys(DTYPE_SIZES).join(', '), got: describe(t.dtype) });
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new LaraError(`safetensors: tensor '${name}': bad shape ${JSON.stringify(t.shape)}`);
    const bytes = numel(t.shape) * DTYPE_SIZES[t.dtype];
    if (t.data.byteLength !== bytes) {
      throw new LaraError(`safetensors: tensor '${name}' ${t.dtype}${JSON.stringify(t.shape)}: wrong data size`, { expected: `${bytes} bytes`, got: `${t.data.byteLength}` });
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - (jsonBytes % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let p = 8 + head.byteLength;
  for (const name of names) {
    const d = tensors[name]!.data;
    out.set(d, p);
    p += d.byteLength;
  }
  return out;
}

/** Decode the bytes of a .safetensors file; `file` names it in error messages. */
export function decodeSafetensors(bytes: Uint8Array, file = '(safetensors bytes)'): SafetensorsFile {
  const bad = (message: string, expected?: string, got?: string): LaraError =>
    new LaraError(message, { file, ...(expected !== undefined ? { expected } : {}), ...(got !== undefined ? { got } : {}) });
  if (bytes.byteLength < 8) throw bad('truncated safetensors file: no 8-byte header length', 'at least 8 bytes', `${bytes.byteLength}`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw bad('not a safetensors file: header length is implausible', `at most ${MAX_HEADER_BYTES} bytes`, `${n}`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.byteLength) throw bad('truncated safetensors file: header runs past the end of the file', `${8 + headerLen} bytes or more`, `${bytes.byteLength}`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLen).toString('utf8');
  if (!text.startsWith('{')) throw bad('not a safetensors file: header does not start with "{"', 'a JSON object', describe(text.slice(0, 20)));
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw bad(`corrupt safetensors header: ${(e as Error).message}`, 'a JSON object');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('corrupt safetensors header', 'a JSON object', describe(header));
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const tensors: Record<string, RawTensor> = {};
  let metadata: Record<string, string> = {};
  let maxEnd = 0;
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Object.values(entry).some((v) => typeof v !== 'string')) {
        throw bad('corrupt safetensors header: __metadata__', 'an object of strings', describe(entry));
      }
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor '${name}'`;
    if (typeof e !== 'object' || e === null) throw bad(`corrupt safetensors header: ${where}`, '{dtype, shape, data_offsets}', describe(e));
    if (!isDType(e.dtype)) throw bad(`${where}: unsupported dtype`, Object.keys(DTYPE_SIZES).join(', '), describe(e.dtype));
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`${where}: bad shape`, 'a list of non-negative integers', describe(e.shape));
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[1] < off[0]) {
      throw bad(`${where}: bad data_offsets`, '[begin, end] with 0 <= begin <= end', describe(off));
    }
    const [begin, end] = off as [number, number];
    const want = numel(e.shape as number[]) * DTYPE_SIZES[e.dtype];
    if (end - begin !== want) throw bad(`${where} ${e.dtype}${JSON.stringify(e.shape)}: data_offsets span the wrong size`, `${want} bytes`, `${end - begin}`);
    maxEnd = Math.max(maxEnd, end);
    if (end > dataLen) {
      throw bad(`truncated safetensors file: ${where} ends at data byte ${end}`, `${dataStart + end} bytes in the file`, `${bytes.byteLength}`);
    }
    // Copy, so the typed-array views made later are aligned and independent of the file buffer.
    tensors[name] = { dtype: e.dtype, shape: [...(e.shape as number[])], data: bytes.slice(dataStart + begin, dataStart + end) };
  }
  if (maxEnd !== dataLen && Object.keys(tensors).length) {
    throw bad('corrupt safetensors file: trailing bytes after the last tensor', `${dataStart + maxEnd} bytes`, `${bytes.byteLength}`);
  }
  return { tensors, metadata };
}

/** Write a .safetensors file atomically (temp file + rename). */
export function writeSafetensors(file: string, tensors: Record<string, RawTensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

export function readSafetensors(file: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new LaraError(`cannot read safetensors file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
  return decodeSafetensors(bytes, file);
}

// ---- typed views ---------------------------------------------------------------------------

/** Float32 values of a float tensor (F32, F64, F16, BF16); ints are converted too. */
export function toFloat32(t: RawTensor, name = 'tensor'): Float32Array {
  const n = numel(t.shape);
  const buf = t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength);
  switch (t.dtype) {
    case 'F32':
      return new Float32Array(buf);
    case 'F64':
      return Float32Array.from(new Float64Array(buf));
    case 'BF16': {
      const u16 = new Uint16Array(buf);
      const u32 = new Uint32Array(n);
      for (let i = 0; i < n; i++) u32[i] = u16[i]! << 16;
      return new Float32Array(u32.buffer);
    }
    case 'F16': {
      const u16 = new Uint16Array(buf);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(u16[i]!);
      return out;
    }
    default:
      return Float32Array.from(toNumbers(t, name));
  }
}

/** Integer values (I8..I32, U8..U32, BOOL; I64/U64 when each value fits in an int32). */
export function toInt32(t: RawTensor, name = 'tensor'): Int32Array {
  if (t.dtype === 'F32' || t.dtype === 'F64' || t.dtype === 'F16' || t.dtype === 'BF16') {
    throw new LaraError(`safetensors: ${name}: expected an integer dtype, got ${t.dtype}`);
  }
  return Int32Array.from(toNumbers(t, name));
}

function toNumbers(t: RawTensor, name: string): ArrayLike<number> {
  const buf = t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength);
  switch (t.dtype) {
    case 'I32':
      return new Int32Array(buf);
    case 'U32':
      return new Uint32Array(buf);
    case 'I16':
      return new Int16Array(buf);
    case 'U16':
      return new Uint16Array(buf);
    case 'I8':
      return new Int8Array(buf);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buf);
    case 'I64':
    case 'U64': {
      const big = t.dtype === 'I64' ? new BigInt64Array(buf) : new BigUint64Array(buf);
      const out = new Float64Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = big[i]!;
        if (v > 2147483647n || v < -2147483648n) throw new LaraError(`safetensors: ${name}: ${t.dtype} value ${v} does not fit in int32`);
        out[i] = Number(v);
      }
      return out;
    }
    default:
      return toFloat32(t, name);
  }
}

/** IEEE half (binary16) bits to a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Raw F32 tensor from values. */
export function f32(shape: number[], values: ArrayLike<number>): RawTensor {
  const a = Float32Array.from(values);
  return { dtype: 'F32', shape, data: new Uint8Array(a.buffer) };
}

/** Raw I32 tensor from values. */
export function i32(shape: number[], values: ArrayLike<number>): RawTensor {
  const a = Int32Array.from(values);
  return { dtype: 'I32', shape, data: new Uint8Array(a.buffer) };
}

/** Raw U8 tensor from values. */
export function u8(shape: number[], values: ArrayLike<number>): RawTensor {
  return { dtype: 'U8', shape, data: Uint8Array.from(values) };
}
