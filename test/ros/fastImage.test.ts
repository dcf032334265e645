/**
 * lara's block-copy Image / CompressedImage codecs produce exactly the bytes rosnodejs' own
 * generated classes produce, and read them back (rosnodejs node on lara's embedded master).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compressedCodec, imageCodec, installFastImageCodecs } from '../../src/ros/fastImage.ts';
import { ensureMaster, type MasterHandle } from '../../src/ros/master.ts';
import { RosNodeConnection } from '../../src/ros/node.ts';
import { freePort } from './rosHarness.ts';

interface Cls {
  getMessageSize(m: unknown): number;
  serialize(m: unknown, b: Buffer, o: number): number;
  deserialize(b: Buffer, o?: number[]): any;
}

function bytesOf(cls: Pick<Cls, 'getMessageSize' | 'serialize'>, m: unknown): Buffer {
  const b = Buffer.alloc(cls.getMessageSize(m) + 3);
  const end = cls.serialize(m, b, 3); // at an offset, as rosnodejs does after the length prefix
  if (end !== undefined) expect(end).toBe(b.length); // rosnodejs' on-the-fly classes return nothing
  return b.subarray(3);
}

describe('fast image codecs', () => {
  let master: MasterHandle | undefined;
  let node: RosNodeConnection | undefined;
  afterAll(async () => {
    await node?.shutdown();
    await master?.stop();
  });

  it('match rosnodejs byte for byte and round-trip', async () => {
    process.env.LARA_ROS_FAST_IMAGES = '0';
    const uri = `http://127.0.0.1:${await freePort()}`;
    master = await ensureMaster(uri);
    node = await RosNodeConnection.create({ name: 'lara_fast_image_test', masterUri: uri, anonymous: true });
    const img = node.ros.checkMessage('sensor_msgs/Image') as Cls;
    const cmp = node.ros.checkMessage('sensor_msgs/CompressedImage') as Cls;
    const data = Uint8Array.from({ length: 7 * 5 * 3 }, (_, i) => (i * 97) % 256);
    const im = { header: { seq: 42, stamp: { secs: 1700000000, nsecs: 123456789 }, frame_id: 'cäm' }, height: 5, width: 7, encoding: 'rgb8', is_bigendian: 0, step: 21, data };
    const ref = bytesOf(img, { ...im, data: Array.from(data) });
    expect(bytesOf(imageCodec, im).equals(ref)).toBe(true);
    expect(bytesOf(imageCodec, { ...im, data: Array.from(data) }).equals(ref)).toBe(true);
    const back = imageCodec.deserialize(Buffer.from(ref), [0]);
    expect(back.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect({ ...back, data: null }).toEqual({ ...im, data: null });
    const viaRos = img.deserialize(bytesOf(imageCodec, im), [0]);
    expect(Array.from(viaRos.data as number[])).toEqual(Array.from(data));
    expect(viaRos.header.frame_id).toBe('cäm');

    const ci = { header: { seq: 1, stamp: { secs: 2, nsecs: 3 }, frame_id: '' }, format: 'jpeg', data: data.subarray(0, 10) };
    expect(bytesOf(compressedCodec, ci).equals(bytesOf(cmp, { ...ci, data: Array.from(ci.data) }))).toBe(true);
    expect(Array.from(compressedCodec.deserialize(bytesOf(cmp, ci)).data)).toEqual(Array.from(ci.data));

    installFastImageCodecs((t) => node!.ros.checkMessage(t));
    expect((img as unknown as { __laraFast: boolean }).__laraFast).toBe(true);
    expect(img.deserialize(ref, [0]).data).toBeInstanceOf(Uint8Array);
    delete process.env.LARA_ROS_FAST_IMAGES;
  });
});
