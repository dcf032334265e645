/**
 * Linear layer y = x·W + b over the last axis. Inputs of any rank [..., in] are folded to 2-D
 * [rows, in] so the product and its gradients stay on the fast 2-D path (matmul.ts).
 */
import { tf, type Tensor, type Tensor2D, type Variable } from '../backend/tf.ts';
import { init, type Init } from './init.ts';
import { dense2d } from './matmul.ts';
import type { Scope } from './params.ts';

export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default normal, std 0.02). */
  init?: Init;
}

export class Linear {
  readonly w: Variable; // [in, out]
  readonly b: Variable | undefined; // [out]

  /** Parameters `<scope>.w` [in, out] and `<scope>.b` [out]. */
  constructor(
    scope: Scope,
    readonly inDim: number,
    readonly outDim: number,
    opts: LinearOptions = {},
  ) {
    this.w = scope.param('w', [inDim, outDim], opts.init ?? init.normal(0.02));
    this.b = opts.bias === false ? undefined : scope.param('b', [outDim], init.zeros());
  }

  /**
   * x [..., in] → [..., out]. `inputGrad: false` skips the gradient with respect to x (use it when
   * x is data, not a function of parameters).
   */
  apply<T extends Tensor>(x: T, opts: { inputGrad?: boolean } = {}): T {
    const lead = x.shape.slice(0, -1);
    const rows = lead.reduce((a, b) => a * b, 1);
    const x2 = (x.rank === 2 ? x : tf.reshape(x, [rows, this.inDim])) as Tensor2D; // [rows, in]
    const y = dense2d(x2, this.w as Tensor2D, this.b, opts); // [rows, out]
    return (x.rank === 2 ? y : tf.reshape(y, [...lead, this.outDim])) as T;
  }
}
