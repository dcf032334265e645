/**
 * Spatial soft-argmax keypoints (as in visuomotor policies, Levine et al. 2016): every position's
 * input vector (a pixel, or a patch) goes through a small shared MLP to K logits; a softmax over
 * the positions turns each of the K channels into an attention map, and its expected (x, y)
 * grid coordinate is the keypoint. Translation-equivariant by construction. Used by the policy's
 * keypoint encoder and the LAM's keypoint encoder.
 *
 * Parameters under the scope: `kp_fc1`, `kp_fc2` (Linear) and `kp_scale` [1], a learnable
 * sharpness that multiplies the logits (starts at 1).
 * Dimension legend: M images, N = gh·gw positions, P input values per position, H hidden, K keypoints.
 */
import { tf, type Tensor, type Variable } from '../backend/tf.ts';
import { gelu } from './activations.ts';
import { init } from './init.ts';
import { Linear } from './linear.ts';
import type { Scope } from './params.ts';

/** Position centres of a gh × gw grid in [-1, 1], raster order: [N·2] as (x, y). */
export function gridCoords(gh: number, gw: number): Float32Array {
  const out = new Float32Array(gw * gh * 2);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      out[(y * gw + x) * 2] = gw > 1 ? (2 * x) / (gw - 1) - 1 : 0;
      out[(y * gw + x) * 2 + 1] = gh > 1 ? (2 * y) / (gh - 1) - 1 : 0;
    }
  }
  return out;
}

export class SoftArgmax {
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly scale: Variable; // [1]
  readonly #coords: Float32Array;

  constructor(
    scope: Scope,
    readonly inDim: number,
    readonly hidden: number,
    readonly keypoints: number,
    readonly gh: number,
    readonly gw: number,
  ) {
    this.fc1 = new Linear(scope.child('kp_fc1'), inDim, hidden, { init: init.glorot() });
    this.fc2 = new Linear(scope.child('kp_fc2'), hidden, keypoints, { init: init.glorot() });
    this.scale = scope.param('kp_scale', [1], init.constant(1));
    this.#coords = gridCoords(gh, gw);
  }

  /** Attention maps [M, K, N] of inputs [M, N, P] (the input is data: no gradient to it). */
  maps(x: Tensor): Tensor {
    const [m, n] = x.shape as [number, number];
    const logits = tf.mul(this.fc2.apply(gelu(this.fc1.apply(tf.reshape(x, [m * n, this.inDim]), { inputGrad: false }))), this.scale); // [MN, K]
    return tf.softmax(tf.transpose(tf.reshape(logits, [m, n, this.keypoints]), [0, 2, 1])); // [M, K, N]
  }

  /** Keypoints [M, K, 2] (x, y in [-1, 1]) of inputs [M, N, P]. */
  apply(x: Tensor): tf.Tensor3D {
    const [m, n] = x.shape as [number, number];
    const k = this.keypoints;
    const coords = tf.tensor2d(this.#coords, [n, 2]); // [N, 2]
    return tf.reshape(tf.matMul(tf.reshape(this.maps(x), [m * k, n]), coords), [m, k, 2]) as tf.Tensor3D; // [M, K, 2]
  }
}
