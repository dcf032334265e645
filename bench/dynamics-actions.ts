/**
 * Does a dynamics model use its latent actions? Held-out masked-token cross-entropy with the LAM's
 * codes, with the codes shuffled across clips, and with uniformly random codes (5 training-style
 * masks, seeds 100..104), then with only frame 2 masked (the prompt and a_1 are all there is to go
 * on). Equal numbers mean the actions are ignored (docs/models.md).
 *   node bin/run-ts.mjs bench/dynamics-actions.ts DATASET TOKENIZER_RUN LAM_RUN DYNAMICS_RUN [clips=16] [stride=3]
 */
import { initBackend } from '../src/backend/select.ts';
import { tf, type Tensor } from '../src/backend/tf.ts';
import { trainingMask } from '../src/dynamics/masking.ts';
import { softmaxCrossEntropy } from '../src/nn/losses.ts';
import { Rng } from '../src/util/rng.ts';
import { heldOutWorldClips } from './world-clips.ts';

const [data, tokRun, lamRun, dynRun, clipsArg = '16', strideArg = '3'] = process.argv.slice(2);
if (!data || !tokRun || !lamRun || !dynRun) throw new Error('usage: bench/dynamics-actions.ts DATASET TOKENIZER_RUN LAM_RUN DYNAMICS_RUN [clips] [stride]');
await initBackend('wasm');
const { lam, dyn, T, b, n, tokens, codes } = await heldOutWorldClips(data, tokRun, lamRun, dynRun, Number(clipsArg), Number(strideArg));
const rng = Rng.seeded(5);
const variants: [string, Tensor][] = [
  ['LAM codes', codes],
  ['codes shuffled across clips', tf.gather(codes, tf.tensor1d(Array.from({ length: b }, (_, i) => (i + 7) % b), 'int32'))],
  ['random codes', tf.tensor2d(Array.from({ length: b * (T - 1) }, () => rng.int(lam.config.codes)), [b, T - 1], 'int32')],
];
const ce = (mask: Uint8Array, c: Tensor): number =>
  tf.tidy(() => {
    const m = tf.tensor3d(mask, [b, T, n], 'bool');
    return softmaxCrossEntropy(dyn.model.logits(tokens, m, lam.model.actionVectors(c)), tokens, tf.cast(m, 'float32')).dataSync()[0]!;
  });
const frame2 = new Uint8Array(b * T * n);
for (let i = 0; i < b; i++) frame2.fill(1, (i * T + 1) * n, (i * T + 2) * n);
console.log(`${b} held-out clips of ${T} frames (stride ${strideArg}), ${n} tokens per frame`);
for (const [name, c] of variants) {
  let sum = 0;
  for (let k = 0; k < 5; k++) sum += ce(trainingMask(b, T, n, Rng.seeded(100 + k), dyn.config.maskMin).mask, c);
  console.log(`${name.padEnd(28)} masked CE ${(sum / 5).toFixed(4)}   frame 2 fully masked CE ${ce(frame2, c).toFixed(4)}`);
}
