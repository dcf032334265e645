/**
 * `lara demo`: a guided first run on embedded defaults (no arguments needed). A thin orchestrator:
 * each section is one library call plus printing, so later stages of the pipeline slot in as new
 * sections.
 *
 *   1. machine  — the doctor report (backend chosen, accelerator, tools)
 *   2. train    — a toy ST-transformer learns next-frame prediction on generated token videos,
 *                 with checkpoints and metrics in --out (resumable with --resume)
 *   3. result   — loss curve, first/last/held-out loss against chance and the achievable floor
 *   4. label    — the scripted expert records a few episodes; the shipped agent's frozen LAM
 *                 labels every transition from the frames alone: code histogram with the expert's
 *                 mean action per code, frames/s, report + plot in <out>/report/labels
 *   5. agent    — the shipped latent agent agents/tabletop-reach-latent (LAM codes from video,
 *                 a code policy, a mapping fitted on 200 labelled transitions) acts in the tabletop simulator for a few
 *                 seeded episodes next to the scripted expert and random actions: success table
 *                 with 95% Wilson intervals, a plot and a GIF in <out>/report
 *   Sections 4 and 5 are skipped with --skip-agent. With --from-scratch a section before them
 *   retrains the whole latent agent with the small configs (scripts/train-latent-agent.sh reach:
 *   video, LAM, labels, policy, mapping, BC baselines, 100-episode evaluation; ~10 min on 2 cores)
 *   into <out>/from-scratch and <out>/agents/tabletop-reach-latent, and sections 4 and 5 use it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LaraError } from '../util/errors.ts';
import type { Argv, CommandModule } from 'yargs';
import { backendOption, type BackendName } from '../backend/select.ts';
import { checkpointRoot } from '../train/loop.ts';
import { DemoSchema, type DemoConfig } from '../train/demo-config.ts';
import { trainDemo, type DemoTrainResult } from '../train/demo.ts';
import { asciiPlot, sparkline } from '../train/plot.ts';
import { SHIFT_NAMES } from '../train/toy-world.ts';
import { agentShowcase, type Showcase } from '../eval/showcase.ts';
import { demoLabel, type DemoLabel } from './demo-label.ts';
import { formatDoctor, runDoctor } from './doctor.ts';
import { resolveRunConfig, withRunOptions, type RunArgs } from './options.ts';

interface DemoArgs extends RunArgs {
  backend: string;
  'skip-agent': boolean;
  'agent-episodes': number;
  'label-episodes': number;
  'from-scratch': boolean;
}

/** The agent the demo shows (shipped with the repository). */
export const DEMO_AGENT = resolve(import.meta.dirname, '../../agents/tabletop-reach-latent');

type Print = (s: string) => void;

function heading(print: Print, n: number, title: string): void {
  print(`\n== ${n}. ${title} ${'='.repeat(Math.max(3, 70 - title.length))}\n`);
}

/** Section 1: what this machine offers (and initialise the backend). */
export async function demoMachine(backend: BackendName, print: Print): Promise<void> {
  heading(print, 1, 'machine');
  print(formatDoctor(await runDoctor(backend)));
}

/** Section 2: train the toy model. */
export async function demoTrain(cfg: DemoConfig, a: Pick<RunArgs, 'out' | 'resume' | 'overwrite'>, print: Print): Promise<DemoTrainResult> {
  heading(print, 2, 'train a toy ST-transformer');
  const { grid, frames, vocab, batch } = cfg.data;
  const m = cfg.model;
  print(
    `world: clips of ${frames} frames, each a ${grid}x${grid} grid of ${vocab} colours, shifted one cell per frame\n` +
      `       in a hidden direction (${SHIFT_NAMES.join(', ')}); ${batch} clips a step, generated from seed ${cfg.train.seed}\n` +
      `model: ${m.layers} ST-transformer block(s), width ${m.width}, ${m.heads} heads; predicts frame t+1 from frames <= t\n` +
      `run:   ${cfg.train.steps} steps, checkpoint every ${cfg.train.checkpointEvery} -> ${checkpointRoot(a.out)}\n`,
  );
  return trainDemo(cfg, { runDir: a.out, resume: a.resume, overwrite: a.overwrite, log: (s) => process.stderr.write(s + '\n') });
}

