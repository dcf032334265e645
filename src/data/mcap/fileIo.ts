/** Node file adapters for @mcap/core: an append-only IWritable and a positional IReadable. */
import { open, type FileHandle } from 'node:fs/promises';
import type { IWritable } from '@mcap/core';

export class FileWritable implements IWritable {
  #fh: FileHandle;
  #pos = 0n;
  private constructor(fh: FileHandle) {
    this.#fh = fh;
  }
  static async create(path: string): Promise<FileWritable> {
    return new FileWritable(await open(path, 'w'));
  }
  async write(buffer: Uint8Array): Promise<void> {
    let off = 0;
    while (off < buffer.length) {
      const { bytesWritten } = await this.#fh.write(buffer, off, buffer.length - off);
      off += bytesWritten;
    }
    this.#pos += BigInt(buffer.length);
  }
  position(): bigint {
    return this.#pos;
  }
  async close(): Promise<void> {
    await this.#fh.close();
  }
}

export class FileReadable {
  #fh: FileHandle;
  #size: bigint;
  /** Bytes read so far (for benchmarks and tests that check random access reads little). */
  bytesRead = 0;
  private constructor(fh: FileHandle, size: bigint) {
    this.#fh = fh;
    this.#size = size;
  }
  static async open(path: string): Promise<FileReadable> {
    const fh = await open(path, 'r');
    const st = await fh.stat();
    return new FileReadable(fh, BigInt(st.size));
  }
  async size(): Promise<bigint> {
    return this.#size;
  }
  async read(offset: bigint, size: bigint): Promise<Uint8Array> {
    if (offset + size > this.#size) throw new Error(`read past end of file (offset ${offset}, size ${size}, file size ${this.#size})`);
    const buf = new Uint8Array(Number(size));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await this.#fh.read(buf, got, buf.length - got, Number(offset) + got);
      if (bytesRead === 0) throw new Error(`unexpected end of file at offset ${Number(offset) + got}`);
      got += bytesRead;
    }
    this.bytesRead += buf.length;
    return buf;
  }
  async close(): Promise<void> {
    await this.#fh.close();
  }
}
