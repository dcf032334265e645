/**
 * The ΔtPSNR a perfect world model would score on tabletop-sim: replay held-out expert episodes
 * in the simulator, and from a start frame k branch off with uniformly random native actions.
 * Frame 4 of the clip (k + 3·stride) from the true actions vs from the random ones, compared
 * with the true frame, in raw pixels and through a tokenizer (its reconstruction is the best a
 * token-space dynamics model can produce). The difference is the ceiling of ΔtPSNR at t = 4.
 *
 * With a LAM run it also measures the ceiling *through that LAM's codes*: a perfect dynamics
 * model that knows only the code of each transition can at best play the motion the code stands
 * for. Each transition's native x, y, z, yaw are replaced by the mean of those seen with its code
 * (the LAM labels every clip first; a code never seen stands still), and a random branch plays a
 * uniformly drawn code's mean, as `lara eval world-model` draws random codes. The difference,
 * through the tokenizer, estimates what a dynamics model conditioned on this LAM can reach (a
 * model that also reads the scene can guess more of the motion than its code says). The same for
 * ideal vocabularies of K, 2K and 4K codes: k-means of the transitions' own motions.
 *   node bin/run-ts.mjs bench/dtpsnr-ceiling.ts [TOKENIZER_RUN] [episodes=30] [stride=3] [seed=3] [task=all] [LAM_RUN] [SIM_JSON] [RANDOM_PROB=0.3]
 * SIM_JSON: simulator overrides matching the data the runs were trained on, e.g. '{"gantry":true}'.
 * RANDOM_PROB: the held-out episodes' expert randomProb, as the data's `--random-prob`.
 * The ideal-vocabulary lines need only a tokenizer (K = 8 without a LAM); LAM_RUN `-` skips the LAM's line.
 */
import { initBackend } from '../src/backend/select.ts';
import { tf } from '../src/backend/tf.ts';
import { inferCodes } from '../src/lam/apply.ts';
import { kmeans } from '../src/nn/kmeans.ts';
import { psnr } from '../src/metrics/psnr.ts';
import { clampAction } from '../src/robot/limits.ts';
import { taskOf } from '../src/sim/generate.ts';
import { episodeSeed, rolloutExpert } from '../src/sim/rollout.ts';
import type { TabletopConfig } from '../src/sim/config.ts';
import { TabletopEnv } from '../src/sim/tabletop.ts';
import { codeEffects } from '../src/world/code-effects.ts';
import { Rng } from '../src/util/rng.ts';
import { loadLam, loadTokenizer } from '../src/world/load.ts';

const [tokRun, epsA = '30', strideA = '3', seedA = '3', taskA = 'all', lamArg, simJson = '{}', randomProbA = '0.3'] = process.argv.slice(2);
const lamRun = lamArg && lamArg !== '-' ? lamArg : undefined;
const sim = JSON.parse(simJson) as Partial<TabletopConfig>;
await initBackend('wasm');
const tok = tokRun && tokRun !== '-' ? loadTokenizer(tokRun) : undefined;
const lam = lamRun ? loadLam(lamRun) : undefined;
if (lam && !tok) throw new Error('the code ceiling needs a TOKENIZER_RUN');
const stride = Number(strideA);
const rng = Rng.seeded(11);
const MOVE = [0, 1, 2, 5]; // world_vector x, y, z and yaw: what a branch replaces
const toF = (u: Uint8Array) => Float32Array.from(u, (v) => v / 255);
const sums = { pixRandom: 0, pixStill: 0, tokTrue: 0, tokRandom: 0, n: 0 };

interface Clip {
  env: TabletopEnv;
  seed: number;
  instruction: string;
  actions: Float32Array[];
  k: number;
  truth: Uint8Array[]; // frames k, k+s, k+2s, k+3s
}
/** The simulator at frame k of the clip's episode (checked against the recording). */
function replayTo(c: Clip): void {
  let now = c.env.reset(c.seed, c.instruction).image;
  for (let s = 0; s < c.k; s++) now = c.env.step(c.actions[s]!).obs.image;
  if (psnr(toF(now), toF(c.truth[0]!)) < 100) throw new Error(`replay diverged at frame ${c.k}`);
}
/** Frames k+s, k+2s, k+3s when step j (0-based) plays `move(j)` in x, y, z, yaw (gripper, terminate as recorded). */
function branch(c: Clip, move: (j: number) => ArrayLike<number>): Uint8Array[] {
  replayTo(c);
  const out: Uint8Array[] = [];
  let frame = c.truth[0]!;
  for (let j = 0; j < 3 * stride; j++) {
    const a = new Float32Array(c.actions[c.k + j]!);
    const m = move(j);
    MOVE.forEach((d, i) => (a[d] = m[i]!));
    if (!c.env.done) frame = c.env.step(clampAction(c.env.robot, a).action).obs.image; // an episode the branch ends (success) holds its last frame
    if ((j + 1) % stride === 0) out.push(frame);
  }
  return out;
}
/** Frames [4][H·W·3] bytes → a clip [1, 4, h, w, 3] in [0, 1]. */
const clipTensor = (frames: Uint8Array[], h: number, w: number) => tf.tensor(Float32Array.from(frames.flatMap((f) => Array.from(toF(f)))), [1, 4, h, w, 3]);
/** PSNR of frame 4 reconstructed through the tokenizer from the 4-frame clip, against the true frame 4. */
function tokPsnr(clip: Uint8Array[], x4: Float32Array): number {
  const [h, w] = [tok!.config.height, tok!.config.width];
  const rec = tf.tidy(() => {
    return tf.slice(tok!.model.decode(tok!.model.encode(clipTensor(clip, h, w))), [0, 3], [1, 1]).dataSync() as Float32Array;
  });
  return psnr(x4, rec);
}