/** Section 3: the loss curve and what it means. */
export function demoReport(r: DemoTrainResult, a: Pick<RunArgs, 'out'>, print: Print): void {
  heading(print, 3, 'result');
  const first = r.losses[0];
  const last = r.losses.at(-1);
  const tail = r.losses.slice(-Math.max(1, Math.floor(r.losses.length / 20)));
  const tailMean = tail.reduce((s, x) => s + x, 0) / tail.length;
  print(`training loss (${r.losses.length} steps)\n${asciiPlot(r.losses, { width: 60, height: 8 })}\n`);
  print(`sparkline     ${sparkline(r.losses, 60)}\n`);
  print(`first loss    ${first?.toFixed(4) ?? '-'}   (chance: ln ${Math.round(Math.exp(r.chanceLoss))} = ${r.chanceLoss.toFixed(4)})\n`);
  print(`last loss     ${last?.toFixed(4) ?? '-'}   (mean of the last ${tail.length}: ${tailMean.toFixed(4)})\n`);
  print(`held-out loss ${r.heldOutLoss.toFixed(4)}   (best possible: ${r.floorLoss.toFixed(4)}; the first predicted frame cannot know the direction)\n`);
  print(`parameters    ${r.params}\n`);
  print(`time          ${r.run.seconds.toFixed(1)} s for ${r.run.step - r.run.startStep} steps${r.run.resumedFrom ? ` (resumed at step ${r.run.startStep})` : ''}\n`);
  if (r.run.checkpoint) print(`checkpoint    ${r.run.checkpoint}\n`);
  print(`metrics       ${r.metricsFile}\n`);
  print(`\nnext: continue training with  lara demo --out ${a.out} --resume --steps ${r.run.step * 2}\n`);
}

/** The recipe that made the shipped latent agent (run by demoRetrain). */
export const AGENT_RECIPE = resolve(import.meta.dirname, '../../scripts/train-latent-agent.sh');

/**
 * --from-scratch: the shipped agent's whole recipe, retrained into <out>/from-scratch (data, LAM,
 * policy, mapping, BC baselines) and <out>/agents/tabletop-reach-latent; its log goes to stderr.
 * Returns the new bundle.
 */
