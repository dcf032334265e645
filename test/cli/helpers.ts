/** Run the real CLI (node bin/lara.mjs) in a child process. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Async, so vitest's worker stays responsive while the child runs. */
export function lara(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn('node', [resolve(ROOT, 'bin/lara.mjs'), ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, LARA_DEBUG: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}
