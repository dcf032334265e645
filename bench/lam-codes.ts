/**
 * LAM codes of every held-out transition of a dataset and, per code, the mean and spread of the
 * native action recorded with it, and per action dimension the share of its variance the code
 * explains (R²): node bin/run-ts.mjs bench/lam-codes.ts DATASET LAM_RUN [STRIDE] [TOKENIZER_RUN]
 * (the tokenizer run is needed by a LAM over tokens, model.input = tokens)
 */
import { initBackend } from '../src/backend/select.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { loadClips, splitEpisodes } from '../src/world/clips.ts';
import { lamCodes } from '../src/world/evaluate.ts';
import { loadLam, loadTokenizer } from '../src/world/load.ts';

const [data, run] = process.argv.slice(2);
if (!data || !run) throw new Error('usage: bench/lam-codes.ts DATASET LAM_RUN [STRIDE]');
await initBackend('wasm');
const lam = loadLam(run);
const ds = Dataset.open(data);
const names = ds.info.action?.names ?? [];
const store = await loadClips(ds, { height: lam.config.height, width: lam.config.width, episodes: splitEpisodes(ds, 0.1).val });
await ds.close();
const stride = Number(process.argv[4] ?? 1);
const tok = process.argv[5] ? loadTokenizer(process.argv[5]).model : undefined;
const r = lamCodes(lam.model, tok, store, stride, { store, stride, fps: 0, clips: 0, batch: 16, seed: 0 });
console.log(`${lam.dir}: codes used ${r.codebook.used}/${r.codebook.codes}, perplexity ${r.codebook.perplexity.toFixed(2)}`);
console.log(`code count ${names.map((n) => n.padStart(10)).join(' ')}`);
for (const e of r.effects ?? []) {
  console.log(`${String(e.code).padStart(4)} ${String(e.count).padStart(5)} ${e.mean.map((v, j) => `${v.toFixed(2)}±${e.std[j]!.toFixed(2)}`.padStart(10)).join(' ')}`);
}
// How much of each native action dimension the code explains: R² = between-code variance / total
// variance (1 = every code has one fixed action; 0 = codes say nothing about the action).
const effects = (r.effects ?? []).filter((e) => e.count > 0);
const total = effects.reduce((n, e) => n + e.count, 0);
if (total > 0) {
  const r2 = names.map((_, j) => {
    const mu = effects.reduce((s, e) => s + e.count * e.mean[j]!, 0) / total;
    const between = effects.reduce((s, e) => s + e.count * (e.mean[j]! - mu) ** 2, 0) / total;
    const within = effects.reduce((s, e) => s + e.count * e.std[j]! ** 2, 0) / total;
    return between + within > 0 ? between / (between + within) : 0;
  });
  console.log(`R²   ${String(total).padStart(5)} ${r2.map((v) => v.toFixed(2).padStart(10)).join(' ')}`);
}
