/**
 * The transformer feed-forward layer: fc1 [D, rD] → GELU → fc2 [rD, D], applied to every row
 * on its own. The ST block uses it after its attentions; TokenMlpStack uses it alone.
 * Dimension legend: M rows, D width, r the hidden multiple.
 */
import type { Tensor } from '../backend/tf.ts';
import { gelu } from './activations.ts';
import { init } from './init.ts';
import { Linear } from './linear.ts';
import type { Scope } from './params.ts';

export class FeedForward {
  readonly fc1: Linear;
  readonly fc2: Linear;

  /** Parameters `<scope>.fc1` [D, hidden] and `<scope>.fc2` [hidden, D], normal(initStd) weights. */
  constructor(scope: Scope, dim: number, hidden: number, initStd = 0.02) {
    this.fc1 = new Linear(scope.child('fc1'), dim, hidden, { init: init.normal(initStd) });
    this.fc2 = new Linear(scope.child('fc2'), hidden, dim, { init: init.normal(initStd) });
  }

  /** x [M, D] → [M, D]. */
  apply(x: Tensor): Tensor {
    return this.fc2.apply(gelu(this.fc1.apply(x))); // [M, D]
  }
}
