/**
 * Held-out reconstruction PSNR / SSIM and code usage of a tokenizer run alone (no LAM or
 * dynamics needed): node bin/run-ts.mjs bench/tokenizer-psnr.ts DATASET TOKENIZER_RUN [clips]
 */
import { initBackend } from '../src/backend/select.ts';
import { tf } from '../src/backend/tf.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { codebookStats } from '../src/metrics/codebook.ts';
import { psnr } from '../src/metrics/psnr.ts';
import { ssim } from '../src/metrics/ssim.ts';
import { clipPixels, loadClips, splitEpisodes } from '../src/world/clips.ts';
import { evenWindows } from '../src/world/evaluate.ts';
import { loadTokenizer } from '../src/world/load.ts';

const [data, run, n = '32'] = process.argv.slice(2);
if (!data || !run) throw new Error('usage: bench/tokenizer-psnr.ts DATASET TOKENIZER_RUN [clips]');
await initBackend('wasm');
const tok = loadTokenizer(run);
const c = tok.config;
const ds = Dataset.open(data);
const store = await loadClips(ds, { height: c.height, width: c.width, episodes: splitEpisodes(ds, 0.1).val });
await ds.close();
const refs = evenWindows(store, c.frames, 1, 0, Number(n));
const fsz = c.height * c.width * 3;
const ps: number[] = [];
const ss: number[] = [];
const ids: number[] = [];
for (const r of refs) {
  const x = clipPixels(store, r, c.frames, 1);
  const out = tf.tidy(() => {
    const t = tok.model.encode(tf.tensor(x, [1, c.frames, c.height, c.width, 3]));
    ids.push(...t.dataSync());
    return tok.model.decode(t).dataSync() as Float32Array;
  });
  for (let t = 0; t < c.frames; t++) {
    ps.push(psnr(x.subarray(t * fsz, (t + 1) * fsz), out.subarray(t * fsz, (t + 1) * fsz)));
    ss.push(ssim(x.subarray(t * fsz, (t + 1) * fsz), out.subarray(t * fsz, (t + 1) * fsz), c.height, c.width, 3));
  }
}
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const cb = codebookStats(ids, c.codes);
console.log(JSON.stringify({ checkpoint: tok.dir, clips: refs.length, frames: ps.length, psnr: mean(ps), ssim: mean(ss), codesUsed: cb.used, perplexity: cb.perplexity }));
