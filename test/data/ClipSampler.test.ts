import { describe, it, expect } from 'vitest';
import { ClipSampler } from '../../src/data/ClipSampler.ts';
import { makeSplits } from '../../src/data/split.ts';
import { Rng } from '../../src/util/rng.ts';

describe('ClipSampler', () => {
  it('enumerates every valid (episode, start) window with stride and hop', () => {
    const s = new ClipSampler({ lengths: [10, 3, 7], T: 3, stride: 2 });
    // span 5: ep0 starts 0..5 (6), ep1 none, ep2 starts 0..2 (3)
    expect(s.total).toBe(9);
    expect(s.episodes).toEqual([0, 2]);
    expect([...s.windows()].map((w) => `${w.episode}:${w.start}`)).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '0:5', '2:0', '2:1', '2:2']);
    const h = new ClipSampler({ lengths: [10], T: 2, hop: 4 });
    expect([...h.windows()].map((w) => w.start)).toEqual([0, 4, 8]);
  });

  it('derives stride from dataset fps and target fps, and restricts to a split', () => {
    const s = new ClipSampler({ lengths: [100, 50], T: 16, fps: 30, targetFps: 10, episodes: [1] });
    expect(s.stride).toBe(3);
    expect(s.total).toBe(50 - 46 + 1);
    expect(s.at(0)).toEqual({ episode: 1, start: 0 });
  });

  it('samples uniformly over windows, reproducibly from the seed', () => {
    const s = new ClipSampler({ lengths: [20, 11], T: 2 });
    const a = Array.from({ length: 5 }, ((r) => () => s.sample(r))(Rng.seeded(7)));
    const b = Array.from({ length: 5 }, ((r) => () => s.sample(r))(Rng.seeded(7)));
    expect(a).toEqual(b);
    const counts = [0, 0];
    const r = Rng.seeded(1);
    for (let i = 0; i < 6000; i++) counts[s.sample(r).episode]!++;
    // 19 vs 10 windows
    expect(counts[0]! / 6000).toBeGreaterThan(0.6);
    expect(counts[0]! / 6000).toBeLessThan(0.71);
    const ep = s.epoch(Rng.seeded(3));
    expect(ep.length).toBe(29);
    expect(new Set(ep.map((w) => `${w.episode}:${w.start}`)).size).toBe(29);
    expect(() => new ClipSampler({ lengths: [2], T: 5 }).sample(Rng.seeded(0))).toThrow(/no episode is long enough/);
  });
});

describe('makeSplits', () => {
  it('splits by episode, seeded, disjoint and complete', () => {
    const a = makeSplits(50, 0.1, Rng.seeded(5), 5);
    expect(a.val.length).toBe(5);
    expect([...a.train, ...a.val].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(makeSplits(50, 0.1, Rng.seeded(5), 5)).toEqual(a);
    expect(makeSplits(50, 0.1, Rng.seeded(6), 6).val).not.toEqual(a.val);
    expect(makeSplits(3, 0.1, Rng.seeded(0), 0).val.length).toBe(1);
    expect(() => makeSplits(3, 1.5, Rng.seeded(0), 0)).toThrow(/--val/);
  });
});
