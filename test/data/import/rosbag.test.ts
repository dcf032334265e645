import { itFx } from '../../fixtures.ts';
import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';
import { BagWriter } from '../../../src/data/bag/BagWriter.ts';
import { openBag, bagMessages } from '../../../src/data/bag/openBag.ts';
import { importRosbag, extractActions } from '../../../src/data/import/rosbag.ts';
import { Dataset } from '../../../src/data/Dataset.ts';
import { FIXTURES, scopedTempDirs } from '../helpers.ts';

const TURTLE = join(FIXTURES, 'rosbag/turtlesim-lz4.bag');
const tmp = scopedTempDirs();

const T0 = 1_700_000_000_000_000_000n;
const W = 8;
const H = 6;
/** RGB frame i: pixel (x, y) = (i*10 + x, y*20, 200 - i). */
function rgb(i: number): Uint8Array {
  const f = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) f.set([i * 10 + x, y * 20, 200 - i], (y * W + x) * 3);
  return f;
}
function bgr(f: Uint8Array): Uint8Array {
  const o = new Uint8Array(f.length);
  for (let p = 0; p < f.length; p += 3) o.set([f[p + 2]!, f[p + 1]!, f[p]!], p);
  return o;
}

/** A bag with 20 images at 20 Hz (rgb8/bgr8/png alternating) and Twist commands at ~7 Hz, offset in time. */
async function writeImageBag(path: string, encoding: string | null = null): Promise<void> {
  const w = BagWriter.create(path, { chunkSize: 4000 });
  w.addTopic('/cam/image_raw', 'sensor_msgs/Image');
  w.addTopic('/cam/compressed', 'sensor_msgs/CompressedImage');
  w.addTopic('/cmd_vel', 'geometry_msgs/Twist');
  for (let i = 0; i < 20; i++) {
    const t = T0 + BigInt(i) * 50_000_000n;
    const enc = encoding ?? (i % 2 ? 'bgr8' : 'rgb8');
    const data = enc === 'bgr8' ? bgr(rgb(i)) : rgb(i);
    w.write('/cam/image_raw', t, { header: { seq: i, stamp: { sec: 0, nsec: 0 }, frame_id: 'cam' }, height: H, width: W, encoding: enc, is_bigendian: 0, step: W * 3, data });
    const png = new Uint8Array(await sharp(rgb(i), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer());
    w.write('/cam/compressed', t, { header: { seq: i, stamp: { sec: 0, nsec: 0 }, frame_id: 'cam' }, format: 'png', data: png });
  }
  for (let j = 0; j < 7; j++) w.write('/cmd_vel', T0 + 120_000_000n + BigInt(j) * 140_000_000n, { linear: { x: j, y: 0.5, z: 0 }, angular: { x: 0, y: 0, z: -j } });
  w.close();
}

describe('ROS bag importer', () => {
  it('imports images (rgb8 + bgr8) resampled to 10 fps with nearest-earlier Twist actions', async () => {
    const dir = tmp();
    const bag = join(dir, 'a.bag');
    await writeImageBag(bag);
    const out = join(dir, 'ds');
    await expect(importRosbag(bag, { out })).rejects.toThrow(/several image topics; choose one with --image-topic; expected \/cam\/compressed or \/cam\/image_raw/);
    const r = await importRosbag(bag, { out, imageTopic: '/cam/image_raw', actionTopic: '/cmd_vel', fps: 10 });
    // images span 0..0.95 s -> ticks 0, 0.1, ..., 0.9
    expect(r.info.num_steps).toBe(10);
    expect(r.info.action!.names).toEqual(['linear.x', 'linear.y', 'linear.z', 'angular.x', 'angular.y', 'angular.z']);
    const ds = Dataset.open(out);
    const ep = await ds.readEpisode(0);
    for (let k = 0; k < 10; k++) expect(Buffer.from(ep.cameras.main!.frames[k]!).equals(Buffer.from(rgb(2 * k)))).toBe(true);
    expect(ep.timestamps[3]).toBeCloseTo(0.3, 9);
    // cmd_vel j at 0.12 + 0.14 j: tick 0 and 0.1 precede it -> zeros; tick 0.3 -> j=1 (0.26); tick 0.9 -> j=5 (0.82)
    expect(Array.from(ep.actions![0]!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ep.actions![3]![0]).toBe(1);
    expect(ep.actions![9]![0]).toBe(5);
    expect(ep.actions![9]![5]).toBe(-5);
    expect(ep.metadata.ticks_before_first_action).toBe(2);
    await ds.close();
    const r2 = await importRosbag(bag, { out: join(dir, 'ds2'), imageTopic: '/cam/compressed', fps: 20, size: { width: 4, height: 3 } });
    expect(r2.info.num_steps).toBe(20);
    expect(r2.info.cameras[0]).toMatchObject({ width: 4, height: 3 });
  });

  it('writes bags that real ROS tools read (when rosbag is installed)', async () => {
    const bag = join(tmp(), 'b.bag');
    await writeImageBag(bag);
    const b = await openBag(bag);
    expect(b.topics.map((t) => [t.topic, t.count])).toEqual([['/cam/compressed', 20], ['/cam/image_raw', 20], ['/cmd_vel', 7]]);
    let n = 0;
    for await (const m of bagMessages(b, ['/cmd_vel'])) expect((m.message.linear as { x: number }).x).toBe(n++);
    await b.close();
    const info = spawnSync('rosbag', ['info', bag], { encoding: 'utf8' });
    if (info.error) return; // ROS not installed here
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/\/cam\/image_raw\s+20 msgs\s+: sensor_msgs\/Image/);
    expect(info.stdout).toMatch(/\/cmd_vel\s+7 msgs\s+: geometry_msgs\/Twist/);
    const echo = spawnSync('rostopic', ['echo', '-b', bag, '-n', '1', '/cmd_vel'], { encoding: 'utf8' });
    expect(echo.stdout).toMatch(/linear:\s+x: 0\.0\s+y: 0\.5/);
    // bz2-compressed by the real rosbag tool, then imported
    const bz = join(tmp(), 'bz.bag');
    writeFileSync(bz, readFileSync(bag));
    expect(spawnSync('rosbag', ['compress', '--bz2', '-q', bz]).status).toBe(0);
    expect(spawnSync('rosbag', ['info', bz], { encoding: 'utf8' }).stdout).toMatch(/compression:\s+bz2/);
    const bzOut = join(tmp(), 'bzds');
    const r = await importRosbag(bz, { out: bzOut, imageTopic: '/cam/image_raw', actionTopic: '/cmd_vel', fps: 10 });
    expect(r.info.num_steps).toBe(10);
    const ds = Dataset.open(bzOut);
    const ep = await ds.readEpisode(0);
    expect(Buffer.from(ep.cameras.main!.frames[7]!).equals(Buffer.from(rgb(14)))).toBe(true);
    expect(ep.actions![9]![0]).toBe(5);
    await ds.close();
  });

  itFx('reads the turtlesim fixture: no image topic is a clear error listing topics; cmd_vel actions extract', async () => {
    const out = join(tmp(), 'turtle');
    const err = await importRosbag(TURTLE, { out }).catch((e: Error) => e);
    expect(String(err)).toMatch(/turtlesim-lz4\.bag: bag has no image topic.*\/turtle1\/cmd_vel \(geometry_msgs\/Twist, 357 msgs\).*\/turtle2\/pose \(turtlesim\/Pose, 1344 msgs\)/);
    const b = await openBag(TURTLE);
    const raw: { t: bigint; x: number; z: number }[] = [];
    for await (const m of bagMessages(b, ['/turtle1/cmd_vel'])) raw.push({ t: m.timeNs, x: (m.message.linear as { x: number }).x, z: (m.message.angular as { z: number }).z });
    const a = await extractActions(b, '/turtle1/cmd_vel', 10);
    expect(a.names.length).toBe(6);
    expect(a.beforeFirst).toBe(0);
    const span = Number(raw[raw.length - 1]!.t - raw[0]!.t) / 1e9;
    expect(a.rows.length).toBe(Math.floor(span * 10 + 1e-9) + 1);
    for (const k of [0, 7, a.rows.length - 1]) {
      const tick = a.timesNs[k]!;
      const want = raw.filter((m) => m.t <= tick).pop()!;
      expect(a.rows[k]![0]).toBeCloseTo(want.x, 6);
      expect(a.rows[k]![5]).toBeCloseTo(want.z, 6);
    }
    await expect(extractActions(b, '/turtle9/cmd_vel', 10)).rejects.toThrow(/\/turtle9\/cmd_vel: no such action topic in the bag; expected one of: \/rosout/);
    await expect(extractActions(b, '/turtle1/pose', 10)).rejects.toThrow(/unsupported action type; expected geometry_msgs\/Twist.*got turtlesim\/Pose/);
    await b.close();
  });

  itFx('reports truncated and corrupt bags, unknown encodings, missing topics, and leaves no output', async () => {
    const dir = tmp();
    const good = join(dir, 'good.bag');
    await writeImageBag(good);
    const buf = readFileSync(good);
    writeFileSync(join(dir, 'trunc.bag'), buf.subarray(0, Math.floor(buf.length / 2)));
    await expect(importRosbag(join(dir, 'trunc.bag'), { out: join(dir, 'o1') })).rejects.toThrow(/trunc\.bag: not a readable ROS 1 bag \(corrupt or truncated\)/);
    const tb = readFileSync(TURTLE);
    writeFileSync(join(dir, 'tturtle.bag'), tb.subarray(0, 100000));
    await expect(openBag(join(dir, 'tturtle.bag'))).rejects.toThrow(/tturtle\.bag: not a readable ROS 1 bag/);
    // corrupt lz4 chunk data in the turtlesim bag
    const flip = Buffer.from(tb);
    for (let i = 0; i < 64; i++) flip[5000 + i] = 0xff;
    writeFileSync(join(dir, 'flip.bag'), flip);
    const fb = await openBag(join(dir, 'flip.bag'));
    const e2 = await (async () => {
      for await (const _ of bagMessages(fb, ['/turtle1/pose'])) void _;
    })().catch((e: Error) => e);
    expect(String(e2)).toMatch(/flip\.bag: after message \d+ of \/turtle1\/pose: cannot read bag messages/);
    await fb.close();
    const odd = join(dir, 'odd.bag');
    await writeImageBag(odd, 'yuv422');
    await expect(importRosbag(odd, { out: join(dir, 'o2'), imageTopic: '/cam/image_raw' })).rejects.toThrow(/odd\.bag: \/cam\/image_raw tick 0: unknown image encoding; expected rgb8, bgr8, rgba8, bgra8, mono8, got "yuv422"/);
    await expect(importRosbag(good, { out: join(dir, 'o3'), imageTopic: '/camera/rgb' })).rejects.toThrow(/\/camera\/rgb: no such image topic in the bag; expected one of: \/cam\/compressed \(sensor_msgs\/CompressedImage, 20 msgs\)/);
    expect(readdirSync(dir).sort()).toEqual(['flip.bag', 'good.bag', 'odd.bag', 'trunc.bag', 'tturtle.bag']);
  });
});
