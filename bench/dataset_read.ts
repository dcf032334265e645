/**
 * Random-access read speed of lara datasets: windows/s for T=16 frames at 64x64.
 * Builds temporary datasets from the crafter fixture video (PNG and raw rgb8 frames), then reads
 * seeded random windows through Dataset.readWindow (sequential, and 4 in flight).
 *   node bin/run-ts.mjs bench/dataset_read.ts [--windows N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatasetWriter } from '../src/data/DatasetWriter.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { ClipSampler } from '../src/data/ClipSampler.ts';
import { decodeVideo } from '../src/data/import/ffmpeg.ts';
import { Rng } from '../src/util/rng.ts';
import type { ImageEncoding } from '../src/data/format.ts';

const wi = process.argv.indexOf('--windows');
const N = wi >= 0 ? Number(process.argv[wi + 1]) : 400;
const T = 16;
const EPISODES = 8;
const video = resolve('../shared/fixtures/video/crafter-64px.mp4');

const frames: Uint8Array[] = [];
await decodeVideo(video, { width: 64, height: 64, fps: 10 }, (f) => void frames.push(f));
const root = mkdtempSync(join(tmpdir(), 'lara-bench-'));
try {
  for (const encoding of ['png', 'raw'] as ImageEncoding[]) {
    const dir = join(root, encoding);
    const t0 = performance.now();
    const w = DatasetWriter.create(dir, { robot: 'bench', fps: 10, cameras: [{ name: 'main', width: 64, height: 64, encoding }], actionNames: ['a0', 'a1'] });
    for (let e = 0; e < EPISODES; e++) {
      // 200-step episodes made of the 100 fixture frames, rotated per episode
      const fr = Array.from({ length: 200 }, (_, t) => frames[(t + e * 13) % frames.length]!);
      await w.addEpisode({ instruction: '', cameras: { main: { width: 64, height: 64, frames: fr } }, timestamps: fr.map((_, t) => t / 10), actions: fr.map((_, t) => Float32Array.of(t, e)), metadata: {} });
    }
    const info = await w.finish();
    const writeS = (performance.now() - t0) / 1000;
    const ds = Dataset.open(dir);
    const bytes = ds.index.episodes.reduce((s, e) => s + e.bytes, 0);
    const sampler = new ClipSampler({ lengths: ds.index.episodes.map((e) => e.length), T });
    const rng = Rng.seeded(1);
    await ds.readWindow(0, 0, T); // open one reader (warm-up)
    let t1 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const c = sampler.sample(rng);
      await ds.readWindow(c.episode, c.start, T);
    }
    const seq = N / ((performance.now() - t1) / 1000);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / N;
    t1 = performance.now();
    const inFlight = 4;
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < N) {
          next++;
          const c = sampler.sample(rng);
          await ds.readWindow(c.episode, c.start, T);
        }
      }),
    );
    const par = N / ((performance.now() - t1) / 1000);
    const read = (await Promise.all(ds.index.episodes.map((_, k) => ds.reader(k)))).reduce((s, r) => s + r.bytesRead, 0);
    await ds.close();
    console.log(
      `${encoding.padEnd(4)} ${info.num_episodes} episodes x 200 steps, ${(bytes / 1e6).toFixed(2)} MB, written in ${writeS.toFixed(2)} s | ` +
        `T=${T} 64x64 windows/s: ${seq.toFixed(0)} sequential, ${par.toFixed(0)} with ${inFlight} in flight ` +
        `(${(seq * T).toFixed(0)} / ${(par * T).toFixed(0)} frames/s); bytes read per window ${(read / (2 * N + 1) / 1e3).toFixed(1)} kB; ` +
        `CPU per window (sequential) ${cpuMs.toFixed(2)} ms -> ${(1000 / cpuMs).toFixed(0)} windows/s per free core`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
