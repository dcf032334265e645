import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkpointName, listCheckpoints, loadCheckpoint, loadLatestCheckpoint, readCheckpointState, saveCheckpoint, type CheckpointInput } from '../../src/checkpoint/checkpoint.ts';
import { readSafetensors } from '../../src/checkpoint/safetensors.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function input(step: number): CheckpointInput {
  return {
    step,
    weights: { 'enc/w': tf.tensor2d([[1, 2], [3, step]]), 'enc/b': tf.tensor1d([0.5, -0.5]), idx: tf.tensor1d([4, 5], 'int32') },
    optimizer: { step: step * 2, tensors: { 'enc/w/m': tf.fill([2, 2], 0.25) } },
    rng: [1, 2, 3, 4294967295],
    data: { position: step, epoch: 0 },
    metrics: { loss: 1 / (step + 1) },
    config: { model: { width: 8 }, train: { steps: 100 } },
    component: 'demo',
  };
}

describe('checkpoints', () => {
  it('writes the four files into ckpt-<step>/ and points latest at it', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    const dir = await saveCheckpoint(root, input(7), { now: () => new Date(0) });
    expect(dir).toBe(join(root, 'ckpt-00000007'));
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors', 'optimizer.safetensors', 'state.json']);
    expect(readFileSync(join(root, 'latest'), 'utf8').trim()).toBe('ckpt-00000007');
    const st = readCheckpointState(dir);
    expect(st).toMatchObject({ format: 'lara-checkpoint', formatVersion: 1, step: 7, optimizerStep: 14, rng: [1, 2, 3, 4294967295], data: { position: 7, epoch: 0 }, metrics: { loss: 0.125 }, component: 'demo', savedAt: '1970-01-01T00:00:00.000Z' });
    expect(st.laraVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ model: { width: 8 }, train: { steps: 100 } });
    expect(readSafetensors(join(dir, 'model.safetensors')).tensors.idx!.dtype).toBe('I32');

    const ck = loadCheckpoint(dir);
    expect(Object.keys(ck.weights).sort()).toEqual(['enc/b', 'enc/w', 'idx']);
    expect(await ck.weights['enc/w']!.array()).toEqual([[1, 2], [3, 7]]);
    expect(ck.weights.idx!.dtype).toBe('int32');
    expect(ck.optimizer.step).toBe(14);
    expect(await ck.optimizer.tensors['enc/w/m']!.array()).toEqual([[0.25, 0.25], [0.25, 0.25]]);
  });

  it('keeps the newest K and sweeps leftover .tmp directories', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    for (const s of [10, 20, 30]) await saveCheckpoint(root, input(s), { keep: 2 });
    mkdirSync(join(root, 'ckpt-00000040.tmp'));
    await saveCheckpoint(root, input(40), { keep: 2 });
    expect(readdirSync(root).sort()).toEqual(['ckpt-00000030', 'ckpt-00000040', 'latest']);
  });

  it('ignores a partial .tmp directory and uses the previous good checkpoint', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    await saveCheckpoint(root, input(10));
    // a process killed mid-save leaves ckpt-20.tmp with some files
    const tmp = join(root, `${checkpointName(20)}.tmp`);
    mkdirSync(tmp);
    writeFileSync(join(tmp, 'model.safetensors'), new Uint8Array([1, 2, 3]));
    expect(listCheckpoints(root).map((c) => c.step)).toEqual([10]);
    const ck = loadLatestCheckpoint(root);
    expect(ck?.state.step).toBe(10);
  });

  it('falls back past a corrupt newest checkpoint, reporting why', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    await saveCheckpoint(root, input(10));
    const d20 = await saveCheckpoint(root, input(20));
    const f = join(d20, 'model.safetensors');
    const b = readFileSync(f);
    writeFileSync(f, b.subarray(0, b.length - 5)); // truncated
    const warnings: string[] = [];
    const ck = loadLatestCheckpoint(root, (m) => warnings.push(m));
    expect(ck?.state.step).toBe(10);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/skipping unusable checkpoint .*ckpt-00000020: .*model\.safetensors: truncated safetensors file/);
  });

  it('checks state.json and says what is wrong', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    const d = await saveCheckpoint(root, input(3));
    const file = join(d, 'state.json');
    const st = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...st, rng: [1, 2] }));
    expect(() => readCheckpointState(d)).toThrow(/state\.json: rng: bad checkpoint state; expected 4 uint32 words, got an array of length 2/);
    writeFileSync(file, JSON.stringify({ ...st, formatVersion: 99 }));
    expect(() => readCheckpointState(d)).toThrow(/checkpoint written by a newer lara; expected formatVersion <= 1, got 99/);
    writeFileSync(file, '{"format": "lara-check');
    expect(() => readCheckpointState(d)).toThrow(/state\.json: corrupt checkpoint file: .*; expected JSON/);
  });

  it('a dangling latest pointer falls back to scanning; no checkpoints gives undefined', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    expect(loadLatestCheckpoint(root)).toBeUndefined();
    await saveCheckpoint(root, input(5));
    writeFileSync(join(root, 'latest'), 'ckpt-00000099\n');
    expect(loadLatestCheckpoint(root)?.state.step).toBe(5);
    expect(existsSync(join(root, 'ckpt-00000005'))).toBe(true);
  });

  it('re-saving an existing step replaces it, and newer abandoned checkpoints are removed', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lara-ck-')), 'ckpt');
    for (const s of [10, 20]) await saveCheckpoint(root, input(s));
    await saveCheckpoint(root, { ...input(10), metrics: { loss: 42 } });
    expect(listCheckpoints(root).map((c) => c.step)).toEqual([10]);
    expect(readCheckpointState(join(root, 'ckpt-00000010')).metrics.loss).toBe(42);
  });
});
