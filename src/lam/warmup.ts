/**
 * The LAM's VQ warm-up (`model.bypassSteps`, not in the paper), shared by `lara train lam` and
 * world-model co-training: for the first N steps the decoder gets the continuous latents (VQ
 * bypassed) while their values are pooled; after step N−1 the codebook is set to k-means centroids
 * (k = |A|, spherical in cosine mode) of the last ≤ KMEANS_POOL pooled latents, so the checkpoint
 * of that step holds it. The pool is not checkpointed: a run resumed inside the warm-up clusters
 * fewer latents. A fixed (cube-corner) codebook is left as it is.
 */
import { tf, type Tensor } from '../backend/tf.ts';
import { kmeans } from '../nn/kmeans.ts';
import type { StepContext } from '../train/task.ts';
import type { LatentActionModel } from './lam.ts';

/** Encoder outputs of this many latest warm-up transitions feed the k-means codebook init. */
export const KMEANS_POOL = 2048;

export class VqWarmup {
  #pending: Tensor | undefined; // this warm-up step's latents [..., Dc]
  #pool: Float32Array[] = []; // recent warm-up latents, one [n·Dc] array per step

  constructor(readonly lam: LatentActionModel) {}

  /** Whether step `step` bypasses the VQ. */
  bypass(step: number): boolean {
    return step < this.lam.cfg.bypassSteps;
  }

  /** Inside a warm-up step's loss: keep its latents [..., Dc] for the pool. */
  hold(latents: Tensor): void {
    this.#pending?.dispose();
    this.#pending = tf.keep(latents);
  }

  /** After the step's update: pool the held latents; after the last warm-up step, initialise the codebook. */
  after(ctx: StepContext): void {
    if (!this.#pending) return;
    this.#pool.push(this.#pending.dataSync() as Float32Array);
    this.#pending.dispose();
    this.#pending = undefined;
    const dc = this.lam.cfg.codeDim;
    while (this.#pool.reduce((n, a) => n + a.length / dc, 0) > KMEANS_POOL && this.#pool.length > 1) this.#pool.shift();
    if (ctx.step === this.lam.cfg.bypassSteps - 1 && !this.lam.vq.fixed) {
      this.initCodebook(concat(this.#pool), ctx);
      this.#pool = [];
    }
  }

  /** Codebook ← k-means (k = |A|) of encoder outputs [n·Dc] (spherical in cosine mode). */
  initCodebook(latents: Float32Array, ctx: StepContext): void {
    const vq = this.lam.vq;
    const c = kmeans(latents, vq.dim, vq.codes, ctx.rng, { cosine: vq.cosine, iters: 25 });
    tf.tidy(() => vq.codebook.assign(tf.tensor2d(c, [vq.codes, vq.dim])));
  }

  dispose(): void {
    this.#pending?.dispose();
    this.#pending = undefined;
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}
