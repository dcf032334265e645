import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.ts';
import { Watchdog } from '../../src/safety/watchdog.ts';

describe('Watchdog', () => {
  it('flags the camera stale only after more than 2 periods of silence', () => {
    const clock = new ManualClock(1000);
    const w = new Watchdog({ rateHz: 10, clock }); // period 100 ms
    w.start();
    w.imageReceived();
    clock.advance(200);
    expect(w.check()).toBeUndefined();
    clock.advance(1);
    expect(w.check()).toBe('camera-stale');
    w.imageReceived();
    expect(w.check()).toBeUndefined();
  });

  it('counts silence from start() before the first image', () => {
    const clock = new ManualClock();
    const w = new Watchdog({ rateHz: 20, clock });
    expect(w.cameraAgeMs()).toBe(Infinity);
    w.start();
    clock.advance(101);
    expect(w.sawImage).toBe(false);
    expect(w.check()).toBe('camera-stale');
  });

  it('reports failing and slow inference until an on-time success', () => {
    const clock = new ManualClock();
    const w = new Watchdog({ rateHz: 10, clock });
    w.start();
    w.imageReceived();
    expect(w.inferenceDone(50, true)).toBe('inference-error');
    expect(w.check()).toBe('inference-error');
    expect(w.inferenceDone(100.5, false)).toBe('inference-slow');
    expect(w.check()).toBe('inference-slow');
    expect(w.inferenceDone(99, false)).toBeUndefined();
    expect(w.check()).toBeUndefined();
    expect(w.inferenceRunningTooLong(100)).toBe(false);
    expect(w.inferenceRunningTooLong(101)).toBe(true);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new Watchdog({ rateHz: 0, clock: new ManualClock() })).toThrow(/rateHz/);
  });
});
