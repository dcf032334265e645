/**
 * How stable are a tokenizer's tokens where the video does not change? On held-out clips, for
 * every token position and frame t ≥ 2: is the patch pixel-identical to frame t−1, and did its
 * token change? A dynamics model has to predict every change, so changes on unchanged patches
 * are noise it must learn (docs/models.md).
 *   node bin/run-ts.mjs bench/token-stability.ts DATASET TOKENIZER_RUN [clips=32] [stride=3]
 */
import { initBackend } from '../src/backend/select.ts';
import { tf } from '../src/backend/tf.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { clipPixels, loadClips, splitEpisodes } from '../src/world/clips.ts';
import { evenWindows } from '../src/world/evaluate.ts';
import { loadTokenizer } from '../src/world/load.ts';

const [data, tokRun, clipsArg = '32', strideArg = '3'] = process.argv.slice(2);
if (!data || !tokRun) throw new Error('usage: bench/token-stability.ts DATASET TOKENIZER_RUN [clips] [stride]');
await initBackend('wasm');
const tok = loadTokenizer(tokRun);
const { height: h, width: w, patch: p, frames: T } = tok.config;
const stride = Number(strideArg);
const ds = Dataset.open(data);
const store = await loadClips(ds, { height: h, width: w, episodes: splitEpisodes(ds, 0.1).val });
await ds.close();
const refs = evenWindows(store, T, stride, 0, Number(clipsArg));
const px = Float32Array.from(refs.flatMap((r) => Array.from(clipPixels(store, r, T, stride)))); // [B, T, H, W, 3]
const tokens = tf.tidy(() => tok.model.encode(tf.tensor(px, [refs.length, T, h, w, 3]))).arraySync() as number[][][]; // [B, T, N]
const gw = w / p;
const n = (h / p) * gw;
const at = (i: number, t: number, y: number, x: number, c: number) => px[(((i * T + t) * h + y) * w + x) * 3 + c]!;
let still = 0, stillChanged = 0, moved = 0, movedChanged = 0;
for (let i = 0; i < refs.length; i++) {
  for (let t = 1; t < T; t++) {
    for (let k = 0; k < n; k++) {
      const [r, c] = [Math.floor(k / gw), k % gw];
      let same = true;
      for (let y = r * p; y < (r + 1) * p && same; y++) for (let x = c * p; x < (c + 1) * p && same; x++) for (let ch = 0; ch < 3; ch++) if (at(i, t, y, x, ch) !== at(i, t - 1, y, x, ch)) same = false;
      const changed = tokens[i]![t]![k] !== tokens[i]![t - 1]![k];
      if (same) [still, stillChanged] = [still + 1, stillChanged + (changed ? 1 : 0)];
      else [moved, movedChanged] = [moved + 1, movedChanged + (changed ? 1 : 0)];
    }
  }
}
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
console.log(`${refs.length} held-out clips of ${T} frames (stride ${stride}), ${n} tokens per frame`);
console.log(`unchanged patches: ${still}, token changed on ${pct(stillChanged, still)}`);
console.log(`changed patches:   ${moved} (${pct(moved, still + moved)} of all), token changed on ${pct(movedChanged, moved)}`);
