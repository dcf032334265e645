/**
 * The one TensorFlow.js instance every lara module uses. Import tf from here (not from
 * '@tensorflow/tfjs' directly) so that a backend registered by select.ts (wasm, tfjs-node, the
 * native accelerator) is the one the models run on.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;
