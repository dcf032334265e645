import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.ts';
import { tf } from '../../src/backend/tf.ts';
import { applyWasmTweaks } from '../../src/backend/wasm-tweaks.ts';
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
    expect(applyWasmTweaks()).toEqual(['Identity', 'Slice', 'SplitV']);
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
});
