/**
 * TFRecord reader. Record framing: uint64 LE length, uint32 masked CRC32C of the 8 length bytes,
 * `length` data bytes, uint32 masked CRC32C of the data. Both CRCs are verified; any mismatch or
 * truncation is a LaraError naming the file, record index and byte offset.
 */
import { open } from 'node:fs/promises';
import { maskedCrc32c } from './crc32c.ts';
import { LaraError } from '../../util/errors.ts';

export interface TfRecord {
  index: number;
  /** Byte offset of the record's header in the file. */
  offset: number;
  data: Uint8Array;
}

const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');

/** Iterate the records of a TFRecord file. */
export async function* readTfRecords(path: string): AsyncGenerator<TfRecord> {
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new LaraError(`cannot open TFRecord file: ${e.message}`, { file: path });
  });
  try {
    const size = (await fh.stat()).size;
    const head = new Uint8Array(12);
    const foot = new Uint8Array(4);
    let offset = 0;
    for (let index = 0; offset < size; index++) {
      const where = `record ${index} at byte ${offset}`;
      if (size - offset < 12) throw new LaraError('truncated record header', { file: path, where, expected: '12 header bytes', got: `${size - offset} bytes before end of file` });
      await readFully(fh, head, offset);
      const dv = new DataView(head.buffer);
      const len = Number(dv.getBigUint64(0, true));
      const lenCrc = dv.getUint32(8, true);
      const wantLenCrc = maskedCrc32c(head.subarray(0, 8));
      if (lenCrc !== wantLenCrc) throw new LaraError('bad length CRC (corrupt TFRecord)', { file: path, where, expected: `masked CRC32C ${hex(wantLenCrc)}`, got: hex(lenCrc) });
      if (offset + 12 + len + 4 > size) throw new LaraError('truncated record', { file: path, where, expected: `${len + 4} more bytes`, got: `${size - offset - 12} bytes before end of file` });
      const data = new Uint8Array(len);
      await readFully(fh, data, offset + 12);
      await readFully(fh, foot, offset + 12 + len);
      const dataCrc = new DataView(foot.buffer).getUint32(0, true);
      const wantDataCrc = maskedCrc32c(data);
      if (dataCrc !== wantDataCrc) throw new LaraError('bad data CRC (corrupt TFRecord)', { file: path, where, expected: `masked CRC32C ${hex(wantDataCrc)}`, got: hex(dataCrc) });
      yield { index, offset, data };
      offset += 12 + len + 4;
    }
  } finally {
    await fh.close();
  }
}

async function readFully(fh: import('node:fs/promises').FileHandle, buf: Uint8Array, pos: number): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, pos + got);
    if (bytesRead === 0) throw new Error(`unexpected end of file at ${pos + got}`);
    got += bytesRead;
  }
}

/** Frame records as TFRecord bytes (for tests and tools that write TFRecords). */
export function frameTfRecords(records: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const r of records) {
    const head = new Uint8Array(12);
    const dv = new DataView(head.buffer);
    dv.setBigUint64(0, BigInt(r.length), true);
    dv.setUint32(8, maskedCrc32c(head.subarray(0, 8)), true);
    const foot = new Uint8Array(4);
    new DataView(foot.buffer).setUint32(0, maskedCrc32c(r), true);
    parts.push(head, r, foot);
  }
  return Buffer.concat(parts);
}