export function demoRetrain(n: number, out: string, print: Print): string {
  heading(print, n, 'retrain the latent agent from scratch');
  const runs = resolve(out, 'from-scratch');
  const agent = resolve(out, 'agents', 'tabletop-reach-latent');
  print(`recipe: ${relative(process.cwd(), AGENT_RECIPE)} reach (video -> LAM -> labels -> policy -> mapping -> BC baselines -> evaluation)\nruns:   ${runs}\nagent:  ${agent}\n`);
  const t0 = performance.now();
  const r = spawnSync('bash', [AGENT_RECIPE, 'reach'], { env: { ...process.env, LARA_RUNS: runs, LARA_AGENT: agent }, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new LaraError(`retraining failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); its log is above`, { file: AGENT_RECIPE });
  print(`\nretrained in ${((performance.now() - t0) / 60000).toFixed(1)} min; its evaluation:\n\n${readFileSync(join(agent, 'eval.txt'), 'utf8').split('\n').filter((l) => l.startsWith('|') || l.startsWith('latent')).join('\n')}\n`);
  return agent;
}

/** Section 4: the agent's frozen LAM labels freshly recorded expert episodes. */
export async function demoLabelSection(n: number, agentDir: string, episodes: number, out: string, print: Print): Promise<DemoLabel> {
  heading(print, n, "label demonstrations with the agent's frozen LAM");
  const r = await demoLabel({ agent: agentDir, episodes, seed: 200000, data: join(out, 'label-data'), report: join(out, 'report'), log: (s) => process.stderr.write(s + '\n') });
  const rep = r.report;
  const names = rep.actionNames ?? [];
  const ix = names.indexOf('world_vector.x');
  const iy = names.indexOf('world_vector.y');
  print(
    `data:  ${episodes} scripted-expert ${r.task} episodes at ${r.size.width}x${r.size.height} (seeds from 200000) -> ${join(out, 'label-data')}\n` +
      `LAM:   ${rep.codes} codes, reads x_t and x_t+${rep.horizon}; no action is read. ${rep.transitions} transitions at ${rep.framesPerSecond.toFixed(0)} frames/s on ${rep.backend}\n\n`,
  );
  const top = Math.max(1, ...rep.perCode.map((c) => c.count));
  const f = (v: number | undefined) => (v === undefined ? '  -  ' : (v >= 0 ? '+' : '') + v.toFixed(2));
  print(`code  transitions                          expert's mean world_vector x, y (what the code turned out to mean)\n`);
  for (const c of rep.perCode) {
    const bar = '#'.repeat(Math.round((24 * c.count) / top)).padEnd(24);
    const mean = c.count > 0 && ix >= 0 && iy >= 0 ? `${f(c.actionMean?.[ix])}, ${f(c.actionMean?.[iy])}` : '';
    print(`${String(c.code).padStart(4)}  ${String(c.count).padStart(5)} ${bar}  ${mean}\n`);
  }
  print(`\nperplexity ${rep.perplexity.toFixed(2)}; report ${r.files.markdown}, example strip ${r.files.strip}, plot ${r.files.plot}\n`);
  print(`more:  lara label DATASET --lam ${relative(process.cwd(), agentDir) || agentDir}\n`);
  return r;
}

/** Section 5: a shipped agent acting in the simulator, against the expert and random actions. */
export async function demoAgent(n: number, agentDir: string, episodes: number, out: string, print: Print): Promise<Showcase> {
  heading(print, n, agentDir === DEMO_AGENT ? 'act with a shipped agent' : 'act with the retrained agent');
  const r = await agentShowcase({ agent: agentDir, episodes, seed: 100000, out, log: (s) => process.stderr.write(s + '\n') });
  const s = r.settings;
  print(
    `agent: ${r.name} (${relative(process.cwd(), agentDir) || agentDir})\n       ${r.description}\n` +
      `sim:   tabletop, task ${s.task}, ${JSON.stringify(s.sim)}, ${s.maxSteps}-step limit; ${episodes} episodes on seeds 100000..${100000 + episodes - 1}, the same for every agent\n\n`,
  );
  print(r.markdown);
  print(`\ngif     ${r.files.gif}  (${r.gifEpisode.task} seed ${r.gifEpisode.seed}: ${r.gifEpisode.success ? 'success' : 'failure'} in ${r.gifEpisode.steps} steps)\n`);
  print(`table   ${r.files.markdown}, ${r.files.json}; plot ${r.files.plot}\n`);
  print(`more:   lara eval agent --agent ${relative(process.cwd(), agentDir) || agentDir} --episodes 100\n`);
  return r;
}

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Guided first run: machine check, train a toy ST-transformer, show the loss curve, watch a shipped agent act',
  builder: (y: Argv) =>
    withRunOptions(y, 'demo', 'runs/demo')
      .option('backend', backendOption)
      .option('skip-agent', { type: 'boolean', default: false, describe: 'skip sections 4 and 5 (labelling with the shipped agent\'s LAM, the agent in the simulator)' })
      .option('from-scratch', { type: 'boolean', default: false, describe: 'retrain the latent agent (LAM, policy, mapping, baselines) with the small configs first (~10 min) and show that one' })
      .option('label-episodes', { type: 'number', default: 6, describe: 'expert episodes labelled in the label section (4, or 5 with --from-scratch)' })
      .option('agent-episodes', { type: 'number', default: 10, describe: 'episodes per agent in the act section (5, or 6 with --from-scratch)' }) as unknown as Argv<DemoArgs>,
  handler: async (a) => {
    const print: Print = (s) => void process.stdout.write(s);
    const cfg = resolveRunConfig(DemoSchema, 'demo', a);
    await demoMachine(a.backend as BackendName, print);
    const r = await demoTrain(cfg, a, print);
    demoReport(r, a, print);
    if (!a['skip-agent']) {
      let agent = DEMO_AGENT;
      let n = 4;
      if (a['from-scratch']) agent = demoRetrain(n++, a.out, print);
      await demoLabelSection(n++, agent, a['label-episodes'], a.out, print);
      await demoAgent(n, agent, a['agent-episodes'], join(a.out, 'report'), print);
    }
  },
};
