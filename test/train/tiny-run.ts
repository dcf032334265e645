/**
 * A child process for the kill/resume test: trains TinyMlpTask with checkpoints.
 *   node bin/run-ts.mjs test/train/tiny-run.ts RUN_DIR STEPS EVERY SEED RESUME(0|1) PAUSE_AT
 * Prints "step N" on stdout after each step (after that step's checkpoint, if any). With
 * PAUSE_AT > 0 it stops after that step (sleeping, as if slow) so a test can kill it there.
 */
import * as tf from '@tensorflow/tfjs';
import { train } from '../../src/train/loop.ts';
import { TinyMlpTask, CircleBatches } from '../../src/train/tiny-mlp.ts';

const [runDir, steps, every, seed, resume, pauseAt] = process.argv.slice(2);
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
    if (s === Number(pauseAt)) await new Promise((r) => setTimeout(r, 600_000));
  },
});
process.stdout.write(`done start=${res.startStep} step=${res.step}\n`);
