import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ManualClock } from '../../src/util/clock.ts';
import { configDiff, train, type TrainOptions } from '../../src/train/loop.ts';
import { readMetrics } from '../../src/train/metrics.ts';
import { CircleBatches, TinyMlpTask, type CircleBatch } from '../../src/train/tiny-mlp.ts';
import { stepRng, type BatchSource, type TrainTask } from '../../src/train/task.ts';
import { readCheckpointState } from '../../src/checkpoint/checkpoint.ts';
import { LaraError } from '../../src/util/errors.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function opts(runDir: string, steps: number, extra: Partial<TrainOptions<CircleBatch>> = {}): TrainOptions<CircleBatch> {
  const t = { steps, seed: 5, checkpointEvery: 4, keep: 2 };
  return { task: new TinyMlpTask(), data: new CircleBatches(5, 16), train: t, runDir, config: { train: t }, progress: false, log: () => {}, ...extra };
}

describe('train', () => {
  it('checkpoints every N steps and at the end, writes one metrics line a step, and learns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    const saved: number[] = [];
    const r = await train(opts(dir, 10, { log: (m) => void (/checkpoint step (\d+)/.exec(m) && saved.push(Number(/checkpoint step (\d+)/.exec(m)![1]))) }));
    expect(saved).toEqual([4, 8, 10]);
    expect(readdirSync(join(dir, 'ckpt')).sort()).toEqual(['ckpt-00000008', 'ckpt-00000010', 'latest']);
    expect(r).toMatchObject({ startStep: 0, step: 10 });
    const m = readMetrics(join(dir, 'metrics.jsonl'));
    expect(m.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(m.every((x) => typeof x.acc === 'number')).toBe(true);
    expect(readCheckpointState(join(dir, 'ckpt', 'ckpt-00000010'))).toMatchObject({ step: 10, optimizerStep: 10, data: { position: 10 }, metrics: { loss: m[9]!.loss } });
  });

  it('resuming in-process gives the same losses as one straight run', async () => {
    const a = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    const b = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    await train(opts(a, 12));
    await train(opts(b, 8));
    const r = await train(opts(b, 12, { resume: true }));
    expect(r.startStep).toBe(8);
    expect(r.history.map((h) => h.step)).toEqual([9, 10, 11, 12]);
    expect(readMetrics(join(b, 'metrics.jsonl'))).toEqual(readMetrics(join(a, 'metrics.jsonl')));
  });

  it('refuses to clobber an existing run without --resume or --overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    await train(opts(dir, 2));
    await expect(train(opts(dir, 2))).rejects.toThrow(/run directory already holds a training run; expected --resume to continue it, --overwrite to start over/);
    const r = await train(opts(dir, 3, { overwrite: true }));
    expect(r.startStep).toBe(0);
    expect(readMetrics(join(dir, 'metrics.jsonl'))).toHaveLength(3);
  });

  it('--resume with no checkpoint starts fresh; with a mismatched model it names the tensor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    const logs: string[] = [];
    const r = await train(opts(dir, 4, { resume: true, log: (m) => logs.push(m) }));
    expect(r.startStep).toBe(0);
    expect(logs[0]).toMatch(/no checkpoint in .*; starting from step 0/);
    await expect(train(opts(dir, 8, { resume: true, task: new TinyMlpTask({ hidden: 8 }) }))).rejects.toThrow(/cannot resume from .*ckpt-00000004: weights: tensor '(b1|w1|w2)' has the wrong shape; expected \[/);
  });

  it('stops with a clear error when the loss diverges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    const task: TrainTask<number> = {
      init: () => {},
      step: (b) => ({ loss: b < 2 ? 1 : NaN }),
      weights: () => ({}),
      loadWeights: () => {},
      optimizerState: () => ({ step: 0, tensors: {} }),
      loadOptimizerState: () => {},
    };
    const data: BatchSource<number> = { batch: (s) => s };
    const t = { steps: 5, seed: 0, checkpointEvery: 10, keep: 1 };
    const err = await train({ task, data, train: t, runDir: dir, config: {}, progress: false, log: () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(LaraError);
    expect(err.message).toMatch(/training diverged: loss is NaN at step 3/);
    expect(existsSync(join(dir, 'ckpt'))).toBe(false);
  });

  it('reports progress through the injected stream and clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-loop-'));
    let text = '';
    const clock = new ManualClock();
    const t = { steps: 20, seed: 1, checkpointEvery: 100, keep: 1 };
    await train({ ...opts(dir, 20), train: t, clock, progress: { write: (s: string) => void (text += s), isTTY: false }, log: undefined, onStep: () => clock.advance(250) });
    const lines = text.trim().split("\n"); // the clock moves after each step is reported: 2 steps in 0.25 s
    expect(lines[0]).toMatch(/^train   2\/20   10%  8\.00 step\/s  ETA 0:02  loss \d\.\d{4}$/);
    expect(lines.at(-2)).toMatch(/^train  20\/20  100%/);
    expect(lines.at(-1)).toMatch(/^checkpoint step 20 -> /);
  });
});

describe('stepRng / configDiff', () => {
  it('stepRng depends on seed and step only', () => {
    expect(stepRng(1, 5).uint32()).toBe(stepRng(1, 5).uint32());
    const vals = new Set([stepRng(1, 5), stepRng(1, 6), stepRng(2, 5), stepRng(0, 0), stepRng(0, 2 ** 32)].map((r) => r.uint32()));
    expect(vals.size).toBe(5);
  });
  it('configDiff names the differing paths', () => {
    expect(configDiff({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [1, 2] }, d: 'x', e: 1 })).toEqual(['a.b', 'e']);
  });
});
