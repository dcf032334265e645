/**
 * `lara serve` request -> reply latency over loopback TCP, as a robot's control loop sees it.
 *
 *   node bin/run-ts.mjs bench/serve_latency.ts [--n 400] [--warmup 30] [--agent random]
 *                                              [--robot tabletop-sim] [--in-process]
 *
 * By default the server is a real `lara serve` child process (bound to a free port); with
 * --in-process it runs in this process (client and server then share one event loop).
 * Cases: rgb8 64x64, rgb8 256x320 (H x W), jpeg 256x320. For each: round-trip p50/p90/p99/max
 * measured by the client, and the server's own latency_ms p50 (receive -> reply, including
 * image decode and inference). Requests are sent back to back (one in flight), like a REQ loop.
 * Prints a table and one JSON line, and writes bench/results/serve_latency-<timestamp>.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeCompressed } from '../src/ros/image.ts';
import { loadRobot } from '../src/robot/load.ts';
import { serveAgentFactory } from '../src/serve/agents.ts';
import { ActionClient } from '../src/serve/client.ts';
import type { ActReply, ImageEncoding } from '../src/serve/protocol.ts';
import { ActionServer } from '../src/serve/server.ts';
import { writeJsonAtomic } from '../src/util/atomic.ts';
import { Rng } from '../src/util/rng.ts';

const ROOT = resolve(import.meta.dirname, '..');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

interface Case {
  name: string;
  width: number;
  height: number;
  encoding: ImageEncoding;
}

const CASES: Case[] = [
  { name: 'rgb8 64x64', width: 64, height: 64, encoding: 'rgb8' },
  { name: 'rgb8 256x320', width: 320, height: 256, encoding: 'rgb8' },
  { name: 'jpeg 256x320', width: 320, height: 256, encoding: 'jpeg' },
];

/** A camera-like test image: smooth gradient plus noise, [H, W, 3]. */
function testImage(width: number, height: number, rng: Rng): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      out[o] = ((x * 255) / width + rng.normal(0, 8)) & 255;
      out[o + 1] = ((y * 255) / height + rng.normal(0, 8)) & 255;
      out[o + 2] = (128 + rng.normal(0, 8)) & 255;
    }
  }
  return out;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

async function startChild(agent: string, robot: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn('node', [resolve(ROOT, 'bin/lara.mjs'), 'serve', '--agent', agent, '--robot', robot, '--bind', 'tcp://127.0.0.1:0', '--deadline-ms', '1000'], { cwd: ROOT });
  let err = '';
  const endpoint = await new Promise<string>((res, rej) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (tcp:\/\/\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    child.on('close', () => rej(new Error(`lara serve exited:\n${err}`)));
  });
  return { endpoint, child };
}

async function main(): Promise<void> {
  const n = Number(arg('n', '400'));
  const warmup = Number(arg('warmup', '30'));
  const agentSpec = arg('agent', 'random');
  const robotName = arg('robot', 'tabletop-sim');
  const inProcess = process.argv.includes('--in-process');
  let endpoint: string;
  let stop: () => Promise<void>;
  if (inProcess) {
    const robot = loadRobot(robotName);
    const server = await ActionServer.start({ robot, makeAgent: await serveAgentFactory(agentSpec, robot), agentSpec, bind: 'tcp://127.0.0.1:0', deadlineMs: 1000 });
    endpoint = server.endpoint;
    stop = () => server.close();
  } else {
    const c = await startChild(agentSpec, robotName);
    endpoint = c.endpoint;
    stop = async () => {
      const closed = new Promise((r) => c.child.once('close', r));
      c.child.kill('SIGINT');
      await closed;
    };
  }
  const client = new ActionClient(endpoint, { timeoutMs: 5000 });
  const rng = Rng.seeded(1);
  const rows: { case: string; bytes: number; n: number; p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number; server_p50_ms: number; stops: number }[] = [];
  try {
    await client.reset('', 0);
    for (const k of CASES) {
      const raw = testImage(k.width, k.height, rng);
      const image = k.encoding === 'rgb8' ? raw : ((await encodeCompressed({ width: k.width, height: k.height, data: raw }, k.encoding)).data as Uint8Array);
      const state = new Float32Array(6);
      const rtt: number[] = [];
      const srv: number[] = [];
      let stops = 0;
      for (let i = 0; i < warmup + n; i++) {
        const t0 = performance.now();
        const r = (await client.act({ image, width: k.width, height: k.height, encoding: k.encoding, state })) as ActReply;
        const dt = performance.now() - t0;
        if (!r.ok) throw new Error(`bench request failed: ${JSON.stringify(r)}`);
        if (i < warmup) continue;
        if (r.stopped) stops++;
        rtt.push(dt);
        srv.push(r.latency_ms);
      }
      rtt.sort((a, b) => a - b);
      srv.sort((a, b) => a - b);
      rows.push({ case: k.name, bytes: image.length, n, p50_ms: pct(rtt, 50), p90_ms: pct(rtt, 90), p99_ms: pct(rtt, 99), max_ms: rtt[rtt.length - 1]!, server_p50_ms: pct(srv, 50), stops });
    }
  } finally {
    client.close();
    await stop();
  }
  const f = (v: number) => v.toFixed(3).padStart(9);
  console.log(`lara serve latency (${inProcess ? 'in-process server' : 'lara serve child process'}, agent ${agentSpec}, robot ${robotName}, loopback TCP, ${n} requests each)`);
  console.log(`${'case'.padEnd(14)} ${'bytes'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p90 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)} ${'srv p50'.padStart(9)}`);
  for (const r of rows) console.log(`${r.case.padEnd(14)} ${String(r.bytes).padStart(8)} ${f(r.p50_ms)} ${f(r.p90_ms)} ${f(r.p99_ms)} ${f(r.max_ms)} ${f(r.server_p50_ms)}`);
  const result = { bench: 'serve_latency', date: new Date().toISOString(), server: inProcess ? 'in-process' : 'child', agent: agentSpec, robot: robotName, rows };
  console.log(JSON.stringify(result));
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  writeJsonAtomic(resolve(ROOT, 'bench/results', `serve_latency-${result.date.replace(/[:.]/g, '-')}.json`), result);
}

await main();
