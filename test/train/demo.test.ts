import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/backend/tf.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { DemoSchema } from '../../src/train/demo-config.ts';
import { runComponent, trainDemo } from '../../src/train/demo.ts';
import { train } from '../../src/train/loop.ts';
import { CircleBatches, TinyMlpTask } from '../../src/train/tiny-mlp.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cfg = resolveConfig(DemoSchema, [], ['data.batch=2', 'data.frames=3', 'model.width=8', 'model.heads=2', 'model.layers=1', 'train.steps=6', 'train.checkpointEvery=3']);

describe('trainDemo', () => {
  it('trains the toy ST model, evaluates held-out loss, and replaces a previous demo run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-demo-'));
    const r = await trainDemo(cfg, { runDir: dir, progress: false, log: () => {} });
    expect(r.losses).toHaveLength(6);
    expect(r.chanceLoss).toBeCloseTo(Math.log(8), 12);
    expect(r.losses[0]).toBeGreaterThan(r.chanceLoss - 0.3); // starts near chance
    expect(Number.isFinite(r.heldOutLoss)).toBe(true);
    expect(r.params).toBeGreaterThan(500);
    expect(runComponent(dir)).toBe('demo');
    const again = await trainDemo(cfg, { runDir: dir, progress: false, log: () => {} });
    expect(again.run.startStep).toBe(0);
    expect(again.losses).toEqual(r.losses); // same seed, same run
  });

  it('refuses to replace a run of another component without --overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-demo-'));
    const t = { steps: 2, seed: 0, checkpointEvery: 1, keep: 1 };
    await train({ task: new TinyMlpTask(), data: new CircleBatches(0), train: t, runDir: dir, config: { train: t }, component: 'lam', progress: false, log: () => {} });
    await expect(trainDemo(cfg, { runDir: dir, progress: false })).rejects.toThrow(/run directory holds a 'lam' run, not a demo run; expected --out pointing elsewhere, or --overwrite/);
  });
});
