/**
 * A child process for the kill/resume test: trains TinyMlpTask with checkpoints.
 *   node bin/run-ts.mjs test/train/tiny-run.ts RUN_DIR STEPS EVERY SEED RESUME(0|1) DELAY_MS
 * Prints "step N" on stdout after each step (after that step's checkpoint, if any).
 */
import * as tf from '@tensorflow/tfjs';
import { train } from '../../src/train/loop.ts';
import { TinyMlpTask, CircleBatches } from '../../src/train/tiny-mlp.ts';

const [runDir, steps, every, seed, resume, delay] = process.argv.slice(2);
await tf.setBackend('cpu');
const cfg = { steps: Number(steps), seed: Number(seed), checkpointEvery: Number(every), keep: 2 };
const res = await train({
  task: new TinyMlpTask(),
  data: new CircleBatches(cfg.seed),
  train: cfg,
  runDir: runDir!,
  resume: resume === '1',
  config: { train: cfg },
  component: 'tiny',
  progress: false,
  log: (m) => process.stdout.write(m + '\n'),
  onStep: async (s) => {
    process.stdout.write(`step ${s}\n`);
    if (Number(delay) > 0) await new Promise((r) => setTimeout(r, Number(delay)));
  },
});
process.stdout.write(`done start=${res.startStep} step=${res.step}\n`);
