/**
 * `lara dataset generate`: run the scripted expert in the tabletop simulator and write a lara
 * dataset (MCAP episodes + info.json). Episode i depends only on (--seed, i, options), so the
 * result is the same for any --workers.
 */
import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { DatasetWriter } from '../data/DatasetWriter.ts';
import { IMAGE_ENCODINGS, type ImageEncoding } from '../data/format.ts';
import type { RobotDescription } from '../robot/description.ts';
import { loadRobot } from '../robot/load.ts';
import { generateEpisodesWithInfo, type GenerateOptions } from '../sim/generate.ts';
import { tabletopConfig, type TabletopConfig } from '../sim/config.ts';
import { tabletopStateNames } from '../sim/tabletop.ts';
import { TASK_KINDS, type TaskKind } from '../sim/tasks.ts';
import { LaraError } from '../util/errors.ts';

interface Args {
  robot: string;
  task: string;
  episodes: number;
  out: string;
  seed: number;
  size: number;
  noise: number;
  'random-prob': number;
  workers?: number;
  encoding: string;
  overwrite: boolean;
  blocks?: number;
  zones?: number;
  'max-steps'?: number;
  distractors?: number;
  'color-jitter'?: number;
  'light-jitter'?: number;
  'camera-shake'?: number;
  'camera-tilt'?: number;
  gantry?: boolean;
  'gantry-rails'?: boolean;
  'gantry-turns'?: boolean;
  'only-success': boolean;
}

export interface GenerateSummary {
  episodes: number;
  steps: number;
  seconds: number;
  perTask: Record<string, { episodes: number; success: number }>;
}

/** Per-task success lines, e.g. "  push        97/100  97.0%". */
export function formatSuccess(perTask: GenerateSummary['perTask']): string {
  return Object.entries(perTask)
    .map(([t, s]) => `  ${t.padEnd(11)} ${String(s.success).padStart(5)}/${s.episodes}  ${((100 * s.success) / Math.max(1, s.episodes)).toFixed(1)}%`)
    .join('\n');
}

