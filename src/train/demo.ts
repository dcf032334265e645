/**
 * The training part of `lara demo`: a toy ST-transformer learns next-frame prediction on the toy
 * shift world (./toy-world.ts), checkpointed and resumable like any lara run. Library code, so a
 * user can call it; the CLI verb only prints.
 */
import { existsSync } from 'node:fs';
import { LaraError } from '../util/errors.ts';
import type { ProgressStream } from '../util/progress.ts';
import { listCheckpoints, readCheckpointState } from '../checkpoint/checkpoint.ts';
import { checkpointRoot, metricsFile, train, type TrainResult } from './loop.ts';
import { readMetrics } from './metrics.ts';
import type { DemoConfig } from './demo-config.ts';
import { ToyStTask } from './toy-st.ts';
import { ToyWorldBatches, toyLossFloor } from './toy-world.ts';

export interface DemoTrainOptions {
  runDir: string;
  resume?: boolean;
  /** Start over even if runDir holds a run of another component. */
  overwrite?: boolean;
  progress?: ProgressStream | false;
  log?: (m: string) => void;
}

export interface DemoTrainResult {
  run: TrainResult;
  params: number;
  /** Training loss of every step of the whole run (also the steps before a resume). */
  losses: number[];
  /** Mean next-frame loss on 4 held-out batches after training. */
  heldOutLoss: number;
  /** ln(V): the loss of a model that knows nothing. */
  chanceLoss: number;
  /** The best achievable loss (the first predicted frame cannot know the direction). */
  floorLoss: number;
  metricsFile: string;
}

/** The component of the run in `runDir`, if it holds one (from its newest checkpoint). */
export function runComponent(runDir: string): string | undefined {
  const cks = listCheckpoints(checkpointRoot(runDir));
  for (const c of cks.reverse()) {
    try {
      return readCheckpointState(c.dir).component;
    } catch {
      /* try an older one */
    }
  }
  return undefined;
}

export async function trainDemo(cfg: DemoConfig, o: DemoTrainOptions): Promise<DemoTrainResult> {
  const existing = runComponent(o.runDir);
  if (!o.resume && existing !== undefined && existing !== 'demo' && !o.overwrite) {
    throw new LaraError(`run directory holds a '${existing}' run, not a demo run`, { file: o.runDir, expected: '--out pointing elsewhere, or --overwrite' });
  }
  const task = new ToyStTask(cfg);
  const data = new ToyWorldBatches(cfg.train.seed, cfg.data);
  try {
    const run = await train({
      task,
      data,
      train: cfg.train,
      runDir: o.runDir,
      resume: o.resume ?? false,
      // a previous demo run in the same place is simply replaced
      overwrite: o.overwrite || existing === 'demo' || (existing === undefined && existsSync(metricsFile(o.runDir))),
      config: cfg,
      component: 'demo',
      ...(o.progress !== undefined ? { progress: o.progress } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    const held = new ToyWorldBatches((cfg.train.seed ^ 0x5eed) >>> 0, cfg.data);
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      const b = held.batch(k);
      sum += task.evalLoss(b);
      held.dispose(b);
    }
    const losses = readMetrics(metricsFile(o.runDir)).map((r) => r.loss);
    return { run, params: task.paramCount(), losses, heldOutLoss: sum / 4, chanceLoss: Math.log(cfg.data.vocab), floorLoss: toyLossFloor(cfg.data.frames), metricsFile: metricsFile(o.runDir) };
  } finally {
    task.dispose();
  }
}
