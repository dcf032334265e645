/**
 * The native accelerator against the stock wasm kernels it replaces: each kernel, over random
 * shapes (transposes, batch broadcast, reductions over any axes), must agree with the stock
 * kernel to 1e-4 relative to the output's largest magnitude; gradients through tf.matMul must
 * too. Without a built addon these comparisons are skipped (with the reason) and the fallback
 * test still runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../src/backend/tf.ts';
import { loadNative, nativeStatus, tryLoadNative, unloadNative } from '../../src/backend/native.ts';
import { addonPath, repoRoot } from '../../src/backend/native-addon.ts';
import { Rng } from '../../src/util/rng.ts';

const built = existsSync(addonPath);
if (!built) console.warn(`native kernel comparisons skipped: ${addonPath} is not built (npm run build:native; needs libopenblas-dev and a C++ compiler)`);

/** run: what both passes compute; ref (when given) replaces it in the stock pass. */
type Case = { name: string; run: () => tf.Tensor | tf.Tensor[]; ref?: () => tf.Tensor | tf.Tensor[] };

/** Runs every case with the stock kernels, then with the native ones; returns [stock, native] data. */
async function stockVsNative(cases: Case[]): Promise<Array<{ name: string; stock: Float32Array[]; native: Float32Array[] }>> {
  const collect = (c: Case, stockPass = false): Float32Array[] => {
    const out = tf.tidy(stockPass && c.ref ? c.ref : c.run);
    const list = Array.isArray(out) ? out : [out];
    const data = list.map((t) => t.dataSync() as Float32Array);
    tf.dispose(list);
    return data;
  };
  unloadNative();
  const stock = cases.map((c) => collect(c, true));
  const st = await loadNative();
  expect(st.active).toBe(true);
  const native = cases.map((c) => collect(c));
  return cases.map((c, i) => ({ name: c.name, stock: stock[i]!, native: native[i]! }));
}

