/**
 * A trained policy at run time: keeps the recent frames of the current episode and answers
 * either a distribution over latent codes (latent head) or a native action (regress head).
 */
import { tf } from '../backend/tf.ts';
import type { Observation } from '../agent/types.ts';
import { denormalise } from '../mapping/stats.ts';
import { LaraError } from '../util/errors.ts';
import { decodeBins } from './bins.ts';
import { buildBatch, type PolicySample } from './inputs.ts';
import { loadPolicyNet, type PolicyMeta } from './io.ts';
import type { PolicyNet } from './network.ts';

export class Policy {
  #history: Uint8Array[] = [];
  #instruction = '';

  constructor(
    readonly meta: PolicyMeta,
    readonly net: PolicyNet,
  ) {}

  static load(dir: string): Policy {
    const { meta, net } = loadPolicyNet(dir);
    return new Policy(meta, net);
  }

  reset(instruction: string): void {
    this.#history = [];
    this.#instruction = instruction;
  }

  /** Push an observation and return the raw outputs [O] (logits or normalised action). */
  observe(obs: Observation): Float32Array {
    const s = this.meta.input;
    if (obs.image.length !== s.width * s.height * 3) {
      throw new LaraError('observation image does not match the policy', { expected: `${s.width}x${s.height}x3 = ${s.width * s.height * 3} bytes`, got: `${obs.image.length} bytes` });
    }
    this.#history.push(obs.image);
    if (this.#history.length > s.frames) this.#history.shift();
    const frames = Array.from({ length: s.frames }, (_, j) => this.#history[Math.max(0, this.#history.length - s.frames + j)]!);
    return this.outputs([{ frames, instruction: this.#instruction, state: obs.state }])[0]!;
  }

  /** Raw outputs for a batch of samples: B rows of [O]. */
  outputs(samples: readonly PolicySample[]): Float32Array[] {
    const x = buildBatch(samples, this.meta.input);
    const flat = tf.tidy(() => this.net.forward(x).dataSync() as Float32Array);
    const o = this.net.outWidth;
    return samples.map((_, i) => flat.slice(i * o, (i + 1) * o));
  }

  /** Regress head: de-normalised native action (a binned head decodes its argmax bins first). */
  toAction(out: Float32Array): Float32Array {
    return denormalise(this.meta.bins ? decodeBins(this.meta.bins, out) : out, this.meta.actionStats!);
  }

  dispose(): void {
    this.net.dispose();
  }
}
