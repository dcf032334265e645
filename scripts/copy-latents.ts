/**
 * Copy the latent codes of a labelled dataset into another render of the same episodes (e.g. the
 * LAM labels 64×64 frames, the policy trains on a 32×32 render made with the same generator seed):
 *   node bin/run-ts.mjs scripts/copy-latents.ts SRC_LABELLED DST
 * Refuses unless both have the same number of episodes, each of the same length, and the same
 * native actions (so they are the same episodes); DST's latents are replaced atomically.
 */
import { Dataset } from '../src/data/Dataset.ts';
import { LaraError } from '../src/util/errors.ts';

const [srcDir, dstDir] = process.argv.slice(2);
if (!srcDir || !dstDir) throw new LaraError('usage: scripts/copy-latents.ts SRC_LABELLED DST');
const src = Dataset.open(srcDir);
const dst = Dataset.open(dstDir);
if (!src.info.has_latents) throw new LaraError('source has no latents (run lara label first)', { file: srcDir });
if (src.numEpisodes !== dst.numEpisodes) throw new LaraError('not the same episodes', { file: dstDir, expected: `${src.numEpisodes} episodes`, got: String(dst.numEpisodes) });
const codes: Int32Array[] = [];
for (let k = 0; k < src.numEpisodes; k++) {
  const a = await src.readEpisode(k);
  const b = await dst.readEpisode(k);
  const same = a.actions && b.actions && a.actions.length === b.actions.length && a.actions.every((u, t) => u.every((v, j) => v === b.actions![t]![j]));
  if (!same || !a.latents) throw new LaraError('not the same episode', { file: dstDir, where: `episode ${k}`, expected: 'the same length and native actions as the source' });
  codes.push(Int32Array.from(a.latents));
}
const n = src.info.latent_codes ?? 0;
await src.close();
const out = await dst.writeLatents(codes, { numCodes: n });
await out.close();
console.log(`copied ${codes.length} episodes of latents (${n} codes) from ${srcDir} to ${dstDir}`);