/** max |native − stock| / max(max |stock|, tiny), over every output. */
function relErr(stock: Float32Array[], native: Float32Array[]): number {
  let worst = 0;
  stock.forEach((s, k) => {
    const n = native[k]!;
    expect(n.length).toBe(s.length);
    let scale = 1e-6;
    let diff = 0;
    for (let i = 0; i < s.length; i++) {
      scale = Math.max(scale, Math.abs(s[i]!));
      diff = Math.max(diff, Math.abs(n[i]! - s[i]!));
      if (Number.isNaN(n[i]!) !== Number.isNaN(s[i]!)) diff = Infinity;
    }
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

function randn(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal() * scale;
  return tf.tensor(v, shape);
}

describe('native accelerator fallback', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('reports active:false with a reason under LARA_NATIVE=off, and the stock kernels stay', async () => {
    unloadNative();
    const stockKernel = tf.getKernel('BatchMatMul', 'wasm');
    process.env.LARA_NATIVE = 'off';
    try {
      const r = await loadNative();
      expect(r.active).toBe(false);
      expect(r.reason).toMatch(/LARA_NATIVE=off/);
      expect(r.kernels).toEqual([]);
      expect(nativeStatus().active).toBe(false);
      const t = await tryLoadNative();
      expect(t.ok).toBe(false);
      expect(t.detail).toMatch(/LARA_NATIVE=off/);
      // still the stock kernel, and matMul still works
      expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(stockKernel);
      const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
      expect(Array.from(y.dataSync())).toEqual([11]);
    } finally {
      delete process.env.LARA_NATIVE;
    }
  });

  it('refuses a backend other than wasm with a reason', async () => {
    unloadNative();
    await tf.setBackend('cpu');
    try {
      const r = await loadNative();
      expect(r.active).toBe(false);
      expect(r.reason).toMatch(/not wasm/);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});

describe.skipIf(!built)('native kernels match the stock wasm kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  afterAll(() => unloadNative());

  it('registers its kernels, reporting threads and the OpenBLAS core', async () => {
    const r = await loadNative();
    expect(r.active).toBe(true);
    expect(r.kernels).toEqual(expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'Sum', 'Exp', 'Tanh', 'Softmax']));
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(r.reason).toMatch(/OpenBLAS \w+/);
    expect(nativeStatus().coretype).not.toBe('');
  });

  it('chooses OpenBLAS threads and core type at load, whatever the environment says', () => {
    // Each load needs a fresh process: OpenBLAS reads its environment once, when dlopen'ed.
    const child = (env: Record<string, string>): { reason: string; coretype: string; threads: number; env?: string } => {
      const code = `import '@tensorflow/tfjs-backend-wasm';
        const { tf } = await import('./src/backend/tf.ts');
        const { loadNative, nativeStatus } = await import('./src/backend/native.ts');
        await tf.setBackend('wasm'); await loadNative();
        console.log(JSON.stringify({ ...nativeStatus(), env: process.env.OPENBLAS_CORETYPE }));`;
      const r = spawnSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', code],
        { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    };
    // an explicit choice reaches OpenBLAS (its own report names the core and thread count)
    const forced = child({ OPENBLAS_CORETYPE: 'Haswell', LARA_OPENBLAS_CORETYPE: 'Haswell', LARA_THREADS: '1' });
    expect(forced.reason).toBe('OpenBLAS Haswell, 1 thread');
    // an inherited OPENBLAS_CORETYPE is set aside for the load, and put back after it
    const inherited = child({ OPENBLAS_CORETYPE: 'Haswell', LARA_THREADS: '2' });
    expect(inherited.coretype).toMatch(/ignored inherited OPENBLAS_CORETYPE=Haswell/);
    expect(inherited.threads).toBe(2);
    expect(inherited.env).toBe('Haswell');
    const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
    if (['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => cpuinfo.includes(f))) {
      expect(inherited.reason).toMatch(/OpenBLAS (SkylakeX|Cooperlake), 2 threads/);
    }
  });

  it('BatchMatMul: random shapes, all transposes, batch broadcast', async () => {
    const rng = Rng.seeded(7);
    const cases: Case[] = [];
    const batches: Array<[number[], number[]]> = [[[], []], [[3], [3]], [[2, 3], [2, 3]], [[1], [4]], [[4], []],
      [[2, 3], []], [[], [2, 2]], [[2, 1], [1, 3]], [[3, 1, 2], [4, 1]]];
    for (const [ba, bb] of batches) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          // small (direct loop) and large (OpenBLAS) sizes
          for (const big of [false, true]) {
            const lim = big ? 90 : 20;
            const M = 1 + rng.int(lim), N = 1 + rng.int(lim), K = 1 + rng.int(lim);
            const a = randn(rng, [...ba, ...(tA ? [K, M] : [M, K])]);
            const b = randn(rng, [...bb, ...(tB ? [N, K] : [K, N])]);
            // The stock kernel sizes the output batch as max(batchA, batchB), wrong when both
            // sides broadcast ([2,1] against [1,3]); its reference then gets explicit copies.
            const outer = tf.broadcast_util.assertAndGetBroadcastShape(ba, bb);
            const both = ba.some((d, i) => d !== outer[i + outer.length - ba.length]) &&
              bb.some((d, i) => d !== outer[i + outer.length - bb.length]);
            const full = (t: tf.Tensor, batch: number[]): tf.Tensor =>
              tf.broadcastTo(t, [...outer, ...t.shape.slice(batch.length)]);
            cases.push({
              name: `${a.shape}x${b.shape} tA=${tA} tB=${tB}`,
              run: () => tf.matMul(a, b, tA, tB),
              ...(both ? { ref: () => tf.matMul(full(a, ba), full(b, bb), tA, tB) } : {}),
            });
          }
        }
      }
    }
    // long thin products on either side of the direct-loop limit (K up to 1024 there)
    for (const K of [1000, 2000]) {
      const a = randn(rng, [K, 2]);
      const b = randn(rng, [3, K]);
      cases.push({ name: `thin K=${K}`, run: () => tf.matMul(a, b, true, true) });
    }
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBeLessThan(1e-4);
    }
  });

  it('_FusedMatMul: bias and activations, against unfused stock ops', async () => {
    const rng = Rng.seeded(11);
    const cases: Case[] = [];
    const acts = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const;
    for (const activation of acts) {
      for (const tB of [false, true]) {
        const M = 1 + rng.int(60), N = 1 + rng.int(60), K = 1 + rng.int(60);
        const a = randn(rng, [M, K]);
        const b = randn(rng, tB ? [N, K] : [K, N]);
        const bias = rng.int(3) === 0 ? randn(rng, [1]) : randn(rng, [N]); // stock takes rank-1 only
        const alpha = activation === 'prelu' ? randn(rng, [N]) : undefined;
        // Reference: unfused stock ops. (The stock fused kernel itself gets transposeB with a
        // bias wrong in tfjs-backend-wasm 4.22: it is not a usable reference.)
        const act = (y: tf.Tensor): tf.Tensor => {
          switch (activation) {
            case 'relu': return tf.relu(y);
            case 'relu6': return tf.relu6(y);
            case 'leakyrelu': return tf.leakyRelu(y, 0.1);
            case 'sigmoid': return tf.sigmoid(y);
            case 'elu': return tf.elu(y);
            case 'prelu': return tf.prelu(y, alpha!);
            default: return y;
          }
        };
        cases.push({
          name: `${activation} ${a.shape}x${b.shape} tB=${tB} bias ${bias.shape}`,
          run: () => tf.fused.matMul({ a, b, transposeB: tB, bias, activation, preluActivationWeights: alpha, leakyreluAlpha: 0.1 }),
          ref: () => act(tf.add(tf.matMul(a, b, false, tB), bias)),
        });
      }
    }
    const a3 = randn(rng, [2, 5, 7]);
    const b3 = randn(rng, [7, 6]);
    cases.push({ name: 'batched, no bias', run: () => tf.fused.matMul({ a: a3, b: b3, activation: 'relu' }), ref: () => tf.relu(tf.matMul(a3, b3)) });
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBeLessThan(1e-4);
    }
  });

  it('Sum, Mean and Max over any axes, with and without keepDims', async () => {
    const rng = Rng.seeded(3);
    const cases: Case[] = [];
    for (let i = 0; i < 24; i++) {
      const rank = 1 + rng.int(4);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(9));
      const axes = Array.from({ length: rank }, (_, k) => k).filter(() => rng.int(2) === 0);
      const axis = axes.length === 0 ? undefined : axes;
      const keep = rng.int(2) === 0;
      const x = randn(rng, shape);
      cases.push({ name: `sum ${shape} axes ${axes} keep ${keep}`, run: () => tf.sum(x, axis, keep) });
      cases.push({ name: `mean ${shape} axes ${axes} keep ${keep}`, run: () => tf.mean(x, axis, keep) });
      cases.push({ name: `max ${shape} axes ${axes} keep ${keep}`, run: () => tf.max(x, axis, keep) });
    }
    // int32 is not claimed: the native kernel hands it to the stock one
    const ints = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    cases.push({ name: 'sum int32 (stock fallback)', run: () => tf.sum(ints, 0).toFloat() });
    const big = randn(rng, [64, 33, 17]);
    cases.push({ name: 'sum big axis 0', run: () => tf.sum(big, 0) });
    cases.push({ name: 'sum big axis -1', run: () => tf.sum(big, -1) });
    cases.push({ name: 'sum big axes [0,2]', run: () => tf.sum(big, [0, 2]) });
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBeLessThan(1e-4);
    }
  });

  it('unary kernels and Softmax', async () => {
    const rng = Rng.seeded(5);
    const cases: Case[] = [];
    for (const shape of [[1], [7], [33, 17], [4, 5, 129]]) {
      const x = randn(rng, shape, 4);
      const pos = tf.abs(x);
      cases.push({ name: `exp ${shape}`, run: () => tf.exp(x) });
      cases.push({ name: `tanh ${shape}`, run: () => tf.tanh(x) });
      cases.push({ name: `sigmoid ${shape}`, run: () => tf.sigmoid(x) });
      cases.push({ name: `log ${shape}`, run: () => tf.log(pos) });
      cases.push({ name: `sqrt ${shape}`, run: () => tf.sqrt(pos) });
      cases.push({ name: `rsqrt ${shape}`, run: () => tf.rsqrt(tf.add(pos, 0.1)) });
      cases.push({ name: `square ${shape}`, run: () => tf.square(x) });
      cases.push({ name: `neg ${shape}`, run: () => tf.neg(x) });
      cases.push({ name: `relu ${shape}`, run: () => tf.relu(x) });
      cases.push({ name: `softmax ${shape}`, run: () => tf.softmax(x) });
    }
    const masked = tf.tensor2d([[0, -Infinity, 1], [-Infinity, -Infinity, 2]]);
    cases.push({ name: 'softmax masked', run: () => tf.softmax(masked) });
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBeLessThan(1e-4);
    }
  });

  it('binary kernels with broadcasting', async () => {
    const rng = Rng.seeded(21);
    const cases: Case[] = [];
    const pairs: Array<[number[], number[]]> = [[[5], [5]], [[4, 6], []], [[], [4, 6]], [[4, 6], [6]], [[4, 6], [4, 1]],
      [[1, 6], [4, 1]], [[2, 3, 4, 5], [3, 1, 5]], [[2, 1, 4], [2, 3, 1]], [[1024, 128], [1024, 1]], [[7, 1, 1], [1, 1, 9]]];
    for (const [sa, sb] of pairs) {
      const a = randn(rng, sa);
      const b = tf.add(tf.abs(randn(rng, sb)), 0.5); // keep divisors away from 0
      cases.push({ name: `add ${sa}+${sb}`, run: () => tf.add(a, b) });
      cases.push({ name: `sub ${sa}-${sb}`, run: () => tf.sub(a, b) });
      cases.push({ name: `mul ${sa}*${sb}`, run: () => tf.mul(a, b) });
      cases.push({ name: `div ${sa}/${sb}`, run: () => tf.div(a, b) });
      cases.push({ name: `max ${sa},${sb}`, run: () => tf.maximum(a, b) });
      cases.push({ name: `sqdiff ${sa},${sb}`, run: () => tf.squaredDifference(a, b) });
    }
    const ints = tf.tensor1d([1, 2, 3], 'int32');
    cases.push({ name: 'int32 add (stock fallback)', run: () => tf.add(ints, ints).toFloat() });
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBeLessThan(1e-4);
    }
  });

  it('Transpose (float32 and int32, any permutation) and Identity', async () => {
    const rng = Rng.seeded(13);
    const cases: Case[] = [];
    for (let i = 0; i < 30; i++) {
      const rank = 1 + rng.int(5);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(i < 25 ? 7 : 40));
      const perm = rng.shuffle(Array.from({ length: rank }, (_, k) => k));
      const x = randn(rng, shape);
      cases.push({ name: `transpose ${shape} perm ${perm}`, run: () => tf.transpose(x, perm) });
    }
    const ints = tf.tensor3d(Array.from({ length: 2 * 3 * 4 }, (_, k) => k * 1000003), [2, 3, 4], 'int32');
    cases.push({ name: 'transpose int32', run: () => tf.transpose(ints, [2, 0, 1]).toFloat() });
    const attn = randn(rng, [8, 16, 4, 32]); // [B·T, S, H, dh] → [B·T, H, S, dh]
    cases.push({ name: 'attention heads', run: () => tf.transpose(attn, [0, 2, 1, 3]) });
    const wide = randn(rng, [300, 129]);
    cases.push({ name: '2-D 300x129', run: () => tf.transpose(wide) });
    cases.push({ name: 'identity', run: () => tf.clone(wide) });
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBe(0);
    }
  });

  it('Slice, SplitV and GatherV2 (float32 and int32)', async () => {
    const rng = Rng.seeded(17);
    const cases: Case[] = [];
    for (let i = 0; i < 20; i++) {
      const rank = 1 + rng.int(4);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(8));
      const begin = shape.map((d) => rng.int(d));
      const sz = shape.map((d, k) => (rng.int(4) === 0 ? -1 : 1 + rng.int(d - begin[k]!)));
      const x = randn(rng, shape);
      cases.push({ name: `slice ${shape} ${begin} ${sz}`, run: () => tf.slice(x, begin, sz) });
      const axis = rng.int(rank);
      cases.push({ name: `split ${shape} axis ${axis}`, run: () => tf.split(x, [1, shape[axis]! - 1], axis) });
      const idx = tf.tensor1d(Array.from({ length: 1 + rng.int(6) }, () => rng.int(shape[axis]!)), 'int32');
      cases.push({ name: `gather ${shape} axis ${axis}`, run: () => tf.gather(x, idx, axis) });
    }
    const qkv = randn(rng, [64, 3, 256]);
    cases.push({ name: 'qkv split', run: () => tf.split(qkv, 3, 1) });
    const table = randn(rng, [50, 16]);
    const ids = tf.tensor2d([[3, 0, 49], [7, 7, 1]], [2, 3], 'int32');
    cases.push({ name: 'embedding rows', run: () => tf.gather(table, ids) });
    const ints = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    cases.push({ name: 'int32 slice+gather', run: () => [tf.slice(ints, [0, 1], [2, 2]).toFloat(), tf.gather(ints, tf.tensor1d([1, 0], 'int32')).toFloat()] });
    for (const r of await stockVsNative(cases)) {
      expect(relErr(r.stock, r.native), r.name).toBe(0);
    }
    // an index out of range still gets the stock kernel's error
    expect(() => tf.gather(table, tf.tensor1d([50], 'int32'))).toThrow(/not in \[0, 49\]/);
  });

  it('gradients through tf.matMul, softmax and tanh agree', async () => {
    const rng = Rng.seeded(9);
    const a = randn(rng, [2, 24, 40]);
    const b = randn(rng, [2, 40, 36]); // tfjs's matMul gradient does not reduce a broadcast batch
    const w = randn(rng, [2, 24, 36]);
    const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.tanh(tf.softmax(tf.matMul(x, y))), w)) as tf.Scalar;
    const cases: Case[] = [
      { name: 'd/da, d/db', run: () => tf.grads(f)([a, b]) },
      { name: 'transposed', run: () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, true, true), w)))([a.transpose([0, 2, 1]), b.transpose([0, 2, 1])]) },
    ];
    const results = await stockVsNative(cases);
    for (const r of results) expect(relErr(r.stock, r.native), r.name).toBeLessThan(1e-4);
    // and the plain product's gradient is the textbook one: dL/da = w · bᵀ for L = Σ (a·b) ⊙ w
    const [ga] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, b), w)))([a]);
    const expected = tf.matMul(w, b, false, true);
    expect(relErr([expected.dataSync() as Float32Array], [ga!.dataSync() as Float32Array])).toBeLessThan(1e-4);
  });

  it('reads the heap afresh when an output makes the wasm memory grow', async () => {
    await loadNative();
    const backend = tf.backend() as unknown as { wasm: { HEAPF32: Float32Array } };
    const before = backend.wasm.HEAPF32.buffer.byteLength;
    const n = Math.ceil(Math.sqrt(before / 4)) + 64; // an n×n output larger than the whole heap
    const col = tf.tensor2d(Float32Array.from({ length: n }, (_, i) => i % 7), [n, 1]);
    const row = tf.tensor2d(Float32Array.from({ length: n }, (_, i) => (i % 5) - 2), [1, n]);
    const y = tf.matMul(col, row);
    expect(backend.wasm.HEAPF32.buffer.byteLength).toBeGreaterThan(before);
    const last = n - 1;
    const got = y.slice([last, last - 3], [1, 3]).dataSync();
    expect(Array.from(got)).toEqual([0, 1, 2].map((j) => (last % 7) * (((last - 3 + j) % 5) - 2)));
    tf.dispose([col, row, y]);
  });
});
