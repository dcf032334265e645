/**
 * Test harness for real-ROS integration tests: a real roscore on a free loopback port, lara CLI
 * children, Debian's Python ROS tools as an independent peer, and cleanup of every process
 * started (by PID). Tests skip with a reason when roscore is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { masterAnswers } from '../../src/ros/master.ts';

export const REPO = resolve(import.meta.dirname, '../..');
/** Debian's interpreter: the first python3 on PATH may not import rospy. */
export const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** A ROS command on PATH, skipping node_modules/.bin (@foxglove/ros1 installs a `roscore` there). */
export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Reason to skip real-ROS tests, or undefined when roscore, rostopic and rosbag are there. */
export function rosSkipReason(): string | undefined {
  for (const c of ['roscore', 'rostopic', 'rosbag']) if (!which(c)) return `${c} not installed (apt-get install ros-core python3-rostopic python3-rosbag ...; CI installs them)`;
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  out(): string;
  err(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** Send a signal (default SIGINT) and wait for exit; SIGKILL after graceMs. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

export function spawnProc(cmd: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((r) => child.on('exit', (code, sig) => r(code ?? sig ?? -1)));
  const stop = async (signal: NodeJS.Signals = 'SIGINT', graceMs = 10000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    }
    return exited;
  };
  return { child, pid: child.pid!, out: () => out, err: () => err, exited, stop };
}

export interface Roscore {
  uri: string;
  port: number;
  env: NodeJS.ProcessEnv;
  proc: Proc;
  stop(): Promise<void>;
}

/** Start a real roscore on a free loopback port; resolves once the master answers. */
export async function startRoscore(): Promise<Roscore> {
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ROS_MASTER_URI: uri, ROS_IP: '127.0.0.1', ROS_HOME: join(tmpdir(), 'lara-ros-test-home') };
  const proc = spawnProc(which('roscore')!, ['-p', String(port)], env);
  const t0 = Date.now();
  while (!(await masterAnswers(uri, 500))) {
    if (Date.now() - t0 > 20000 || proc.child.exitCode !== null) {
      await proc.stop('SIGINT', 5000);
      throw new Error(`roscore did not start on ${uri}: ${proc.err()}`);
    }
    await sleep(100);
  }
  return { uri, port, env, proc, stop: async () => void (await proc.stop('SIGINT', 15000)) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `lara <args>` as a child process. */
export function lara(args: string[], env: NodeJS.ProcessEnv): Proc {
  return spawnProc(process.execPath, [join(REPO, 'bin', 'lara.mjs'), ...args], env);
}

/** A Python ROS tool (rostopic, rosbag) run by Debian's python3. */
export function rosTool(tool: 'rostopic' | 'rosbag', args: string[], env: NodeJS.ProcessEnv): Proc {
  return spawnProc(PY, [which(tool)!, ...args], env);
}

/** Wait until `pred` holds (polling), or throw after timeoutMs. */
export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Stop a `rosbag record -O path` started with rosTool and wait for the bag: the Python tool
 * forwards SIGINT to its C++ recorder and may exit before that one renames `path.active`.
 */
export async function stopRosbag(p: Proc, path: string): Promise<void> {
  await p.stop('SIGINT');
  await waitFor(() => existsSync(path) && !existsSync(`${path}.active`), 15000, `rosbag to close ${path}`);
}
