import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/backend/tf.ts';
import { patchify as tfPatchify } from '../../src/nn/patch.ts';
import { resolveConfig } from '../../src/config/schema.ts';
import { PolicySchema } from '../../src/policy/config.ts';
import { patchify, buildBatch, type PolicyInputSpec } from '../../src/policy/inputs.ts';
import { instructionVector, hashWord } from '../../src/policy/instruction.ts';
import { latentExamples, actionExamples } from '../../src/policy/examples.ts';
import { trainPolicy } from '../../src/policy/train.ts';
import { Policy } from '../../src/policy/policy.ts';
import { loadPolicyNet } from '../../src/policy/io.ts';
import { LatentAgentCode } from '../../src/agent/latent.ts';
import { computeStats } from '../../src/mapping/stats.ts';
import { Rng } from '../../src/util/rng.ts';
import { dotFrame, dotMemory } from './synthetic.ts';
import { useWasm } from './helpers.ts';

beforeAll(useWasm);

const spec: PolicyInputSpec = { width: 16, height: 16, frames: 2, patch: 4, vocab: 8, stateDim: 1, stateMean: [0.5], stateStd: [0.25] };
const tiny = (head: 'latent' | 'regress', steps = 120) =>
  resolveConfig(PolicySchema, [{ head, encoder: { frames: 2, patch: 4, width: 16, layers: 1, heads: 2, vocab: 8, hidden: 32, stateDims: 0 }, train: { steps, batch: 16, lr: 3e-3, warmup: 10, checkpointEvery: 1000, augment: 0 } }]);

describe('policy inputs', () => {
  it('patchify in JS matches nn/patch.ts layout, and shifts edge-pad', () => {
    const img = Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => i % 251);
    const ours = new Float32Array(16 * 48);
    patchify(img, spec, ours, 0);
    const ref = tf.tidy(() => tfPatchify(tf.tensor(Float32Array.from(img, (v) => v / 255), [16, 16, 3]), 4).dataSync() as Float32Array);
    expect(Array.from(ours)).toEqual(Array.from(ref).map((v) => Math.fround(v)));
    const shifted = new Float32Array(16 * 48);
    patchify(img, spec, shifted, 0, 1, 0); // content moves right by one pixel: column 0 repeats
    expect(shifted[0]).toBeCloseTo(img[0]! / 255, 6);
    expect(shifted[3]).toBeCloseTo(img[0]! / 255, 6);
    expect(shifted[6]).toBeCloseTo(img[3]! / 255, 6);
  });
  it('instruction bag of words is order-free and case-free', () => {
    expect(Array.from(instructionVector('Push the RED block', 32))).toEqual(Array.from(instructionVector('block red push the', 32)));
    expect(instructionVector('', 8).every((v) => v === 0)).toBe(true);
    expect(hashWord('red', 1000)).not.toBe(hashWord('green', 1000));
  });
  it('builds batches with normalised state and checks frame counts', () => {
    const b = buildBatch([{ frames: [dotFrame(1), dotFrame(2)], instruction: 'go', state: Float32Array.of(1) }], spec);
    expect(b.state[0]).toBeCloseTo(2, 6);
    expect(b.patches.length).toBe(2 * 16 * 48);
    expect(() => buildBatch([{ frames: [dotFrame(1)], instruction: '' }], spec)).toThrow(/wrong number of frames; expected 2, got 1/);
  });
});

describe('training', () => {
  const mem = dotMemory(24);
  it('a latent policy learns the codes from images (cross-entropy) and round-trips through its folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lara-pol-'));
    const ex = latentExamples(mem);
    const r = await trainPolicy({ mem, cfg: tiny('latent', 150), examples: ex, outDim: 2, robot: 'test-arm', stateMean: [], stateStd: [], out, progress: false });
    const first = r.result.history.slice(0, 10).reduce((a, h) => a + h.loss, 0) / 10;
    const last = r.result.history.slice(-10).reduce((a, h) => a + h.loss, 0) / 10;
    expect(last).toBeLessThan(first * 0.5);
    const p = Policy.load(r.dir);
    let right = 0;
    for (const e of ex) {
      const logits = p.outputs([{ frames: mem.history(e.i, e.t, 2), instruction: mem.episodes[e.i]!.instruction }])[0]!;
      if (LatentAgentCode.pick(logits, 0, Rng.seeded(0)) === e.target) right++;
    }
    expect(right / ex.length).toBeGreaterThan(0.9);
    expect(p.meta.codes).toBe(2);
    p.dispose();
  }, 60_000);
  it('a BC policy regresses native actions and de-normalises them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lara-bc-'));
    const stats = computeStats(mem.episodes.flatMap((e) => e.actions!));
    const ex = actionExamples(mem, stats);
    const r = await trainPolicy({ mem, cfg: tiny('regress', 150), examples: ex, outDim: 2, robot: 'test-arm', stateMean: [], stateStd: [], actionStats: stats, out, progress: false });
    const p = Policy.load(r.dir);
    p.reset('move the dot to the middle');
    const a = p.toAction(p.observe({ image: dotFrame(1), state: new Float32Array(0) }));
    const b = p.toAction(p.observe({ image: dotFrame(13), state: new Float32Array(0) }));
    expect(a[0]).toBeGreaterThan(0.3);
    expect(b[0]).toBeLessThan(-0.3);
    p.dispose();
  }, 60_000);
  it('BC can start from a latent policy: encoder and hidden layer copied, output layer fresh; a different encoder is refused', async () => {
    const lat = await trainPolicy({ mem, cfg: tiny('latent', 40), examples: latentExamples(mem), outDim: 2, robot: 'test-arm', stateMean: [], stateStd: [], out: mkdtempSync(join(tmpdir(), 'lara-lat-')), progress: false });
    const stats = computeStats(mem.episodes.flatMap((e) => e.actions!));
    const frozen = resolveConfig(PolicySchema, [{ head: 'regress', encoder: tiny('regress').encoder, train: { ...tiny('regress').train, steps: 1, lr: 0, weightDecay: 0 } }]);
    const bc = await trainPolicy({ mem, cfg: frozen, examples: actionExamples(mem, stats), outDim: 2, robot: 'test-arm', stateMean: [], stateStd: [], actionStats: stats, out: mkdtempSync(join(tmpdir(), 'lara-ft-')), progress: false, init: lat.dir });
    const a = loadPolicyNet(lat.dir).net.store.snapshot(), b = loadPolicyNet(bc.dir).net.store.snapshot();
    const names = Object.keys(a);
    expect(names.some((n) => n.startsWith('encoder.'))).toBe(true);
    for (const n of names) {
      const same = Array.from(a[n]!.dataSync()).every((v, i) => v === b[n]!.dataSync()[i]);
      expect([n, same]).toEqual([n, !n.startsWith('head.fc2.')]);
    }
    const wider = resolveConfig(PolicySchema, [{ head: 'regress', encoder: { ...tiny('regress').encoder, width: 24 }, train: frozen.train }]);
    await expect(trainPolicy({ mem, cfg: wider, examples: actionExamples(mem, stats), outDim: 2, robot: 'test-arm', stateMean: [], stateStd: [], actionStats: stats, out: mkdtempSync(join(tmpdir(), 'lara-ft-')), progress: false, init: lat.dir }))
      .rejects.toThrow(/cannot start from policy .*: its encoder.width differs/);
  }, 60_000);
  it('refuses action examples from episodes without actions', () => {
    const m = dotMemory(1);
    delete m.episodes[0]!.actions;
    expect(() => actionExamples(m, computeStats([Float32Array.of(0, 0)]))).toThrow(/no native actions/);
  });
});
