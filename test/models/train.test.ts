import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { presetLayers } from '../../src/config/presets.ts';
import { DynamicsTask } from '../../src/dynamics/train.ts';
import { LamTask } from '../../src/lam/train.ts';
import { TokenizerTask } from '../../src/tokenizer/train.ts';
import { WorldModelSchema } from '../../src/world/config.ts';
import { checkCompatible, loadDynamics, loadLam, loadTokenizer } from '../../src/world/load.ts';
import { runTraining } from '../../src/world/run.ts';
import { Dataset } from '../../src/data/Dataset.ts';
import { loadClips, splitEpisodes } from '../../src/world/clips.ts';
import { evaluateWorldModel } from '../../src/world/evaluate.ts';
import { formatWorldModelReport } from '../../src/world/report-format.ts';
import { WorldModelTask } from '../../src/world/train.ts';
import { maxDiff, randomFrames, setup, tinyDynamics, tinyLam, tinyTokenizer } from './helpers.ts';
import { writeSquaresDataset } from './synthetic.ts';
import { lara } from '../cli/helpers.ts';

let dir: string;
const quiet = () => {};

beforeAll(async () => {
  await setup();
  dir = mkdtempSync(join(tmpdir(), 'lara-models-'));
  await writeSquaresDataset(join(dir, 'data'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training verbs (tiny configs on a real dataset folder)', () => {
  it('tokenizer: trains, checkpoints, resumes, and reloads with identical outputs', async () => {
    const cfg = tinyTokenizer(['train.steps=6', 'train.checkpointEvery=3']);
    const run = join(dir, 'tok');
    const common = { component: 'tokenizer', config: cfg, height: 16, width: 16, frames: 4, dataDir: join(dir, 'data'), runDir: run, log: quiet };
    const task = new TokenizerTask(cfg);
    const r = await runTraining({ ...common, task });
    expect(r.step).toBe(6);
    const lines = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toHaveProperty('recon');
    expect(lines[0]).toHaveProperty('tokenizer.active');

    const x = randomFrames(1, 4, 16, 16, 7);
    const loaded = loadTokenizer(run);
    expect(maxDiff(task.model.encode(x).dataSync(), loaded.model.encode(x).dataSync())).toBe(0);
    expect(maxDiff(task.model.forward(x).recon.dataSync(), loaded.model.forward(x).recon.dataSync())).toBeLessThan(1e-6);

    const cfg2 = tinyTokenizer(['train.steps=8', 'train.checkpointEvery=3']);
    const r2 = await runTraining({ ...common, config: cfg2, task: new TokenizerTask(cfg2), resume: true });
    expect(r2.startStep).toBe(6);
    expect(r2.step).toBe(8);
  });

  it('lam, dynamics and world-model train on top of the tokenizer and reload', async () => {
    const data = join(dir, 'data');
    const tok = loadTokenizer(join(dir, 'tok'));
    const lcfg = tinyLam(['train.steps=4']);
    const lamTask = new LamTask(lcfg);
    await runTraining({ component: 'lam', task: lamTask, config: lcfg, height: 16, width: 16, frames: 4, dataDir: data, runDir: join(dir, 'lam'), log: quiet });
    const lam = loadLam(join(dir, 'lam'));
    const x = randomFrames(2, 4, 16, 16, 8);
    expect(Array.from(lam.model.encodeActions(x).dataSync())).toEqual(Array.from(lamTask.model.encodeActions(x).dataSync()));

    const dcfg = tinyDynamics(['train.steps=4', 'data.stride=2']); // stride 2: eval's default stride follows it
    checkCompatible(dcfg.model, tok.config, lam.config, 'model');
    const dTask = new DynamicsTask(dcfg, tok.model, lam.model);
    const r = await runTraining({ component: 'dynamics', task: dTask, config: dcfg, height: 16, width: 16, frames: 4, dataDir: data, runDir: join(dir, 'dyn'), log: quiet });
    expect(r.history[0]).toHaveProperty('acc');
    const dyn = loadDynamics(join(dir, 'dyn'));
    const ids = tok.model.encode(x);
    const acts = lam.model.actionVectors(lam.model.encodeActions(x));
    const mask = tf.zeros([2, 4, 16], 'bool');
    expect(maxDiff(dyn.model.logits(ids, mask, acts).dataSync(), dTask.model.logits(ids, mask, acts).dataSync())).toBeLessThan(1e-6);

    const wcfg = resolveConfig(WorldModelSchema, presetLayers('world-model', 'tiny'), ['train.steps=3']);
    const wTask = new WorldModelTask(wcfg, tok.model);
    const wr = await runTraining({ component: 'world-model', task: wTask, config: wcfg, height: 16, width: 16, frames: 4, dataDir: data, runDir: join(dir, 'world'), log: quiet });
    expect(wr.history[2]).toHaveProperty('lamRecon');
    // a world-model run provides both a LAM and a dynamics model
    expect(loadLam(join(dir, 'world')).config.codes).toBe(4);
    expect(loadDynamics(join(dir, 'world')).sampler.steps).toBe(4);
  });

  it('evaluates the world model on held-out clips, deterministically under a seed', async () => {
    const ds = Dataset.open(join(dir, 'data'));
    const split = splitEpisodes(ds, 0.34);
    const store = await loadClips(ds, { height: 16, width: 16, episodes: split.val });
    await ds.close();
    const tok = loadTokenizer(join(dir, 'tok'));
    const world = join(dir, 'world');
    const models = { tokenizer: tok.model, lam: loadLam(world).model, dynamics: loadDynamics(world).model, sampler: loadDynamics(world).sampler };
    const o = { store, stride: 1, fps: 0, clips: 3, batch: 2, seed: 5 };
    const r1 = evaluateWorldModel(models, o);
    const r2 = evaluateWorldModel(models, o);
    expect(r1).toEqual(r2);
    expect(r1.clips).toBe(3);
    expect(r1.generation.psnrInferred).toHaveLength(4);
    // frame 1 is the prompt: generated from the real tokens, identical under both action sets
    expect(r1.generation.psnrInferred[0]).toBeCloseTo(r1.generation.psnrRandom[0]!, 6);
    expect(r1.generation.psnrInferred[0]).toBeCloseTo(r1.tokenizer.psnr, 0);
    expect(r1.generation.deltaTPsnr).toBeCloseTo(r1.generation.psnrInferred[3]! - r1.generation.psnrRandom[3]!, 9);
    // the held-still baseline: at t = 1 it is the prompt's reconstruction itself; later frames differ from frame 1
    expect(r1.generation.psnrHeld).toHaveLength(4);
    expect(r1.generation.psnrHeld[0]).toBeCloseTo(r1.generation.psnrInferred[0]!, 6);
    expect(r1.generation.psnrHeld[3]).not.toBeCloseTo(r1.generation.psnrHeld[0]!, 3);
    expect(formatWorldModelReport(r1)).toContain('PSNR prompt held still');
    expect(r1.tokenizer.ssim).toBeGreaterThan(-1);
    expect(r1.tokenizer.ssim).toBeLessThanOrEqual(1);
    expect(r1.lam.codebook.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(r1.lam.effects).toHaveLength(4); // the synthetic data records (dx, dy)
    expect(r1.lam.effects![0]!.mean.length === 2 || r1.lam.effects![0]!.count === 0).toBe(true);
    expect(formatWorldModelReport(r1)).toContain('ΔtPSNR at t=4');
    // the interval is over per-clip paired differences, whose mean is the difference of the means
    const ci = r1.generation.deltaTPsnrCi95!;
    expect(r1.generation.samples).toBe(1);
    expect(ci.n).toBe(3);
    expect(ci.mean).toBeCloseTo(r1.generation.deltaTPsnr!, 9);
    expect(ci.lo).toBeLessThanOrEqual(ci.mean);
    expect(ci.hi).toBeGreaterThanOrEqual(ci.mean);
    // more rollouts per clip: same prompt frame, other generated frames
    const r3 = evaluateWorldModel(models, { ...o, samples: 2 });
    expect(r3.generation.samples).toBe(2);
    expect(() => evaluateWorldModel(models, { ...o, samples: 0 })).toThrow(/samples.*an integer >= 1.*0/s);
    expect(r3.generation.psnrInferred[0]).toBeCloseTo(r1.generation.psnrInferred[0]!, 9);
    expect(r3.generation.psnrInferred.slice(1)).not.toEqual(r1.generation.psnrInferred.slice(1));
    expect(r3.generation.deltaTPsnrCi95!.mean).toBeCloseTo(r3.generation.deltaTPsnr!, 9);
  });

  it('lara eval lam-ablation takes a world-model run or a LAM run plus its dynamics run for each arm', async () => {
    const data = join(dir, 'data');
    const common = ['eval', 'lam-ablation', '--data', data, '--tokenizer', join(dir, 'tok'), '--held-out', '0.34', '--clips', '2', '--batch', '2'];
    const r = await lara([...common, '--pixels', join(dir, 'lam'), '--pixels-dynamics', join(dir, 'dyn'), '--tokens', join(dir, 'world'), '--out', join(dir, 'ablation.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\| pixels \| -?\d/);
    expect(r.stdout).toMatch(/\| tokens \| -?\d/);
    // without --stride, clips are read at the stride each dynamics run was trained at
    expect(loadDynamics(join(dir, 'dyn')).stride).toBe(2);
    expect(loadDynamics(join(dir, 'world')).stride).toBe(1);
    expect(r.stderr).toContain("frame stride 2 (the dynamics run's)");
    expect(r.stderr).toContain("frame stride 1 (the dynamics run's)");
    const report = JSON.parse(readFileSync(join(dir, 'ablation.json'), 'utf8'));
    expect(report.pixels.lam.codebook.codes).toBe(tinyLam().model.codes);
    expect(report.tokens.generation.psnrInferred).toHaveLength(4);
    // a LAM run alone has no dynamics model in it
    const bad = await lara([...common, '--pixels', join(dir, 'lam'), '--tokens', join(dir, 'world')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(join(dir, 'lam'));
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const badP = await lara([...common, '--pixels', join(dir, 'world'), '--tokens', join(dir, 'world'), '--top-p', '1.5']);
    expect(badP.code).not.toBe(0);
    expect(badP.stderr).toMatch(/topP.*--top-p.*expected a number in \[0, 1\].*1\.5/s);
    expect(badP.stderr).not.toMatch(/\n\s+at /);
    const badS = await lara([...common, '--pixels', join(dir, 'world'), '--tokens', join(dir, 'world'), '--samples', '0']);
    expect(badS.code).not.toBe(0);
    expect(badS.stderr).toMatch(/--samples.*an integer >= 1.*0/s);
    const badStride = await lara([...common, '--pixels', join(dir, 'world'), '--tokens', join(dir, 'world'), '--stride', '0']);
    expect(badStride.code).not.toBe(0);
    expect(badStride.stderr).toMatch(/--stride.*an integer >= 1.*0/s);
    // guidance on a model trained without action dropout runs, with a warning
    const guided = await lara([...common, '--pixels', join(dir, 'world'), '--tokens', join(dir, 'world'), '--guidance', '1', '--samples', '2']);
    expect(guided.code, guided.stderr).toBe(0);
    expect(guided.stderr).toMatch(/warning: .*trained without model\.actionDropout/);
    expect(guided.stdout).toMatch(/\| pixels \| -?\d+\.\d+ \[-?\d/); // ΔtPSNR with its interval
  }, 60_000);

  it('rejects a dynamics config that does not fit the tokenizer', () => {
    const tok = loadTokenizer(join(dir, 'tok'));
    const d = tinyDynamics(['model.vocab=32']).model;
    expect(() => checkCompatible(d, tok.config, tinyLam().model, 'model')).toThrow(/model\.vocab.*expected 16/);
  });
});
