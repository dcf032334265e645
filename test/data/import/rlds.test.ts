import { itFx } from '../../fixtures.ts';
import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { importRlds } from '../../../src/data/import/rlds.ts';
import { Dataset } from '../../../src/data/Dataset.ts';
import { readTfRecords, frameTfRecords } from '../../../src/data/tfrecord/TfRecordReader.ts';
import { decodeExample, encodeExample, type Example } from '../../../src/data/tfrecord/example.ts';
import { decodeImage } from '../../../src/data/image.ts';
import { FIXTURES, scopedTempDirs } from '../helpers.ts';

const BRIDGE = join(FIXTURES, 'rlds/bridge_dataset/1.0.0');
const VAL = join(BRIDGE, 'bridge_dataset-val.tfrecord-00000-of-00001');
const tmp = scopedTempDirs();

describe('RLDS importer', () => {
  itFx('imports the BridgeData fixture: 50 episodes, 7-D actions, first non-blank camera, instructions', async () => {
    const out = join(tmp(), 'bridge');
    const r = await importRlds(BRIDGE, { out });
    expect(r.info.num_episodes).toBe(50);
    expect(r.info.num_steps).toBe(500);
    expect(r.info.fps).toBe(5);
    expect(r.info.cameras).toEqual([{ name: 'image_0', width: 64, height: 64, encoding: 'png' }]);
    expect(r.info.action!.names).toEqual(['x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper']);
    expect(r.info.state!.dim).toBe(7);
    const ds = Dataset.open(out);
    // compare episode 26 (val record 1) with the raw record
    const recs = [];
    for await (const rec of readTfRecords(VAL)) recs.push(rec);
    const ex = decodeExample(recs[1]!.data);
    const ep = await ds.readEpisode(26);
    expect(ep.metadata.split).toBe('val');
    expect(ep.metadata.source_record).toBe(1);
    expect(ep.instruction).toBe(new TextDecoder().decode((ex.get('steps/language_instruction')!.value as Uint8Array[])[0]));
    expect(ep.instruction.length).toBeGreaterThan(0);
    const act = ex.get('steps/action')!.value as Float32Array;
    expect(Array.from(ep.actions![3]!)).toEqual(Array.from(act.subarray(21, 28)));
    const jpeg = (ex.get('steps/observation/image_0')!.value as Uint8Array[])[4]!;
    const want = await decodeImage(jpeg, { file: 'x', where: 'y' });
    expect(Buffer.from(ep.cameras.image_0!.frames[4]!).equals(Buffer.from(want.data))).toBe(true);
    expect(ep.timestamps[2]).toBeCloseTo(0.4, 9);
    await ds.close();
  });

  itFx('imports a chosen split and image key; the blank image_3 camera is skipped by default', async () => {
    const out = join(tmp(), 'b3');
    const r = await importRlds(BRIDGE, { out, splits: ['val'], imageKey: 'image_3', maxEpisodes: 2, fps: 10 });
    expect(r.info.num_episodes).toBe(2);
    expect(r.info.cameras[0]!.name).toBe('image_3');
    const ds = Dataset.open(out);
    const f = (await ds.readWindow(0, 0, 1)).frames[0]!;
    expect(new Set(f).size).toBe(1); // blank
    await ds.close();
    await expect(importRlds(BRIDGE, { out: join(tmp(), 'x'), imageKey: 'wrist' })).rejects.toThrow(/--image-key wrist: no such image feature; expected steps\/observation\/image_0, .*image_3/);
  });

  it('reads RT-1 fractal key names (world_vector, rotation_delta, ..., natural_language_instruction) and skips a blank first camera', async () => {
    const dir = join(tmp(), 'fractal20220817_data', '0.1.0');
    mkdirSync(dir, { recursive: true });
    const png = async (v: number) => new Uint8Array(await sharp(Buffer.alloc(8 * 6 * 3, v).map((x, i) => (v ? (x + i) & 255 : 0)), { raw: { width: 8, height: 6, channels: 3 } }).png().toBuffer());
    const T = 3;
    const ex: Example = new Map([
      ['steps/is_first', { kind: 'int64', value: [1n, 0n, 0n] }],
      ['steps/observation/a_blank', { kind: 'bytes', value: [await png(0), await png(0), await png(0)] }],
      ['steps/observation/image', { kind: 'bytes', value: [await png(10), await png(20), await png(30)] }],
      ['steps/observation/natural_language_instruction', { kind: 'bytes', value: Array.from({ length: T }, () => new TextEncoder().encode('pick rxbar chocolate')) }],
      ['steps/action/gripper_closedness_action', { kind: 'float', value: Float32Array.of(1, 0, -1) }],
      ['steps/action/world_vector', { kind: 'float', value: Float32Array.from({ length: 9 }, (_, i) => i / 10) }],
      ['steps/action/rotation_delta', { kind: 'float', value: Float32Array.from({ length: 9 }, (_, i) => -i / 10) }],
      ['steps/action/terminate_episode', { kind: 'int64', value: [0n, 1n, 0n, 0n, 1n, 0n, 1n, 0n, 0n] }],
    ]);
    writeFileSync(join(dir, 'dataset_info.json'), JSON.stringify({ name: 'fractal20220817_data' }));
    writeFileSync(join(dir, 'fractal20220817_data-train.tfrecord-00000-of-00001'), frameTfRecords([encodeExample(ex)]));
    const out = join(tmp(), 'rt1');
    const r = await importRlds(dir, { out });
    expect(r.info.fps).toBe(3);
    expect(r.info.cameras[0]!.name).toBe('image');
    expect(r.info.action!.names).toEqual(['x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper', 'terminate', 'arm_gripper_mode', 'base_mode']);
    const ds = Dataset.open(out);
    const ep = await ds.readEpisode(0);
    expect(ep.instruction).toBe('pick rxbar chocolate');
    expect(Array.from(ep.actions![1]!)).toEqual(Array.from(Float32Array.of(0.3, 0.4, 0.5, -0.3, -0.4, -0.5, 0, 0, 1, 0)));
    await ds.close();
  });

  itFx('fails on a corrupt shard naming file, record and offset, and leaves no output behind', async () => {
    const root = tmp();
    const src = join(root, 'src');
    mkdirSync(src);
    const buf = readFileSync(VAL);
    const offsets: number[] = [];
    for await (const rec of readTfRecords(VAL)) offsets.push(rec.offset);
    buf[offsets[2]! + 12 + 5000]! ^= 0x80;
    writeFileSync(join(src, 'bridge_dataset-val.tfrecord-00000-of-00001'), buf);
    const out = join(root, 'out');
    await expect(importRlds(src, { out })).rejects.toThrow(new RegExp(`bridge_dataset-val\\.tfrecord-00000-of-00001: record 2 at byte ${offsets[2]}: bad data CRC`));
    expect(readdirSync(root)).toEqual(['src']);
    // a valid frame holding a non-Example payload
    writeFileSync(join(src, 'bridge_dataset-val.tfrecord-00000-of-00001'), frameTfRecords([Uint8Array.of(0x0a, 0x50, 1)]));
    await expect(importRlds(src, { out })).rejects.toThrow(/record 0 at byte 0: not a valid tf.train.Example/);
    expect(readdirSync(root)).toEqual(['src']);
  });
});