const clips: Clip[] = [];
for (let i = 0; i < Number(epsA); i++) {
  const index = 10000 + i; // not in any generated training set of ≤ 10000 episodes
  const task = taskOf({ task: taskA as never }, index);
  const env = new TabletopEnv({ ...sim, tasks: [task] });
  const seed = episodeSeed(Number(seedA), index);
  const ep = rolloutExpert(env, seed, { randomProb: Number(randomProbA) }).episode;
  const frames = ep.cameras.image!.frames;
  for (let k = 0; k + 3 * stride < frames.length; k += 4 * stride) {
    const c: Clip = { env, seed, instruction: ep.instruction, actions: ep.actions!, k, truth: [0, 1, 2, 3].map((j) => frames[k + j * stride]!) };
    clips.push(c);
    const x4 = toF(c.truth[3]!);
    const random = branch(c, () => MOVE.map(() => rng.uniform(-1, 1)));
    sums.pixRandom += psnr(x4, toF(random[2]!));
    sums.pixStill += psnr(x4, toF(c.truth[0]!));
    if (tok) {
      sums.tokTrue += tokPsnr(c.truth, x4);
      sums.tokRandom += tokPsnr([c.truth[0]!, ...random], x4);
    }
    sums.n++;
  }
}
const m = (v: number) => (v / sums.n).toFixed(2);
console.log(`${sums.n} clips (stride ${stride}) from ${epsA} episodes, task ${taskA}`);
console.log(`pixels: frame 4 from random actions ${m(sums.pixRandom)} dB, prompt frame held still ${m(sums.pixStill)} dB`);
if (tok) console.log(`through the tokenizer: true actions ${m(sums.tokTrue)} dB, random actions ${m(sums.tokRandom)} dB → ΔtPSNR ceiling ${m(sums.tokTrue - sums.tokRandom)} dB`);

/** Through per-transition codes [clip][3] that stand for the motions `means[code]`: inferred vs uniformly random codes. */
function codeCeiling(name: string, labels: number[][], means: number[][]): void {
  let inferred = 0;
  let random = 0;
  clips.forEach((c, i) => {
    const x4 = toF(c.truth[3]!);
    const drawn = [0, 1, 2].map(() => rng.int(means.length));
    inferred += tokPsnr([c.truth[0]!, ...branch(c, (j) => means[labels[i]![Math.floor(j / stride)]!]!)], x4);
    random += tokPsnr([c.truth[0]!, ...branch(c, (j) => means[drawn[Math.floor(j / stride)]!]!)], x4);
  });
  console.log(`through ${name}: inferred codes ${m(inferred)} dB, random codes ${m(random)} dB → ΔtPSNR ceiling ${m(inferred - random)} dB`);
}
/** Mean x, y, z, yaw of each transition's steps, [clip][3][4]. */
const moves = clips.map((c) => [0, 1, 2].map((t) => MOVE.map((d) => c.actions.slice(c.k + t * stride, c.k + (t + 1) * stride).reduce((s, a) => s + a[d]!, 0) / stride)));

const K = lam?.config.codes ?? 8;
if (lam) {
  const [h, w] = [lam.config.height, lam.config.width];
  const codes = clips.map((c) =>
    tf.tidy(() => Array.from(inferCodes(lam.model, clipTensor(c.truth, h, w), tok!.model).dataSync())), // [3]: transitions 1→2, 2→3, 3→4
  );
  // per code: mean x, y, z, yaw of the transitions it labels (a code never seen stands still)
  const effects = codeEffects(codes.flat(), moves.flat().map((v) => Float32Array.from(v)), K);
  const means = effects.map((e) => (e.count > 0 ? e.mean : MOVE.map(() => 0)));
  console.log(`per-code mean x, y, z, yaw: ${effects.map((e) => `${e.code}: ${means[e.code]!.map((x) => x.toFixed(2)).join(' ')} (${e.count})`).join('; ')}`);
  codeCeiling(`${lamRun}'s codes`, codes, means);
}
if (tok) {
  // ideal vocabularies: k-means of the transitions' own motions, each labelled with its nearest centre
  const flat = Float32Array.from(moves.flat(2));
  for (const k of [K, 2 * K, 4 * K]) {
    const centres = kmeans(flat, MOVE.length, k, Rng.seeded(k));
    const cs = Array.from({ length: k }, (_, c) => Array.from(centres.subarray(c * MOVE.length, (c + 1) * MOVE.length)));
    const dist = (c: number[], v: number[]): number => c.reduce((s, x, q) => s + (x - v[q]!) ** 2, 0);
    const nearest = (v: number[]): number => cs.reduce((best, c, j) => (dist(c, v) < dist(cs[best]!, v) ? j : best), 0);
    codeCeiling(`k-means(${k}) of the true motions`, moves.map((mv) => mv.map(nearest)), cs);
  }
}
