/**
 * Shared by the dynamics benches: load a tokenizer, LAM and dynamics run, take `clips` windows
 * of T frames (the dynamics model's clip length) evenly spread over a dataset's held-out
 * episodes, and encode them: tokens from the tokenizer, codes from the LAM.
 * Dimension legend: B clips, T frames, N tokens per frame, H × W × 3 pixels.
 */
import { tf, type Tensor } from '../src/backend/tf.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { inferCodes } from '../src/lam/apply.ts';
import { clipPixels, loadClips, splitEpisodes } from '../src/world/clips.ts';
import { evenWindows } from '../src/world/evaluate.ts';
import { loadDynamics, loadLam, loadTokenizer } from '../src/world/load.ts';

export async function heldOutWorldClips(data: string, tokRun: string, lamRun: string, dynRun: string, clips: number, stride: number) {
  const tok = loadTokenizer(tokRun);
  const lam = loadLam(lamRun);
  const dyn = loadDynamics(dynRun);
  const { height: h, width: w } = tok.config;
  const T = dyn.config.frames;
  const ds = Dataset.open(data);
  const store = await loadClips(ds, { height: h, width: w, episodes: splitEpisodes(ds, 0.1).val });
  await ds.close();
  const refs = evenWindows(store, T, stride, 0, clips);
  const b = refs.length;
  const x = tf.tensor(Float32Array.from(refs.flatMap((r) => Array.from(clipPixels(store, r, T, stride)))), [b, T, h, w, 3]); // [B, T, H, W, 3]
  const tokens: Tensor = tf.tidy(() => tok.model.encode(x)); // [B, T, N]
  const codes: Tensor = tf.tidy(() => inferCodes(lam.model, x, tok.model)); // [B, T-1] (a token LAM reads the tokenizer's tokens)
  return { tok, lam, dyn, T, b, n: tokens.shape[2]!, tokens, codes };
}
