/**
 * `lara label SRC --lam RUN`: label every transition of SRC with a frozen LAM. SRC is a lara
 * dataset (labelled in place), a video file / folder or a ROS bag (imported into --out first).
 * Prints progress, frames/s, and writes <dataset>/label-report/ (report.md, report.json, strip.png).
 */
import type { Argv, CommandModule } from 'yargs';
import { backendOption } from '../backend/select.ts';
import { Dataset } from '../data/Dataset.ts';
import { labelDataset } from '../label/dataset.ts';
import { setBackend } from '../world/run.ts';
import { Progress } from '../util/progress.ts';

interface Args {
  src: string;
  lam: string;
  out?: string;
  batch: number;
  horizon?: number;
  examples: number;
  camera?: string;
  overwrite: boolean;
  backend: string;
}

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

export const labelCommand: CommandModule<object, Args> = {
  command: 'label <src>',
  describe: 'Label a dataset (or a video / ROS bag) with latent action codes from a frozen LAM',
  builder: (y: Argv) =>
    y
      .positional('src', { type: 'string', demandOption: true, describe: 'lara dataset folder, video file or folder, or ROS bag' })
      .option('lam', { type: 'string', demandOption: true, describe: 'trained LAM run or checkpoint directory (lara train lam)' })
      .option('out', { type: 'string', describe: 'for a video or bag: the labelled dataset to create' })
      .option('batch', { type: 'number', default: 16, describe: 'clips per LAM call' })
      .option('horizon', { type: 'number', describe: "label transition t from the pair (x_t, x_{t+horizon}) (2-frame LAMs; default: the LAM run's data.stride)" })
      .option('examples', { type: 'number', default: 6, describe: 'example transitions per code in the report strip' })
      .option('camera', { type: 'string', describe: 'camera to label (default: the first)' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace an existing --out' })
      .option('backend', backendOption) as unknown as Argv<Args>,
  handler: async (a) => {
    await setBackend(a.backend, log);
    let progress: Progress | undefined;
    const r = await labelDataset(a.src, {
      lam: a.lam, batch: a.batch, ...(a.horizon !== undefined ? { horizon: a.horizon } : {}), examples: a.examples, overwrite: a.overwrite, log,
      ...(a.out ? { out: a.out } : {}), ...(a.camera ? { camera: a.camera } : {}),
      onProgress: (p) => {
        if (!progress) progress = new Progress({ total: p.totalFrames ?? p.frames, out: process.stderr, label: 'label', unit: 'frame' });
        progress.update(p.frames, { episodes: p.episodes });
      },
    });
    progress?.done();
    const d = Dataset.open(r.dataset);
    const eps = d.numEpisodes;
    await d.close();
    const rep = r.report;
    process.stdout.write(
      `labelled ${r.frames} frames (${rep.transitions} transitions, ${eps} episodes) in ${r.seconds.toFixed(1)} s: ${r.framesPerSecond.toFixed(1)} frames/s on ${rep.backend}\n` +
        `codes used ${rep.codes - rep.unused.length}/${rep.codes}, perplexity ${rep.perplexity.toFixed(2)}; histogram ${rep.perCode.map((c) => c.count).join(' ')}\n` +
        `latents written to ${r.dataset}; report in ${r.reportDir}\n`,
    );
  },
};

export default labelCommand;
