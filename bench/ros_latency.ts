/**
 * ROS latency of `lara drive`: camera image received -> command published, for 64x64 and
 * 256x320 rgb8 images, through a real master (the one at ROS_MASTER_URI when it answers, else
 * lara's embedded master on a free port).
 *
 *   node bin/run-ts.mjs bench/ros_latency.ts [--frames 150] [--hz 20]
 *
 * Reports per size, p50 / p99 in ms of:
 *   in-node    the drive's own measure: image callback entered -> command decided and published
 *              (decode + agent + clamp/rate limits + watchdog);
 *   end-to-end image published by a peer -> the applied-command diagnostic, published right after
 *              the command, received back (serialize, TCP, deserialize the uint8[] data, the above).
 * The agent is `random` (negligible compute), so this is lara's ROS + safety overhead; the peer
 * runs in the same process (one rosnodejs node per process). Prints a table and JSON, and writes
 * bench/results/ros_latency.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RandomAgent } from '../src/agent/random.ts';
import { loadRobot } from '../src/robot/load.ts';
import { startDriveNode } from '../src/ros/driveNode.ts';
import { encodeImage } from '../src/ros/image.ts';
import { ensureMaster, masterAnswers } from '../src/ros/master.ts';
import type { AppliedCommandMsg } from '../src/ros/topics.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const FRAMES = arg('frames', 150);
const HZ = arg('hz', 20);
const SIZES: Array<[number, number]> = [
  [64, 64],
  [256, 320],
]; // [H, W]

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const envUri = process.env.ROS_MASTER_URI;
const uri = envUri && (await masterAnswers(envUri)) ? envUri : `http://127.0.0.1:${await freePort()}`;
const master = await ensureMaster(uri);
const robot = loadRobot('tabletop-sim');
const cam = robot.cameras[0]!;
const drive = await startDriveNode({ robot, masterUri: uri, makeAgent: () => new RandomAgent(robot), instruction: '', rateHz: 100, handleSignals: false });
const pub = drive.node.advertise(cam.topic, 'sensor_msgs/Image');
const sentAt = new Map<number, number>();
const seen = new Map<number, { inNode: number; e2e: number }>();
drive.node.subscribe('/lara/applied_command', 'std_msgs/String', (m: { data: string }) => {
  const a = JSON.parse(m.data) as AppliedCommandMsg;
  if (a.seq === null || a.latency_ms === null) return;
  const t0 = sentAt.get(a.seq);
  if (t0 !== undefined) seen.set(a.seq, { inNode: a.latency_ms, e2e: performance.now() - t0 });
}, { queueSize: 50 });
await drive.node.waitForSubscribers(pub, 1, 10000);
await new Promise((r) => setTimeout(r, 500));

const rows: { size: string; frames: number; in_node_p50: number; in_node_p99: number; e2e_p50: number; e2e_p99: number }[] = [];
let seq = 0;
for (const [h, w] of SIZES) {
  const data = Uint8Array.from({ length: h * w * 3 }, (_, i) => (i * 31) % 251); // [H, W, 3]
  const first = seq + 1;
  for (let k = 0; k < FRAMES + 10; k++) {
    seq++;
    const msg = encodeImage({ width: w, height: h, data }, cam.name, seq);
    sentAt.set(seq, performance.now());
    pub.publish(msg);
    await new Promise((r) => setTimeout(r, 1000 / HZ));
  }
  await new Promise((r) => setTimeout(r, 300));
  const got = [...seen.entries()].filter(([s]) => s >= first + 10).map(([, v]) => v); // first 10: warm-up
  rows.push({
    size: `${h}x${w}`,
    frames: got.length,
    in_node_p50: pct(got.map((g) => g.inNode), 50),
    in_node_p99: pct(got.map((g) => g.inNode), 99),
    e2e_p50: pct(got.map((g) => g.e2e), 50),
    e2e_p99: pct(got.map((g) => g.e2e), 99),
  });
}
await drive.stop();
await master.stop();

const f = (x: number) => x.toFixed(2).padStart(8);
console.log(`ROS latency (image received -> command published), ${HZ} images/s, agent random, master ${master.embedded ? 'embedded' : uri}`);
console.log('size (HxW)   frames  in-node p50  in-node p99   e2e p50   e2e p99   (ms)');
for (const r of rows) console.log(`${r.size.padEnd(12)} ${String(r.frames).padStart(6)}  ${f(r.in_node_p50)}     ${f(r.in_node_p99)}  ${f(r.e2e_p50)}  ${f(r.e2e_p99)}`);
const out = { bench: 'ros_latency', hz: HZ, master: master.embedded ? 'embedded' : 'external', node: process.version, rows };
console.log(JSON.stringify(out));
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'ros_latency.json'), JSON.stringify(out, null, 2) + '\n');
process.exit(0);
