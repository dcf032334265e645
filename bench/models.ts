import { initBackend, describeChoice } from '../src/backend/select.ts';
import { tf } from '../src/backend/tf.ts';
import { loadConfig } from '../src/config/presets.ts';
import { TokenizerSchema } from '../src/tokenizer/config.ts';
import { TokenizerTask } from '../src/tokenizer/train.ts';
import { Rng } from '../src/util/rng.ts';
const c = await initBackend('auto');
console.log(describeChoice(c));
const sets = process.argv.slice(2);
const cfg = loadConfig(TokenizerSchema, 'tokenizer', 'small', sets);
const task = new TokenizerTask(cfg);
await task.init(Rng.seeded(0));
const m = cfg.model;
const x = tf.randomUniform([cfg.train.batch, m.frames, m.height, m.width, 3]);
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const r = task.step(x, { step: i, rng: Rng.seeded(i) });
  console.log(`step ${i}: ${(performance.now() - t0).toFixed(0)} ms loss ${r.loss.toFixed(4)} tensors ${tf.memory().numTensors}`);
}
const t0 = performance.now();
tf.tidy(() => task.model.forward(x).loss.dataSync());
console.log(`forward only: ${(performance.now() - t0).toFixed(0)} ms`);
