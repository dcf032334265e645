import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.ts';
import { Progress, formatDuration } from '../../src/util/progress.ts';

function sink(isTTY: boolean): { out: { write: (s: string) => void; isTTY: boolean }; text: () => string } {
  let buf = '';
  return { out: { write: (s: string) => void (buf += s), isTTY }, text: () => buf };
}

describe('Progress', () => {
  it('on a TTY redraws one line with bar, rate and ETA, throttled to 10 Hz', () => {
    const clock = new ManualClock();
    const s = sink(true);
    const p = new Progress({ total: 100, out: s.out, clock, label: 'train' });
    clock.advance(1000);
    p.update(10, { loss: 1.5 });
    expect(s.text()).toBe('\rtrain   10/100  [##..................]   10%  10.0 step/s  ETA 0:09  loss 1.5000\x1b[K');
    clock.advance(50);
    p.update(11, { loss: 1.4 }); // within 100 ms: no redraw
    expect(s.text().split('\r')).toHaveLength(2);
    clock.advance(4000 - 1050);
    p.update(40);
    expect(s.text().endsWith('\rtrain   40/100  [########............]   40%  10.0 step/s  ETA 0:06\x1b[K')).toBe(true);
    p.log('checkpoint saved');
    expect(s.text()).toContain('\r\x1b[Kcheckpoint saved\n\rtrain   40/100');
    p.done();
    expect(s.text().endsWith('\n')).toBe(true);
    expect(s.text().split('\n')).toHaveLength(3);
  });

  it('off a TTY prints plain lines every `every` items or `intervalMs`', () => {
    const clock = new ManualClock();
    const s = sink(false);
    const p = new Progress({ total: 50, start: 10, out: s.out, clock, every: 10, intervalMs: 5000, label: 'train' });
    for (let i = 11; i <= 25; i++) {
      clock.advance(100);
      p.update(i);
    }
    // resumed at 10: the rate counts only this session's 10 steps in 1 s
    expect(s.text()).toBe('train  20/50   40%  10.0 step/s  ETA 0:03\n');
    clock.advance(6000);
    p.update(26); // 16 steps in 7.5 s
    expect(s.text().split('\n')[1]).toMatch(/^train  26\/50   52%  2\.13 step\/s  ETA 0:11$/);
    p.done();
    expect(s.text().split('\n').filter(Boolean)).toHaveLength(2); // already printed 26
    expect(s.text()).not.toContain('\r');
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('--:--');
  });
});
