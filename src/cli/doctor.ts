/**
 * `lara doctor`: what this machine offers lara — the compute backend chosen (and why the others
 * were skipped), the native accelerator, Node/npm, ROS 1 (roscore, a master answering at
 * ROS_MASTER_URI), ffmpeg (system or @ffmpeg-installer) and an NVIDIA GPU. `--json` for tools.
 */
import type { Argv, CommandModule } from 'yargs';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { backendOption, initBackend, type BackendChoice, type BackendName } from '../backend/select.ts';

export interface Check {
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  backend: BackendChoice;
  node: string;
  npm: Check;
  ros: { roscore: Check; master: Check };
  ffmpeg: { system: Check; bundled: Check };
  gpu: Check;
}

/**
 * Absolute path of an executable on PATH, if any. node_modules/.bin folders (which npm and vitest
 * put first on PATH) are skipped: @foxglove/ros1 installs a `roscore` there that is not ROS.
 */
export function onPath(cmd: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir || /node_modules[\\/]\.bin/.test(dir)) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function run(cmd: string, args: string[], timeoutMs = 5000): Promise<{ ok: boolean; out: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) res({ ok: false, out: (stderr || err.message).trim().split('\n')[0] ?? '' });
      else res({ ok: true, out: stdout.trim() });
    });
  });
}

/** Asks the ROS master at `uri` for its pid over XML-RPC (getPid). */
export function pingRosMaster(uri: string, timeoutMs = 1500): Promise<Check> {
  return new Promise((res) => {
    let u: URL;
    try {
      u = new URL(uri);
    } catch {
      res({ ok: false, detail: `ROS_MASTER_URI ${JSON.stringify(uri)} is not a URL` });
      return;
    }
    const body =
      '<?xml version="1.0"?><methodCall><methodName>getPid</methodName><params>' +
      '<param><value><string>/lara_doctor</string></value></param></params></methodCall>';
    const req = request(
      { host: u.hostname, port: Number(u.port || 11311), path: u.pathname || '/', method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => {
          // reply: [statusCode, statusMessage, pid]
          const ints = [...text.matchAll(/<(?:i4|int)>(-?\d+)<\/(?:i4|int)>/g)].map((m) => Number(m[1]));
          const ok = ints.length >= 2 && ints[0] === 1;
          res(ok ? { ok: true, detail: `master answering at ${uri} (pid ${ints[ints.length - 1]})` } : { ok: false, detail: `${uri} answered but not as a ROS master` });
        });
      },
    );
    req.on('timeout', () => {
      req.destroy();
      res({ ok: false, detail: `no answer from ${uri} within ${timeoutMs} ms` });
    });
    req.on('error', (e) => res({ ok: false, detail: `no master at ${uri}: ${e.message}` }));
    req.end(body);
  });
}

export async function runDoctor(backend: BackendName = 'auto'): Promise<DoctorReport> {
  const choice = await initBackend(backend);
  const npmV = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version']);
  const roscore = onPath('roscore');
  const masterUri = process.env.ROS_MASTER_URI;
  const master: Check = masterUri ? await pingRosMaster(masterUri) : { ok: false, detail: 'ROS_MASTER_URI is not set' };
  const sysFf = onPath('ffmpeg');
  const sysFfV = sysFf ? await run(sysFf, ['-version']) : undefined;
  let bundled: Check;
  try {
    const mod = (await import('@ffmpeg-installer/ffmpeg')) as { default?: { path: string; version: string }; path?: string; version?: string };
    const info = mod.default ?? (mod as { path: string; version: string });
    const v = await run(info.path, ['-version']);
    bundled = v.ok ? { ok: true, detail: `${info.path} (${v.out.split('\n')[0]})` } : { ok: false, detail: `${info.path} does not run: ${v.out}` };
  } catch (e) {
    bundled = { ok: false, detail: `@ffmpeg-installer/ffmpeg unavailable: ${(e as Error).message.split('\n')[0]}` };
  }
  const smi = onPath('nvidia-smi');
  const gpuQ = smi ? await run(smi, ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader']) : undefined;
  return {
    backend: choice,
    node: process.version,
    npm: npmV.ok ? { ok: true, detail: npmV.out } : { ok: false, detail: `npm not runnable: ${npmV.out}` },
    ros: {
      roscore: roscore ? { ok: true, detail: roscore } : { ok: false, detail: 'roscore not on PATH (apt-get install ros-core, or source /opt/ros/*/setup.bash)' },
      master,
    },
    ffmpeg: {
      system: sysFf && sysFfV?.ok ? { ok: true, detail: `${sysFf} (${sysFfV.out.split('\n')[0]})` } : { ok: false, detail: sysFf ? `${sysFf} does not run` : 'ffmpeg not on PATH' },
      bundled,
    },
    gpu: !smi
      ? { ok: false, detail: 'nvidia-smi not on PATH (no NVIDIA driver)' }
      : gpuQ?.ok && gpuQ.out
        ? { ok: true, detail: gpuQ.out.split('\n').join('; ') }
        : { ok: false, detail: `nvidia-smi found but reports no GPU: ${gpuQ?.out ?? ''}` },
  };
}

const mark = (c: Check): string => (c.ok ? 'ok  ' : 'no  ');

export function formatDoctor(r: DoctorReport): string {
  const b = r.backend;
  const lines = [`backend         ${b.chosen}`];
  for (const t of b.tried) lines.push(`  ${t.ok ? 'ok  ' : 'skip'} ${t.name.padEnd(14)} ${t.reason}`);
  lines.push(`accelerator     ${b.accelerator.status}: ${b.accelerator.detail}`);
  lines.push(`node            ${r.node}`);
  lines.push(`npm             ${mark(r.npm)}${r.npm.detail}`);
  lines.push(`ros roscore     ${mark(r.ros.roscore)}${r.ros.roscore.detail}`);
  lines.push(`ros master      ${mark(r.ros.master)}${r.ros.master.detail}`);
  lines.push(`ffmpeg system   ${mark(r.ffmpeg.system)}${r.ffmpeg.system.detail}`);
  lines.push(`ffmpeg bundled  ${mark(r.ffmpeg.bundled)}${r.ffmpeg.bundled.detail}`);
  lines.push(`gpu             ${mark(r.gpu)}${r.gpu.detail}`);
  return lines.join('\n') + '\n';
}

interface Args {
  backend: string;
  json: boolean;
}

export const doctorCommand: CommandModule<object, Args> = {
  command: 'doctor',
  describe: 'Report the compute backend, native accelerator, Node/npm, ROS 1, ffmpeg and GPU on this machine',
  builder: (y: Argv) =>
    y.option('backend', backendOption).option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as unknown as Argv<Args>,
  handler: async (a) => {
    const r = await runDoctor(a.backend as BackendName);
    process.stdout.write(a.json ? JSON.stringify(r, null, 2) + '\n' : formatDoctor(r));
  },
};

export default doctorCommand;
