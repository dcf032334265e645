/**
 * Runs the PyTorch reference of the toy ST step (/work/shared/bench/torch_st_step.py, found as
 * ../shared/bench relative to the repo root) with Debian's /usr/bin/python3, one thread, with
 * OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset (see the shared bench README).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const torchScript = resolve(repoRoot, '..', 'shared', 'bench', 'torch_st_step.py');
export const PYTHON = '/usr/bin/python3';

export interface TorchResult {
  framework: string;
  threads: number;
  params: number;
  train_step_ms: number;
  forward_ms: number;
}

function torchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Why the reference cannot run here, or undefined when it can. */
export function torchUnavailable(): Promise<string | undefined> {
  if (!existsSync(PYTHON)) return Promise.resolve(`${PYTHON} not found`);
  if (!existsSync(torchScript)) return Promise.resolve(`${torchScript} not found`);
  return new Promise((res) => {
    execFile(PYTHON, ['-c', 'import torch'], { env: torchEnv(), timeout: 60_000 }, (err) =>
      res(err ? `torch not importable by ${PYTHON} (apt-get install -y python3-torch libopenblas-dev)` : undefined),
    );
  });
}

/** One run of the reference at one thread; `steps` timed steps after its 3 warm-ups. */
export function runTorch(steps = 10): Promise<TorchResult> {
  return new Promise((res, rej) => {
    execFile(
      PYTHON,
      [torchScript, '--threads', '1', '--steps', String(steps)],
      { env: torchEnv(), timeout: 600_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) return rej(new Error(`torch reference failed: ${(stderr || err.message).trim().split('\n').pop()}`));
        const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
        if (!line) return rej(new Error(`torch reference printed no JSON: ${stdout.slice(0, 200)}`));
        res(JSON.parse(line) as TorchResult);
      },
    );
  });
}
