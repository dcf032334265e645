/** Helpers shared by lara's data tests: synthetic episodes and temp folders. */
import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Episode } from '../../src/data/episode.ts';
import { Rng } from '../../src/util/rng.ts';

export { FIXTURES } from '../fixtures.ts';

export function tempDir(prefix = 'lara-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A random-ish episode of T steps: frames with a moving square (so PNG is not trivial), 3-D actions, 2-D states. */
export function syntheticEpisode(T: number, w: number, h: number, seed: number, opts: { latents?: boolean; cameras?: string[] } = {}): Episode {
  const rng = Rng.seeded(seed);
  const cameras: Episode['cameras'] = {};
  for (const [ci, name] of (opts.cameras ?? ['front']).entries()) {
    const frames: Uint8Array[] = [];
    for (let t = 0; t < T; t++) {
      const f = new Uint8Array(w * h * 3);
      for (let i = 0; i < f.length; i++) f[i] = (i * 7 + t * 13 + ci * 50 + rng.int(8)) & 0xff;
      const x0 = (t * 3) % w;
      for (let y = 0; y < Math.min(8, h); y++) for (let x = x0; x < Math.min(w, x0 + 8); x++) f.set([255, 0, 0], (y * w + x) * 3);
      frames.push(f);
    }
    cameras[name] = { width: w, height: h, frames };
  }
  const ep: Episode = {
    instruction: `task ${seed}`,
    cameras,
    timestamps: Array.from({ length: T }, (_, t) => t / 10 + seed * 1e-3),
    actions: Array.from({ length: T }, () => Float32Array.from([rng.normal(), rng.normal(), rng.uniform(-1, 1)])),
    states: Array.from({ length: T }, () => Float32Array.from([rng.normal(), rng.normal()])),
    metadata: { seed, source: 'synthetic', nested: { ok: true } },
  };
  if (opts.latents) ep.latents = Int32Array.from({ length: T - 1 }, () => rng.int(8));
  return ep;
}

/** `tmp()` makes a temp folder that is removed after the current test (registers an afterEach). */
export function scopedTempDirs(prefix?: string): () => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  return () => {
    const t = tempDir(prefix);
    cleanups.push(t.cleanup);
    return t.dir;
  };
}
