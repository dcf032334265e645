import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.ts';
import { SHIFTS, toyClips, toyLossFloor } from '../../src/train/toy-world.ts';

describe('toy shift world', () => {
  it('each frame is the previous one shifted one cell (wrapping) in the clip direction', () => {
    const o = { grid: 3, frames: 4, vocab: 8, batch: 20 };
    const { tokens, actions } = toyClips(o, Rng.seeded(1));
    const s = 9;
    const seen = new Set<number>();
    for (let b = 0; b < o.batch; b++) {
      const [dr, dc] = SHIFTS[actions[b]!]!;
      seen.add(actions[b]!);
      for (let f = 1; f < o.frames; f++) {
        for (let r = 0; r < 3; r++) {
          for (let c = 0; c < 3; c++) {
            const now = tokens[b * o.frames * s + f * s + r * 3 + c]!;
            const from = tokens[b * o.frames * s + (f - 1) * s + ((r - dr + 3) % 3) * 3 + ((c - dc + 3) % 3)]!;
            expect(now).toBe(from);
          }
        }
      }
    }
    expect(seen.size).toBe(5);
    expect(Math.max(...tokens)).toBeLessThan(8);
  });

  it('is a pure function of the rng; the floor is ln 5 over T-1 frames', () => {
    const o = { grid: 4, frames: 3, vocab: 16, batch: 2 };
    expect(toyClips(o, Rng.seeded(9)).tokens).toEqual(toyClips(o, Rng.seeded(9)).tokens);
    expect(toyClips(o, Rng.seeded(9)).tokens).not.toEqual(toyClips(o, Rng.seeded(10)).tokens);
    expect(toyLossFloor(6)).toBeCloseTo(Math.log(5) / 5, 12);
  });
});
