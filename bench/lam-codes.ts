/**
 * LAM codes of every held-out transition of a dataset and, per code, the mean and spread of the
 * native action recorded with it: node bin/run-ts.mjs bench/lam-codes.ts DATASET LAM_RUN [STRIDE]
 */
import { initBackend } from '../src/backend/select.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { loadClips, splitEpisodes } from '../src/world/clips.ts';
import { lamCodes } from '../src/world/evaluate.ts';
import { loadLam } from '../src/world/load.ts';

const [data, run] = process.argv.slice(2);
if (!data || !run) throw new Error('usage: bench/lam-codes.ts DATASET LAM_RUN [STRIDE]');
await initBackend('wasm');
const lam = loadLam(run);
const ds = Dataset.open(data);
const names = ds.info.action?.names ?? [];
const store = await loadClips(ds, { height: lam.config.height, width: lam.config.width, episodes: splitEpisodes(ds, 0.1).val });
await ds.close();
const stride = Number(process.argv[4] ?? 1);
const r = lamCodes(lam.model, undefined, store, stride, { store, stride, fps: 0, clips: 0, batch: 16, seed: 0 });
console.log(`${lam.dir}: codes used ${r.codebook.used}/${r.codebook.codes}, perplexity ${r.codebook.perplexity.toFixed(2)}`);
console.log(`code count ${names.map((n) => n.padStart(10)).join(' ')}`);
for (const e of r.effects ?? []) {
  console.log(`${String(e.code).padStart(4)} ${String(e.count).padStart(5)} ${e.mean.map((v, j) => `${v.toFixed(2)}±${e.std[j]!.toFixed(2)}`.padStart(10)).join(' ')}`);
}
