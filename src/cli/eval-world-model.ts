/**
 * `lara eval world-model --data DIR --tokenizer RUN --world RUN` (or --lam RUN --dynamics RUN):
 * held-out tokenizer PSNR/SSIM, codebook use, dynamics accuracy/CE, PSNR per generated frame and
 * ΔtPSNR at t=4 with its 95% interval over clips. Prints a markdown table; --out writes the JSON
 * report. Sampler overrides (--sampler-steps, --temperature, --anneal, --top-p, --guidance) are validated
 * against the sampler's config schema, naming the flag.
 */
import type { Argv, CommandModule } from 'yargs';
import { backendOption } from '../backend/select.ts';
import { Dataset } from '../data/Dataset.ts';
import { resolveConfig } from '../config/schema.ts';
import { SamplerSchema, type SamplerConfig } from '../dynamics/config.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { LaraError } from '../util/errors.ts';
import { loadClips, splitEpisodes } from '../world/clips.ts';
import { evaluateWorldModel, type WorldModelReport } from '../world/evaluate.ts';
import { checkCompatible, loadDynamics, loadLam, loadTokenizer } from '../world/load.ts';
import { formatWorldModelReport } from '../world/report-format.ts';
import { setBackend } from '../world/run.ts';

export interface EvalWorldArgs {
  data: string;
  tokenizer: string;
  world?: string;
  lam?: string;
  dynamics?: string;
  clips: number;
  batch: number;
  seed: number;
  'held-out': number;
  camera: string;
  stride?: number;
  'sampler-steps'?: number;
  temperature?: number;
  anneal?: string;
  'top-p'?: number;
  guidance?: number;
  samples: number;
  out?: string;
  backend: string;
}

export function withEvalOptions<T>(y: Argv<T>): Argv<T & EvalWorldArgs> {
  return y
    .option('data', { type: 'string', demandOption: true, describe: 'lara dataset folder (its held-out episodes are used)' })
    .option('tokenizer', { type: 'string', demandOption: true, describe: 'tokenizer run' })
    .option('clips', { type: 'number', default: 16, describe: 'held-out clips to evaluate' })
    .option('batch', { type: 'number', default: 4, describe: 'clips per forward pass' })
    .option('seed', { type: 'number', default: 0, describe: 'seed for masks, sampling and random actions' })
    .option('held-out', { type: 'number', default: 0.1, describe: "held-out fraction when the dataset has no splits.json (the training runs' data.heldOut)" })
    .option('camera', { type: 'string', default: '', describe: 'camera to read (default: the first)' })
    .option('stride', { type: 'number', describe: "frame stride inside a clip (default: the dynamics run's data.stride)" })
    .option('sampler-steps', { type: 'number', describe: 'override the MaskGIT steps per frame' })
    .option('temperature', { type: 'number', describe: 'override the sampling temperature' })
    .option('anneal', { type: 'string', choices: ['linear', 'none'], describe: 'override the per-step temperature schedule' })
    .option('top-p', { type: 'number', describe: 'override the nucleus mass tokens are drawn from (1 = all tokens)' })
    .option('guidance', { type: 'number', describe: 'override the classifier-free guidance weight on the actions (needs a model trained with model.actionDropout > 0)' })
    .option('samples', { type: 'number', default: 1, describe: 'rollouts per clip and branch (their mean PSNR is the clip\'s; more narrows the interval)' })
    .option('out', { type: 'string', describe: 'write the JSON report here' })
    .option('backend', backendOption) as unknown as Argv<T & EvalWorldArgs>;
}

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

/** The dynamics run's sampler with the command line's overrides, each validated under its flag's name. */
export function samplerWithOverrides(saved: SamplerConfig, a: Pick<EvalWorldArgs, 'sampler-steps' | 'temperature' | 'anneal' | 'top-p' | 'guidance'>): SamplerConfig {
  const flags: [string, keyof SamplerConfig, unknown][] = [
    ['--sampler-steps', 'steps', a['sampler-steps']],
    ['--temperature', 'temperature', a.temperature],
    ['--anneal', 'anneal', a.anneal],
    ['--top-p', 'topP', a['top-p']],
    ['--guidance', 'guidance', a.guidance],
  ];
  const layers = flags.filter(([, , v]) => v !== undefined).map(([flag, key, v]) => ({ source: flag, value: { [key]: v } }));
  return resolveConfig(SamplerSchema, [{ source: 'the dynamics run', value: saved }, ...layers]);
}

/** Load the models named by the arguments, read the held-out clips and evaluate. */
export async function runWorldModelEval(a: EvalWorldArgs, lamRun: string, dynRun: string): Promise<WorldModelReport> {
  const tok = loadTokenizer(a.tokenizer);
  const lam = loadLam(lamRun);
  const dyn = loadDynamics(dynRun);
  checkCompatible(dyn.config, tok.config, lam.config, 'dynamics');
  const sampler = samplerWithOverrides(dyn.sampler, a);
  if (sampler.guidance > 0 && dyn.config.actionDropout === 0) log(`warning: ${dynRun} was trained without model.actionDropout, so its null-action logits were never trained; guidance ${sampler.guidance} amplifies an arbitrary difference`);
  if (!(Number.isInteger(a.samples) && a.samples >= 1)) throw new LaraError('--samples is out of range', { expected: 'an integer >= 1', got: String(a.samples) });
  const ds = Dataset.open(a.data);
  try {
    const split = splitEpisodes(ds, a['held-out']);
    if (split.val.length === 0) throw new LaraError('no held-out episodes', { file: a.data, expected: 'a splits.json with val episodes or --held-out > 0' });
    const store = await loadClips(ds, { height: tok.config.height, width: tok.config.width, camera: a.camera, episodes: split.val });
    const stride = a.stride ?? dyn.stride;
    if (!(Number.isInteger(stride) && stride >= 1)) throw new LaraError('--stride is out of range', { expected: 'an integer >= 1', got: String(stride) });
    log(`evaluating on ${split.val.length} held-out episodes, frame stride ${stride}${a.stride === undefined ? " (the dynamics run's)" : ''}`);
    return evaluateWorldModel({ tokenizer: tok.model, lam: lam.model, dynamics: dyn.model, sampler }, { store, stride, fps: 0, clips: a.clips, batch: a.batch, seed: a.seed, samples: a.samples, log });
  } finally {
    await ds.close();
  }
}

export const evalWorldModelCommand: CommandModule<object, EvalWorldArgs> = {
  command: 'world-model',
  describe: 'Evaluate tokenizer + LAM + dynamics on held-out clips (PSNR, SSIM, codebooks, ΔtPSNR)',
  builder: (y: Argv) =>
    withEvalOptions(y)
      .option('world', { type: 'string', describe: 'world-model run (provides both the LAM and the dynamics model)' })
      .option('lam', { type: 'string', describe: 'LAM run (instead of --world)' })
      .option('dynamics', { type: 'string', describe: 'dynamics run (instead of --world)' }) as unknown as Argv<EvalWorldArgs>,
  handler: async (a) => {
    const lamRun = a.lam ?? a.world;
    const dynRun = a.dynamics ?? a.world;
    if (!lamRun || !dynRun) throw new LaraError('name the LAM and the dynamics model', { where: '--world or --lam + --dynamics', expected: 'run directories', got: 'nothing' });
    await setBackend(a.backend, log);
    const r = await runWorldModelEval(a, lamRun, dynRun);
    if (a.out) writeJsonAtomic(a.out, r);
    process.stdout.write(formatWorldModelReport(r) + '\n');
  },
};
