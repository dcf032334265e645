import { itFx } from '../../fixtures.ts';
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c, maskedCrc32c } from '../../../src/data/tfrecord/crc32c.ts';
import { frameTfRecords, readTfRecords } from '../../../src/data/tfrecord/TfRecordReader.ts';
import { decodeExample, encodeExample, type Example } from '../../../src/data/tfrecord/example.ts';
import { FIXTURES, tempDir } from '../helpers.ts';

const SHARD = join(FIXTURES, 'rlds/bridge_dataset/1.0.0/bridge_dataset-train.tfrecord-00000-of-00001');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function collect(path: string) {
  const out = [];
  for await (const r of readTfRecords(path)) out.push(r);
  return out;
}

describe('TFRecord', () => {
  it('computes CRC-32C check values', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    const c = crc32c(new Uint8Array(0));
    expect(maskedCrc32c(new Uint8Array(0))).toBe(((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });

  itFx('reads every record of the BridgeData shard with both CRCs verified', async () => {
    const recs = await collect(SHARD);
    expect(recs.length).toBe(25);
    expect(recs[0]!.offset).toBe(0);
    expect(recs[1]!.offset).toBe(12 + recs[0]!.data.length + 4);
    const ex = decodeExample(recs[0]!.data);
    expect(ex.get('steps/action')!.value.length).toBe(70);
    expect(ex.get('steps/is_first')!.value).toEqual([1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });

  itFx('names file, record, offset and both CRCs on a bit flip; reports truncation', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const buf = readFileSync(SHARD);
    const recs = await collect(SHARD);
    const r3 = recs[3]!;
    const flipped = Buffer.from(buf);
    flipped[r3.offset + 12 + 100]! ^= 0x04;
    const bad = join(t.dir, 'flip.tfrecord');
    writeFileSync(bad, flipped);
    const err = await collect(bad).catch((e: Error) => e);
    expect(String(err)).toMatch(new RegExp(`flip\\.tfrecord: record 3 at byte ${r3.offset}: bad data CRC \\(corrupt TFRecord\\); expected masked CRC32C 0x[0-9a-f]{8}, got 0x[0-9a-f]{8}`));
    const lenFlip = Buffer.from(buf);
    lenFlip[r3.offset]! ^= 0x01;
    writeFileSync(bad, lenFlip);
    expect(String(await collect(bad).catch((e: Error) => e))).toMatch(/record 3 at byte \d+: bad length CRC/);
    const trunc = join(t.dir, 'trunc.tfrecord');
    writeFileSync(trunc, buf.subarray(0, r3.offset + 500));
    expect(String(await collect(trunc).catch((e: Error) => e))).toMatch(new RegExp(`trunc\\.tfrecord: record 3 at byte ${r3.offset}: truncated record; expected \\d+ more bytes, got 488 bytes before end of file`));
  });

  it('round-trips framing and Example encoding (bytes, floats, signed int64)', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const ex: Example = new Map([
      ['steps/observation/image', { kind: 'bytes', value: [Uint8Array.of(1, 2, 3), new Uint8Array(0)] }],
      ['steps/action/world_vector', { kind: 'float', value: Float32Array.of(0.5, -1.25, 3) }],
      ['steps/action/terminate_episode', { kind: 'int64', value: [0n, -1n, 1n << 40n] }],
    ]);
    const f = join(t.dir, 'x.tfrecord');
    writeFileSync(f, frameTfRecords([encodeExample(ex), encodeExample(new Map())]));
    const recs = await collect(f);
    expect(recs.length).toBe(2);
    expect(decodeExample(recs[0]!.data)).toEqual(ex);
    expect(decodeExample(recs[1]!.data).size).toBe(0);
  });
});
