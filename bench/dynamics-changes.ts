/**
 * Where does a dynamics model's next-frame prediction fail? Teacher-forced: for t = 2..T, frames
 * 1..t-1 are the real tokens and every token of frame t (and later) is masked; each token of
 * frame t is then scored by whether it is unchanged from frame t-1 or changed. Reported per
 * action set (the LAM's codes, uniformly random codes): argmax accuracy, top-5 accuracy, how
 * often the argmax is the previous frame's token ("copy") and the cross-entropy, on changed and
 * unchanged tokens; and how many distinct tokens the changed positions take (with the entropy
 * of their histogram), i.e. how hard they are to name exactly (docs/models.md). With guidance
 * weights (comma-separated; a model trained with model.actionDropout) the logits are the
 * sampler's classifier-free guided ones, cond + w·(cond − null action), one table per w.
 *   node bin/run-ts.mjs bench/dynamics-changes.ts DATASET TOKENIZER_RUN LAM_RUN DYNAMICS_RUN [clips=32] [stride=3] [guidance=0]
 */
import { initBackend } from '../src/backend/select.ts';
import { tf, type Tensor } from '../src/backend/tf.ts';
import { guidedLogits } from '../src/dynamics/sampler.ts';
import { Rng } from '../src/util/rng.ts';
import { heldOutWorldClips } from './world-clips.ts';

const [data, tokRun, lamRun, dynRun, clipsArg = '32', strideArg = '3', guidanceArg = '0'] = process.argv.slice(2);
if (!data || !tokRun || !lamRun || !dynRun) throw new Error('usage: bench/dynamics-changes.ts DATASET TOKENIZER_RUN LAM_RUN DYNAMICS_RUN [clips] [stride]');
await initBackend('wasm');
const stride = Number(strideArg);
const { lam, dyn, T, b, n, tokens, codes } = await heldOutWorldClips(data, tokRun, lamRun, dynRun, Number(clipsArg), stride);
const V = dyn.config.vocab;
const ids = tokens.dataSync() as Int32Array;
const rng = Rng.seeded(5);
const random = tf.tensor2d(Array.from({ length: b * (T - 1) }, () => rng.int(lam.config.codes)), [b, T - 1], 'int32');
const at = (i: number, t: number, k: number): number => ids[(i * T + t) * n + k]!;

const changedIds = new Map<number, number>();
let changedCount = 0;
for (let i = 0; i < b; i++) for (let t = 1; t < T; t++) for (let k = 0; k < n; k++) {
  if (at(i, t, k) === at(i, t - 1, k)) continue;
  changedIds.set(at(i, t, k), (changedIds.get(at(i, t, k)) ?? 0) + 1);
  changedCount++;
}
const entropy = -[...changedIds.values()].reduce((e, c) => e + (c / changedCount) * Math.log(c / changedCount), 0);
console.log(`${b} held-out clips of ${T} frames (stride ${stride}), ${n} tokens per frame`);
console.log(`changed tokens: ${changedCount} of ${b * (T - 1) * n}, ${changedIds.size} distinct ids, histogram entropy ${entropy.toFixed(2)} nats`);

/** Log-softmax of frame t's logits with frames ≥ t masked, Float32Array [B, N, V], in chunks of 4 clips. */
function frameLogProbs(t: number, actions: Tensor, w: number): Float32Array {
  const out = new Float32Array(b * n * V);
  const mask = new Uint8Array(b * T * n);
  for (let i = 0; i < b; i++) mask.fill(1, (i * T + t) * n, (i + 1) * T * n);
  for (let i0 = 0; i0 < b; i0 += 4) {
    const c = Math.min(4, b - i0);
    const lp = tf.tidy(() => {
      const m = tf.slice(tf.tensor3d(mask, [b, T, n], 'bool'), [i0, 0, 0], [c, T, n]);
      const a = tf.slice(actions, [i0, 0, 0], [c, T - 1, actions.shape[2]!]);
      const tok = tf.slice(tokens, [i0, 0, 0], [c, T, n]);
      const at = (x: Tensor): Tensor => tf.slice(x, [0, t, 0, 0], [c, 1, n, V]); // [c, 1, N, V]
      const cond = at(dyn.model.logits(tok, m, a)); // of [c, T, N, V]
      const logits = w > 0 ? guidedLogits(cond, at(dyn.model.logits(tok, m, tf.zerosLike(a))), w) : cond;
      return tf.logSoftmax(logits, -1).dataSync() as Float32Array;
    });
    out.set(lp, i0 * n * V);
  }
  return out;
}

for (const w of guidanceArg.split(',').map(Number)) {
  if (w > 0) console.log(`guidance ${w}`);
  for (const [name, c] of [['LAM codes', codes], ['random codes', random]] as const) {
    const actions = lam.model.actionVectors(c); // [B, T-1, Dc]
    const s = { changed: { n: 0, top1: 0, top5: 0, copy: 0, ce: 0 }, unchanged: { n: 0, top1: 0, top5: 0, copy: 0, ce: 0 } };
    for (let t = 1; t < T; t++) {
      const lp = frameLogProbs(t, actions, w);
      for (let i = 0; i < b; i++) for (let k = 0; k < n; k++) {
        const off = (i * n + k) * V;
        const real = at(i, t, k), prev = at(i, t - 1, k);
        let arg = 0, rank = 0;
        for (let j = 0; j < V; j++) {
          if (lp[off + j]! > lp[off + arg]!) arg = j;
          if (lp[off + j]! > lp[off + real]!) rank++;
        }
        const r = real === prev ? s.unchanged : s.changed;
        r.n++;
        r.ce -= lp[off + real]!;
        if (arg === real) r.top1++;
        if (rank < 5) r.top5++;
        if (arg === prev) r.copy++;
      }
    }
    for (const [kind, r] of Object.entries(s)) {
      const pct = (v: number) => ((100 * v) / Math.max(1, r.n)).toFixed(1).padStart(5) + '%';
      console.log(`${name.padEnd(13)} ${kind.padEnd(9)} ${String(r.n).padStart(6)}  top-1 ${pct(r.top1)}  top-5 ${pct(r.top5)}  copy ${pct(r.copy)}  CE ${(r.ce / Math.max(1, r.n)).toFixed(3)}`);
    }
  }
}
