/**
 * Token embedding. Forward is a row lookup; the table's gradient is a scatter-add of the output
 * gradient rows — never tf.gather's own gradient (UnsortedSegmentSum, missing or O(V·N·D) on the
 * CPU backends, PERF.md). On wasm/cpu the scatter-add runs in JS on the read-back gradient
 * (N·D adds); on other backends it is the product one-hot(ids)ᵀ · dy.
 */
import { tf, type Tensor, type Tensor2D, type Variable } from '../backend/tf.ts';
import { init, type Init } from './init.ts';
import { oneHotF32 } from './onehot.ts';
import type { Scope } from './params.ts';

type Save = (ts: Tensor[]) => void;

function scatterAddRows(ids: Tensor, dy: Tensor2D, vocab: number): Tensor2D {
  const [n, d] = dy.shape;
  if (tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu') {
    const idv = ids.dataSync();
    const g = dy.dataSync() as Float32Array;
    const out = new Float32Array(vocab * d);
    for (let i = 0; i < n; i++) {
      const row = idv[i]! * d;
      const src = i * d;
      for (let j = 0; j < d; j++) out[row + j]! += g[src + j]!;
    }
    return tf.tensor2d(out, [vocab, d]);
  }
  const oh = oneHotF32(ids, vocab) as Tensor2D; // [N, V]
  // (dyᵀ·oh)ᵀ keeps both transposes small ([N, D] and [D, V]) and the product plain 2-D.
  return tf.transpose(tf.matMul(tf.transpose(dy), oh)); // [V, D]
}

/**
 * Rows of `table` [V, D] at integer `ids` (any shape [...]) → [..., D]. Gradient flows to the
 * table only.
 */
export function embedLookup(table: Tensor2D, ids: Tensor): Tensor {
  const flat = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]) as tf.Tensor1D; // [N]
  const vocab = table.shape[0];
  const f = tf.customGrad(((tbl: Tensor2D, save: Save) => {
    save([flat]); // saved, so the tape keeps the ids alive until the backward pass
    return {
      value: tf.gather(tbl, flat), // [N, D]
      gradFunc: (dy: Tensor2D, [ids]: Tensor[]) => [scatterAddRows(ids!, dy, vocab)],
    };
  }) as never) as (t: Tensor2D) => Tensor2D;
  const rows = f(table); // [N, D]
  return tf.reshape(rows, [...ids.shape, table.shape[1]]);
}

export class Embedding {
  readonly table: Variable; // [V, D]

  /** Parameter `<scope>.table` [vocab, dim]. */
  constructor(
    scope: Scope,
    readonly vocab: number,
    readonly dim: number,
    initFn: Init = init.normal(0.02),
  ) {
    this.table = scope.param('table', [vocab, dim], initFn);
  }

  /** ids int32 [...] → [..., D]. */
  apply(ids: Tensor): Tensor {
    return embedLookup(this.table as Tensor2D, ids);
  }
}
