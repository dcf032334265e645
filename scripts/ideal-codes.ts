/**
 * DIAGNOSTIC ONLY (not the paper's setting): label every transition of a dataset with "ideal"
 * latent codes = k-means (k clusters, seeded) of its native world_vector (x, y, z), written with
 * Dataset.writeLatents. Stands in for a LAM whose codes would perfectly capture the gripper's
 * motion, to test the policy -> mapping -> eval half of the pipeline when the LAM collapses.
 *   node bin/run-ts.mjs scripts/ideal-codes.ts DATASET [K=8] [SEED=0]
 */
import { Dataset } from '../src/data/Dataset.ts';
import { Rng } from '../src/util/rng.ts';
const dir = process.argv[2]!;
const K = Number(process.argv[3] ?? 8);
const rng = Rng.seeded(Number(process.argv[4] ?? 0));
let ds = Dataset.open(dir);
const eps = [];
for (let k = 0; k < ds.numEpisodes; k++) eps.push((await ds.readEpisode(k)).actions!);
const pts = eps.flatMap((a) => a.slice(0, -1).map((u) => [u[0]!, u[1]!, u[2]!]));
let cent = Array.from({ length: K }, () => pts[rng.int(pts.length)]!.slice());
const near = (p: number[]) => cent.reduce((b, c, i) => ((c[0]! - p[0]!) ** 2 + (c[1]! - p[1]!) ** 2 + (c[2]! - p[2]!) ** 2 < (cent[b]![0]! - p[0]!) ** 2 + (cent[b]![1]! - p[1]!) ** 2 + (cent[b]![2]! - p[2]!) ** 2 ? i : b), 0);
for (let it = 0; it < 30; it++) {
  const sum = Array.from({ length: K }, () => [0, 0, 0, 0]);
  for (const p of pts) { const s = sum[near(p)]!; s[0]! += p[0]!; s[1]! += p[1]!; s[2]! += p[2]!; s[3]!++; }
  cent = sum.map((s, i) => (s[3]! ? [s[0]! / s[3]!, s[1]! / s[3]!, s[2]! / s[3]!] : cent[i]!));
}
const labels = eps.map((a) => Int32Array.from(a.slice(0, -1), (u) => near([u[0]!, u[1]!, u[2]!])));
ds = await ds.writeLatents(labels, { numCodes: K });
console.log('centroids', cent.map((c) => c.map((v) => v.toFixed(2)).join(',')).join(' | '));
await ds.close();
