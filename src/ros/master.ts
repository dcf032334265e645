/**
 * Finding a ROS master: use the one at ROS_MASTER_URI when it answers (XML-RPC getSystemState);
 * otherwise start lara's embedded master (@foxglove/ros1, in a child process) on that URI's
 * host and port. The embedded master lives as long as the returned handle (stop() or process exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { LaraError } from '../util/errors.ts';

export interface MasterHandle {
  uri: string;
  /** True when lara started its own master. */
  embedded: boolean;
  /** PID of the embedded master process (undefined when external). */
  pid?: number;
  /** Stops the embedded master (no-op for an external one). */
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/** Parse http://host:port[/] into its parts. */
export function parseMasterUri(uri: string): { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new LaraError('invalid ROS master URI', { where: 'ROS_MASTER_URI', expected: 'http://HOST:PORT', got: JSON.stringify(uri) });
  }
  if (u.protocol !== 'http:') throw new LaraError('invalid ROS master URI', { where: 'ROS_MASTER_URI', expected: 'http://HOST:PORT', got: JSON.stringify(uri) });
  return { host: u.hostname, port: u.port ? Number(u.port) : 11311 };
}

/** True when a ROS master answers getSystemState at `uri` within timeoutMs. */
export function masterAnswers(uri: string, timeoutMs = 1000): Promise<boolean> {
  const { host, port } = parseMasterUri(uri);
  const body =
    '<?xml version="1.0"?><methodCall><methodName>getSystemState</methodName><params><param><value><string>/lara_probe</string></value></param></params></methodCall>';
  return new Promise((resolve) => {
    const req = request(
      { host, port, path: '/', method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(res.statusCode === 200 && text.includes('methodResponse')));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/** Start the embedded master as a child process on host:port; resolves once it is listening. */
export async function startEmbeddedMaster(uri: string, timeoutMs = 15000): Promise<MasterHandle> {
  const { host, port } = parseMasterUri(uri);
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin', 'run-ts.mjs'), join(here, 'embeddedMasterMain.ts'), host, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: repoRoot,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<boolean>((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw new LaraError('could not start the embedded ROS master', { where: uri, expected: 'a free port', got: stderr.trim() || 'no answer' });
  }
  const exitOnParentExit = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', exitOnParentExit);
  return {
    uri,
    embedded: true,
    pid: child.pid,
    stop: async () => {
      process.removeListener('exit', exitOnParentExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
    },
  };
}

/** Use the master at `uri` if it answers, else start the embedded one there. */
export async function ensureMaster(uri: string, opts: { allowEmbedded?: boolean } = {}): Promise<MasterHandle> {
  if (await masterAnswers(uri)) return { uri, embedded: false, stop: async () => {} };
  if (opts.allowEmbedded === false) {
    throw new LaraError('no ROS master answers', { where: uri, expected: 'a running roscore (or allow the embedded master)', got: 'no answer' });
  }
  return startEmbeddedMaster(uri);
}
