/**
 * A tiny synthetic video dataset for the model tests: a bright 4×4 square on a dark background
 * moves by its action (dx, dy ∈ {−1, 0, 1} pixels... times 2) each step. Written with the real
 * DatasetWriter so the training verbs read a real lara dataset.
 */
import { DatasetWriter } from '../../src/data/DatasetWriter.ts';
import type { Episode } from '../../src/data/episode.ts';
import { Rng } from '../../src/util/rng.ts';

export async function writeSquaresDataset(dir: string, episodes = 6, steps = 12, size = 16, seed = 0): Promise<void> {
  const w = DatasetWriter.create(dir, { robot: 'squares', fps: 10, cameras: [{ name: 'cam', width: size, height: size }], actionNames: ['dx', 'dy'], overwrite: true });
  const rng = Rng.seeded(seed);
  for (let e = 0; e < episodes; e++) {
    let x = 2 + rng.int(size - 8);
    let y = 2 + rng.int(size - 8);
    const frames: Uint8Array[] = [];
    const actions: Float32Array[] = [];
    const timestamps: number[] = [];
    for (let t = 0; t < steps; t++) {
      const f = new Uint8Array(size * size * 3).fill(20);
      for (let dy = 0; dy < 4; dy++)
        for (let dx = 0; dx < 4; dx++) {
          const i = ((y + dy) * size + x + dx) * 3;
          f[i] = 240;
          f[i + 1] = 200;
          f[i + 2] = 60;
        }
      frames.push(f);
      const ax = rng.int(3) - 1;
      const ay = rng.int(3) - 1;
      actions.push(Float32Array.from([ax, ay]));
      timestamps.push(t / 10);
      x = Math.min(size - 4, Math.max(0, x + 2 * ax));
      y = Math.min(size - 4, Math.max(0, y + 2 * ay));
    }
    const ep: Episode = { instruction: '', cameras: { cam: { width: size, height: size, frames } }, timestamps, actions, metadata: {} };
    await w.addEpisode(ep);
  }
  await w.finish();
}
