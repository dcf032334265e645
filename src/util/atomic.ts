import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Temp path beside `target`, unique to this process and call. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.lara-tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${basename(target)}`);
}

/** Write a file atomically: write to a temp file, fsync, then rename over the target. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Build a directory atomically: `fill` writes into a temp directory beside `target`, which is
 * renamed to `target` only if `fill` succeeds. On failure nothing is left behind.
 * If `target` exists and `overwrite` is false, throws before doing any work.
 */
export async function buildDirAtomic<T>(
  target: string,
  fill: (tmpDir: string) => Promise<T> | T,
  opts: { overwrite?: boolean } = {},
): Promise<T> {
  if (existsSync(target) && !opts.overwrite) {
    throw new Error(`${target}: already exists (pass --overwrite to replace it)`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  mkdirSync(tmp, { recursive: true });
  try {
    const out = await fill(tmp);
    swapIntoPlace(tmp, target);
    return out;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Rename a finished temp folder onto `target`, replacing an existing folder safely. */
export function swapIntoPlace(tmp: string, target: string): void {
  if (existsSync(target)) {
    const old = tempPathFor(target) + '.old';
    renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, target);
  }
}
