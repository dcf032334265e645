import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.ts';
import { tf } from '../../src/backend/tf.ts';
import { applyWasmTweaks, asBlockTranspose, setTiledTransposeMin } from '../../src/backend/wasm-tweaks.ts';
import { Rng } from '../../src/util/rng.ts';

beforeAll(async () => {
  await initBackend('wasm', { accelerator: false });
});

/** Plain JS reference slice of a row-major array. */
function refSlice(data: Float32Array, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const rec = (axis: number, off: number) => {
    if (axis === shape.length) return void out.push(data[off]!);
    for (let i = 0; i < size[axis]!; i++) rec(axis + 1, off + (begin[axis]! + i) * strides[axis]!);
  };
  rec(0, 0);
  return out;
}

describe('wasm kernel tweaks', () => {
  it('are registered by initBackend(wasm)', () => {
    expect(applyWasmTweaks()).toEqual(['Identity', 'Slice', 'SplitV', 'Transpose', 'GatherV2']);
  });

  it('Slice matches a reference for ranks 1–5, contiguous and strided', () => {
    const rng = Rng.seeded(1);
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + (trial % 5);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(5));
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, () => rng.normal());
      const begin = shape.map((d) => rng.int(d));
      const size = shape.map((d, i) => 1 + rng.int(d - begin[i]!));
      const x = tf.tensor(data, shape);
      const y = tf.slice(x, begin, size);
      expect(y.shape).toEqual(size);
      expect(Array.from(y.dataSync())).toEqual(refSlice(data, shape, begin, size).map(Math.fround));
      x.dispose();
      y.dispose();
    }
  });

  it('split along any axis, and int32 tensors', () => {
    const x = tf.tensor(Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i), [2, 3, 4]);
    const [a, b] = tf.split(x, [1, 2], 1);
    expect(a!.arraySync()).toEqual([[[0, 1, 2, 3]], [[12, 13, 14, 15]]]);
    expect(b!.shape).toEqual([2, 2, 4]);
    expect(Array.from(b!.dataSync().slice(0, 4))).toEqual([4, 5, 6, 7]);
    const parts = tf.split(tf.range(0, 10, 1, 'int32'), [3, 3, 4]);
    expect(parts.map((p) => Array.from(p.dataSync()))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]);
    expect(parts[0]!.dtype).toBe('int32');
  });

  it('Identity shares the buffer safely: a clone outlives its source and variables stay independent', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const c = tf.clone(x);
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    const v = tf.variable(tf.tensor1d([4, 5]));
    const snap = v.clone();
    v.assign(tf.tensor1d([6, 7]));
    expect(Array.from(snap.dataSync())).toEqual([4, 5]);
    expect(Array.from(v.dataSync())).toEqual([6, 7]);
    const before = tf.memory().numBytes;
    const t = tf.ones([256]);
    const k = tf.clone(t);
    t.dispose();
    k.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('reduces permutations to [P, A, B, C] block transposes', () => {
    expect(asBlockTranspose([5, 7], [1, 0])).toEqual([1, 5, 7, 1]);
    expect(asBlockTranspose([8, 8, 16, 12, 32], [0, 2, 3, 1, 4])).toEqual([8, 8, 192, 32]); // attention head split
    expect(asBlockTranspose([64, 1, 16, 4, 32], [0, 3, 2, 1, 4])).toEqual([64, 16, 4, 32]); // size-1 axis dropped
    expect(asBlockTranspose([3, 4, 5], [0, 1, 2])).toEqual([1, 1, 60, 1]); // identity: a copy
    expect(asBlockTranspose([2, 3, 4], [2, 1, 0])).toBeUndefined(); // left to the stock kernel
  });

  it('Transpose matches a reference for random shapes and permutations of rank 1–6 (JS and stock paths)', () => {
    const rng = Rng.seeded(2);
    for (let trial = 0; trial < 120; trial++) {
      const old = setTiledTransposeMin(trial < 60 ? 0 : 1 << 30); // first half through the JS tiles
      const rank = 1 + (trial % 6);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(4));
      const perm = rng.shuffle(Array.from({ length: rank }, (_, i) => i));
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, (_, i) => i);
      const y = tf.transpose(tf.tensor(data, shape), perm);
      // reference: out index → input index
      const outShape = perm.map((a) => shape[a]!);
      const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
      const ref: number[] = [];
      const idx = new Array<number>(rank).fill(0);
      for (let o = 0; o < n; o++) {
        ref.push(perm.reduce((off, a, j) => off + idx[j]! * inStrides[a]!, 0));
        for (let j = rank - 1; j >= 0; j--) {
          if (++idx[j]! < outShape[j]!) break;
          idx[j] = 0;
        }
      }
      expect(y.shape).toEqual(outShape);
      expect(Array.from(y.dataSync()), `shape ${shape} perm ${perm}`).toEqual(ref);
      setTiledTransposeMin(old);
    }
    // big enough to cross tile borders and take the JS path by size, int32 and float32
    const big = tf.range(0, 700 * 450, 1, 'int32').reshape([700, 450]);
    const t = tf.transpose(big).arraySync() as number[][];
    expect(t[449]![699]).toBe(699 * 450 + 449);
    expect(t[3]![10]).toBe(10 * 450 + 3);
    const bf = tf.cast(big, 'float32');
    expect(Array.from(tf.transpose(bf).dataSync())).toEqual(Array.from(tf.transpose(big).dataSync()));
  });

  it('GatherV2 along axis 0 copies rows; other axes and bad indices behave as before', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    expect(tf.gather(x, tf.tensor1d([2, 0, 2], 'int32')).arraySync()).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(tf.gather(x, tf.tensor2d([[1], [0]], [2, 1], 'int32')).shape).toEqual([2, 1, 2]);
    expect(tf.gather(x, tf.tensor1d([1, 0], 'int32'), 1).arraySync()).toEqual([[2, 1], [4, 3], [6, 5]]);
    expect(Array.from(tf.gather(tf.tensor1d([7, 8, 9]), tf.tensor1d([2, 2], 'int32')).dataSync())).toEqual([9, 9]);
    expect(() => tf.gather(x, tf.tensor1d([3], 'int32'))).toThrow(/out of range/);
  });
});
