/**
 * The ΔtPSNR a perfect world model would score on tabletop-sim: replay held-out expert episodes
 * in the simulator, and from a start frame k branch off with uniformly random native actions.
 * Frame 4 of the clip (k + 3·stride) from the true actions vs from the random ones, compared
 * with the true frame, in raw pixels and through a tokenizer (its reconstruction is the best a
 * token-space dynamics model can produce). The difference is the ceiling of ΔtPSNR at t = 4.
 *   node bin/run-ts.mjs bench/dtpsnr-ceiling.ts [TOKENIZER_RUN] [episodes=30] [stride=3] [seed=3] [task=all]
 */
import { initBackend } from '../src/backend/select.ts';
import { tf } from '../src/backend/tf.ts';
import { psnr } from '../src/metrics/psnr.ts';
import { clampAction } from '../src/robot/limits.ts';
import { taskOf } from '../src/sim/generate.ts';
import { episodeSeed, rolloutExpert } from '../src/sim/rollout.ts';
import { TabletopEnv } from '../src/sim/tabletop.ts';
import { Rng } from '../src/util/rng.ts';
import { loadTokenizer } from '../src/world/load.ts';

const [tokRun, epsA = '30', strideA = '3', seedA = '3', taskA = 'all'] = process.argv.slice(2);
await initBackend('wasm');
const tok = tokRun && tokRun !== '-' ? loadTokenizer(tokRun) : undefined;
const stride = Number(strideA);
const rng = Rng.seeded(11);
const toF = (u: Uint8Array) => Float32Array.from(u, (v) => v / 255);
const sums = { pixRandom: 0, pixStill: 0, tokTrue: 0, tokRandom: 0, n: 0 };
for (let i = 0; i < Number(epsA); i++) {
  const index = 10000 + i; // not in any generated training set of ≤ 10000 episodes
  const task = taskOf({ task: taskA as never }, index);
  const env = new TabletopEnv({ tasks: [task] });
  const seed = episodeSeed(Number(seedA), index);
  const ep = rolloutExpert(env, seed, { randomProb: 0.3 }).episode;
  const frames = ep.cameras.image!.frames;
  const actions = ep.actions!;
  for (let k = 0; k + 3 * stride < frames.length; k += 4 * stride) {
    let now = env.reset(seed, ep.instruction).image;
    for (let s = 0; s < k; s++) now = env.step(actions[s]!).obs.image;
    if (psnr(toF(now), toF(frames[k]!)) < 100) throw new Error(`replay of episode ${index} diverged at frame ${k}`);
    const branch: Uint8Array[] = [];
    for (let s = 1; s <= 3 * stride; s++) {
      const a = new Float32Array(actions[k + s - 1]!); // keep gripper / terminate as recorded
      for (const j of [0, 1, 2, 5]) a[j] = rng.uniform(-1, 1);
      const r = env.step(clampAction(env.robot, a).action);
      if (s % stride === 0) branch.push(r.obs.image);
    }
    const truth = [0, 1, 2, 3].map((j) => frames[k + j * stride]!);
    const x4 = toF(truth[3]!);
    sums.pixRandom += psnr(x4, toF(branch[2]!));
    sums.pixStill += psnr(x4, toF(truth[0]!));
    if (tok) {
      const [h, w] = [tok.config.height, tok.config.width];
      const rec = (clip: Uint8Array[]) =>
        tf.tidy(() => {
          const x = tf.tensor(Float32Array.from(clip.flatMap((f) => Array.from(toF(f)))), [1, 4, h, w, 3]);
          return tf.slice(tok.model.decode(tok.model.encode(x)), [0, 3], [1, 1]).dataSync() as Float32Array;
        });
      sums.tokTrue += psnr(x4, rec(truth));
      sums.tokRandom += psnr(x4, rec([truth[0]!, ...branch]));
    }
    sums.n++;
  }
}
const m = (v: number) => (v / sums.n).toFixed(2);
console.log(`${sums.n} clips (stride ${stride}) from ${epsA} episodes, task ${taskA}`);
console.log(`pixels: frame 4 from random actions ${m(sums.pixRandom)} dB, prompt frame held still ${m(sums.pixStill)} dB`);
if (tok) console.log(`through the tokenizer: true actions ${m(sums.tokTrue)} dB, random actions ${m(sums.tokRandom)} dB → ΔtPSNR ceiling ${m(sums.tokTrue - sums.tokRandom)} dB`);
