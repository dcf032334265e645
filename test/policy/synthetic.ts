import { EpisodeMemory, type HeldEpisode } from '../../src/policy/data.ts';
import { Rng } from '../../src/util/rng.ts';

/** A 16x16 frame with a white 2x2 dot at column x, row y. */
export function dotFrame(x: number, y = 7, size = 16): Uint8Array {
  const f = new Uint8Array(size * size * 3).fill(20);
  for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) f.fill(255, ((y + dy) * size + x + dx) * 3, ((y + dy) * size + x + dx) * 3 + 3);
  return f;
}

/**
 * Episodes of a dot that moves one pixel per step toward column 7: code 1 / action +1 when it
 * is left of 7, code 0 / action -1 when right. State = [x / 16].
 */
export function dotMemory(episodes: number, seed = 0): EpisodeMemory {
  const rng = Rng.seeded(seed);
  const eps: HeldEpisode[] = [];
  for (let e = 0; e < episodes; e++) {
    let x = rng.int(2) ? rng.int(4) : 11 + rng.int(3);
    const frames: Uint8Array[] = [];
    const actions: Float32Array[] = [];
    const states: Float32Array[] = [];
    const codes: number[] = [];
    for (let t = 0; t < 6; t++) {
      frames.push(dotFrame(x));
      states.push(Float32Array.of(x / 16));
      const dir = x < 7 ? 1 : -1;
      actions.push(Float32Array.of(dir, 0));
      if (t < 5) codes.push(dir > 0 ? 1 : 0);
      x += dir;
    }
    eps.push({ instruction: 'move the dot to the middle', frames, actions, states, latents: Int32Array.from(codes) });
  }
  return new EpisodeMemory(eps, 16, 16, eps.map((_, i) => i));
}
