import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import * as tf from '@tensorflow/tfjs';
import { resolveRunConfig, runSets, savedRunConfig, withRunOptions, type RunArgs } from '../../src/cli/options.ts';
import { saveCheckpoint } from '../../src/checkpoint/checkpoint.ts';
import { DemoSchema } from '../../src/train/demo-config.ts';
import { section, int } from '../../src/config/schema.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function parse(args: string[]): RunArgs | Error {
  let err: Error | undefined;
  const y = withRunOptions(yargs(args), 'demo', 'runs/demo')
    .strict()
    .fail((msg, e) => {
      err = e ?? new Error(msg);
    })
    .exitProcess(false);
  const a = y.parseSync();
  return err ?? (a as unknown as RunArgs);
}

describe('run options', () => {
  it('parses --preset, repeated --set, --run-dir alias, --seed/--steps', () => {
    const a = parse(['--set', 'model.width=16', '--set', 'data.grid=4', '--run-dir', 'x/y', '--seed', '7', '--steps', '30', '--resume']) as RunArgs;
    expect(a.set).toEqual(['model.width=16', 'data.grid=4']);
    expect(a.out).toBe('x/y');
    expect(a.resume).toBe(true);
    expect(runSets(a)).toEqual(['model.width=16', 'data.grid=4', 'train.seed=7', 'train.steps=30']);
    const d = parse([]) as RunArgs;
    expect(d).toMatchObject({ out: 'runs/demo', resume: false, overwrite: false });
  });

  it('--resume and --overwrite exclude each other', () => {
    const e = parse(['--resume', '--overwrite']);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toBe('--resume and --overwrite exclude each other');
  });

  it('resolves defaults < preset < --set, --steps last; a preset file path works', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-opt-'));
    const p = join(dir, 'mine.json');
    writeFileSync(p, JSON.stringify({ model: { width: 24, heads: 3 }, train: { steps: 9 } }));
    const cfg = resolveRunConfig(DemoSchema, 'demo', { preset: p, set: ['model.heads=2'], steps: 11 });
    expect(cfg.model).toEqual({ width: 24, layers: 2, heads: 2 });
    expect(cfg.train.steps).toBe(11);
  });

  it('--seed/--steps on a config without a train section is an error', () => {
    const S = section({ k: int(1, 'k') });
    expect(() => resolveRunConfig(S, 'x', { steps: 3 })).toThrow(/--seed\/--steps: config 'x' has no train section; use --set/);
  });

  it('on --resume without --preset the run\'s saved config is the base', async () => {
    const run = mkdtempSync(join(tmpdir(), 'lara-opt-'));
    const saved = resolveRunConfig(DemoSchema, 'demo', { set: ['model.width=8', 'model.heads=2'] });
    await saveCheckpoint(join(run, 'ckpt'), { step: 1, weights: {}, optimizer: { step: 1, tensors: {} }, rng: [1, 2, 3, 4], data: { position: 1 }, config: saved });
    expect(savedRunConfig(run)?.value).toEqual(saved);
    const cfg = resolveRunConfig(DemoSchema, 'demo', { out: run, resume: true, steps: 50 });
    expect(cfg.model.width).toBe(8);
    expect(cfg.train.steps).toBe(50);
    // without --resume the saved config is not used
    expect(resolveRunConfig(DemoSchema, 'demo', { out: run }).model.width).toBe(32);
  });
});