/** Generate a dataset into `out`; `log` gets progress lines. Library form of the CLI verb. */
export async function generateDataset(out: string, gen: GenerateOptions, encoding: ImageEncoding, overwrite: boolean, log: (line: string, final?: boolean) => void = () => {}): Promise<GenerateSummary> {
  const robot = loadRobot('tabletop-sim');
  const cfg = tabletopConfig(gen.sim ?? {});
  const writer = DatasetWriter.create(out, {
    robot: robot.name,
    fps: cfg.rateHz,
    cameras: [{ name: 'image', width: cfg.width, height: cfg.height, encoding }],
    actionNames: robot.dof.map((d) => d.name),
    stateNames: tabletopStateNames(cfg),
    overwrite,
    source: { generator: 'lara dataset generate', simulator: 'tabletop', task: gen.task, episodes: gen.episodes, seed: gen.seed, noise: gen.noise, random_prob: gen.randomProb ?? 0, sim: gen.sim ?? {}, only_success: gen.onlySuccess ?? false },
  });
  const perTask: GenerateSummary['perTask'] = {};
  for (const t of gen.task === 'all' ? TASK_KINDS : [gen.task]) perTask[t] = { episodes: 0, success: 0 };
  const t0 = performance.now();
  let steps = 0, seen = 0, lastLog = 0;
  try {
    for await (const g of generateEpisodesWithInfo({ ...gen, onlySuccess: false })) {
      seen++;
      const s = perTask[g.task]!;
      s.episodes++;
      if (g.success) s.success++;
      if (!gen.onlySuccess || g.success) {
        await writer.addEpisode(g.episode);
        steps += g.episode.timestamps.length;
      }
      const now = performance.now();
      if (now - lastLog > 1000 || seen === gen.episodes) {
        lastLog = now;
        const ok = Object.values(perTask).reduce((a, b) => a + b.success, 0);
        const sec = (now - t0) / 1000;
        const width = 24, fill = Math.round((width * seen) / gen.episodes);
        log(`[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${seen}/${gen.episodes} episodes, success ${ok}/${seen}, ${(seen / sec).toFixed(1)} ep/s`, seen === gen.episodes);
      }
    }
    if (writer.numEpisodes === 0) throw new LaraError('no successful episodes to write', { where: '--only-success', expected: 'at least one success' });
    await writer.finish();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { episodes: writer.numEpisodes, steps, seconds: (performance.now() - t0) / 1000, perTask };
}

/** The robot description for --robot, which must be implemented by the tabletop simulator. */
export function simulatedRobot(name: string): RobotDescription {
  const robot = loadRobot(name);
  if (robot.simulator !== 'tabletop') {
    throw new LaraError(`robot '${robot.name}' has no embedded simulator to generate data with`, { where: '--robot', expected: 'a robot whose "simulator" is "tabletop" (e.g. tabletop-sim)' });
  }
  return robot;
}

export const datasetGenerateCommand: CommandModule<object, Args> = {
  command: 'generate',
  describe: 'Generate expert episodes in the tabletop simulator and write a dataset',
  builder: (y: Argv) =>
    y
      .option('robot', { type: 'string', default: 'tabletop-sim', describe: 'simulated robot (a robots/<name> whose simulator is "tabletop")' })
      .option('task', { type: 'string', default: 'all', describe: `task kind: ${TASK_KINDS.join(', ')} or all (cycled)` })
      .option('episodes', { type: 'number', demandOption: true, describe: 'number of episodes' })
      .option('out', { type: 'string', demandOption: true, describe: 'output dataset folder' })
      .option('seed', { type: 'number', default: 0, describe: 'base seed (episode i uses a seed derived from it and i)' })
      .option('size', { type: 'number', default: 64, describe: 'image width and height in pixels' })
      .option('noise', { type: 'number', default: 0.1, describe: 'expert action noise (Gaussian std, action units)' })
      .option('random-prob', { type: 'number', default: 0, describe: 'probability per step of a random motion' })
      .option('workers', { type: 'number', describe: 'worker threads (default: 1 below 500 episodes, else min(2, CPUs); results do not depend on it)' })
      .option('encoding', { type: 'string', default: 'png', choices: IMAGE_ENCODINGS as unknown as string[], describe: 'frame storage' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace an existing output folder' })
      .option('blocks', { type: 'number', describe: 'blocks on the table (1-4, default 3)' })
      .option('zones', { type: 'number', describe: 'target zones (1-4, default 2)' })
      .option('max-steps', { type: 'number', describe: 'episode step limit (default 80)' })
      .option('distractors', { type: 'number', describe: 'moving background objects (default 0)' })
      .option('color-jitter', { type: 'number', describe: 'per-episode object colour jitter 0..1 (default 0)' })
      .option('light-jitter', { type: 'number', describe: 'per-episode lighting jitter 0..1 (default 0)' })
      .option('camera-shake', { type: 'number', describe: 'per-step camera shake, std in pixels (default 0)' })
      .option('camera-tilt', { type: 'number', describe: 'camera tilt in radians (default 0 = top-down)' })
      .option('gantry', { type: 'boolean', describe: "draw the robot's gantry (rails and column moving with the gripper; default false)" })
      .option('gantry-rails', { type: 'boolean', describe: 'with --gantry: draw the rails (default true; --no-gantry-rails draws only the column and its carriage)' })
      .option('gantry-turns', { type: 'boolean', describe: "with --gantry --no-gantry-rails: the column and carriage turn with the gripper's yaw, the carriage a 16 cm bar (default false)" })
      .option('only-success', { type: 'boolean', default: false, describe: 'write only successful episodes' }) as unknown as Argv<Args>,
  handler: async (a) => {
    simulatedRobot(a.robot);
    if (a.task !== 'all' && !(TASK_KINDS as readonly string[]).includes(a.task)) {
      throw new LaraError(`unknown task '${a.task}'`, { where: '--task', expected: `one of ${TASK_KINDS.join(', ')}, all` });
    }
    const sim: Partial<TabletopConfig> = { width: a.size, height: a.size };
    const opt = <K extends keyof TabletopConfig>(k: K, v: TabletopConfig[K] | undefined) => {
      if (v !== undefined) sim[k] = v;
    };
    opt('blocks', a.blocks);
    opt('zones', a.zones);
    opt('maxSteps', a['max-steps']);
    opt('distractors', a.distractors);
    opt('colorJitter', a['color-jitter']);
    opt('lightJitter', a['light-jitter']);
    opt('cameraShake', a['camera-shake']);
    opt('cameraTilt', a['camera-tilt']);
    opt('gantry', a.gantry);
    opt('gantryRails', a['gantry-rails']);
    opt('gantryTurns', a['gantry-turns']);
    // a worker costs ~1.5 s to start (TypeScript loader), so threads pay off only for long runs
    const workers = a.workers ?? (a.episodes >= 500 ? Math.min(2, availableParallelism()) : 1);
    if (!Number.isInteger(workers) || workers < 1) throw new LaraError('workers must be a positive integer', { where: '--workers', got: String(a.workers) });
    const gen: GenerateOptions = { task: a.task as TaskKind | 'all', episodes: a.episodes, seed: a.seed, noise: a.noise, randomProb: a['random-prob'], sim, workers, onlySuccess: a['only-success'] };
    const tty = process.stderr.isTTY;
    const s = await generateDataset(a.out, gen, a.encoding as ImageEncoding, a.overwrite, (line, final) => {
      process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
    });
    process.stdout.write(
      `wrote ${s.episodes} episodes (${s.steps} steps) to ${a.out} in ${s.seconds.toFixed(1)} s\nexpert success by task:\n${formatSuccess(s.perTask)}\n`,
    );
  },
};
